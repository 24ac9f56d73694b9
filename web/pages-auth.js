// pages-auth.js — signing in, and changing one's password.
import {session, signIn, signOut, changePassword} from './api.js';
import {h, append, replace, banner, pageTitle} from './dom.js';
import {go, setFlash} from './router.js';

function fieldRow(id, label, input, help) {
  const err = h('p', {class: 'field-error', id: id + '-error', hidden: true});
  const helpEl = help ? h('p', {class: 'help', id: id + '-help'}, help) : null;
  input.id = id;
  input.setAttribute('aria-describedby', [helpEl && helpEl.id, err.id].filter(Boolean).join(' '));
  return {row: h('div', {class: 'field'}, h('label', {for: id}, label), helpEl, input, err), err, input};
}

function showFieldError(f, msg) {
  f.err.textContent = msg;
  f.err.hidden = false;
  f.input.setAttribute('aria-invalid', 'true');
}

function clearFieldError(f) {
  f.err.textContent = '';
  f.err.hidden = true;
  f.input.removeAttribute('aria-invalid');
}

export async function loginPage(root, route, signal, env) {
  document.title = 'Sign in · isms';
  const user = fieldRow('login-username', 'Username',
    h('input', {type: 'text', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true}));
  const pass = fieldRow('login-password', 'Password',
    h('input', {type: 'password', name: 'password', autocomplete: 'current-password', required: true}));
  const msg = h('div', {class: 'form-messages'}, env.takeFlash && env.takeFlash());
  const submit = h('button', {type: 'submit', class: 'btn btn-primary btn-block'}, 'Sign in');
  const form = h('form', {class: 'login-form', novalidate: true}, msg, user.row, pass.row, submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFieldError(user);
    clearFieldError(pass);
    replace(msg);
    const username = user.input.value.trim();
    const password = pass.input.value;
    let bad = false;
    if (!username) { showFieldError(user, 'Enter your username.'); bad = true; }
    if (!password) { showFieldError(pass, 'Enter your password.'); bad = true; }
    if (bad) { (username ? pass.input : user.input).focus(); return; }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    form.setAttribute('aria-busy', 'true');
    try {
      await signIn(username, password);
      await env.afterSignIn();
    } catch (e) {
      submit.disabled = false;
      submit.textContent = 'Sign in';
      form.removeAttribute('aria-busy');
      const text = e.status === 401 || e.code === 'unauthenticated'
        ? 'The username or password is not right. Check them and try again.' : e.message;
      replace(msg, banner(text));
      pass.input.value = '';
      pass.input.focus();
    }
  });
  append(root, h('div', {class: 'login-page'},
    h('main', {class: 'login-card', id: 'main'},
      h('div', {class: 'login-brand'}, h('img', {src: '/static/logo.svg', alt: '', width: '32', height: '32'}),
        h('span', null, 'isms')),
      pageTitle('Sign in'),
      h('p', {class: 'lede'}, 'The information security management system of your organization (ISO/IEC 27001).'),
      form),
    h('p', {class: 'login-foot'}, 'Forgot your password? Ask an administrator to set a one-time password for you.')));
  user.input.focus();
}

export async function passwordPage(root, route, signal, env) {
  document.title = 'Change password · isms';
  const forced = session.user && session.user.must_change_password;
  const cur = fieldRow('pw-current', forced ? 'One-time password' : 'Current password',
    h('input', {type: 'password', autocomplete: 'current-password'}));
  const next = fieldRow('pw-new', 'New password',
    h('input', {type: 'password', autocomplete: 'new-password', minlength: '10'}),
    'At least 10 characters. A long passphrase is easier to remember and harder to guess.');
  const again = fieldRow('pw-again', 'New password again', h('input', {type: 'password', autocomplete: 'new-password'}));
  const msg = h('div', {class: 'form-messages'});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary'}, 'Change password');
  const fields = {current_password: cur, new_password: next};
  const form = h('form', {class: 'form narrow', novalidate: true}, msg, cur.row, next.row, again.row,
    h('div', {class: 'form-buttons'}, submit,
      forced
        ? h('button', {type: 'button', class: 'btn btn-quiet', onclick: async () => {
          try { await signOut(); } catch { /* signed out locally anyway */ }
          go('#/login');
        }}, 'Sign out instead')
        : h('a', {href: '#/', class: 'btn'}, 'Cancel')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    [cur, next, again].forEach(clearFieldError);
    replace(msg);
    let first = null;
    const fail = (f, m) => { showFieldError(f, m); first = first || f.input; };
    if (!cur.input.value) fail(cur, 'Enter your current password.');
    if (next.input.value.length < 10) fail(next, 'The new password needs at least 10 characters.');
    else if (again.input.value !== next.input.value) fail(again, 'The two new passwords differ.');
    if (first) { first.focus(); return; }
    submit.disabled = true;
    submit.textContent = 'Changing…';
    form.setAttribute('aria-busy', 'true');
    try {
      await changePassword(cur.input.value, next.input.value);
      setFlash('Your password has been changed.');
      if (forced) await env.afterSignIn();
      else go('#/');
    } catch (e) {
      submit.disabled = false;
      submit.textContent = 'Change password';
      form.removeAttribute('aria-busy');
      if (e.field && fields[e.field]) {
        showFieldError(fields[e.field], e.message.charAt(0).toUpperCase() + e.message.slice(1));
        fields[e.field].input.focus();
      } else replace(msg, banner(e));
    }
  });
  const content = [
    pageTitle('Change password'),
    forced ? banner('Your password was set for one use only. Choose a new password to continue.', 'warning') : null,
    h('p', {class: 'lede'}, `Signed in as ${session.user.name || session.user.username} (${session.user.username}).`),
    form,
  ];
  if (env.standalone) {
    append(root, h('div', {class: 'login-page'},
      h('main', {class: 'login-card', id: 'main'},
        h('div', {class: 'login-brand'}, h('img', {src: '/static/logo.svg', alt: '', width: '32', height: '32'}), h('span', null, 'isms')),
        content)));
  } else {
    append(root, content);
  }
  cur.input.focus();
}
