// app.js — the isms web app: start-up, routing by the route table (routes.js), and the shell
// (the top bar, and the navigation of nav.js that follows the structure of ISO/IEC 27001).
import {session, loadSession, loadMeta, signOut, setSignedOutHandler} from './api.js';
import {h, clear, replace, banner, spinner, pageTitle} from './dom.js';
import {loginPage, passwordPage} from './pages-auth.js';
import {refreshDueBadge} from './pages-due.js';
import {refreshInboxBadge} from './pages-inbox.js';
import {roleName} from './sections.js';
import {parseHash, go, setFlash, takeFlash, hashFor, setRouteHandler, matchRoute, fillPattern} from './router.js';
import {ROUTES, NOT_FOUND} from './routes.js';
import {buildNav, markCurrent} from './nav.js';

// ---------------------------------------------------------------------------------------------
// Routing

const app = document.getElementById('app');
let shell = null;
let current = null;

// The page for an address, from the route table; the key tells whether the page shown is
// the same page (same route and parameters), which then only follows a new query.
function viewFor(r) {
  const m = matchRoute(ROUTES, r.parts);
  const route = m ? m.route : NOT_FOUND;
  const params = m ? m.params : {};
  const key = m ? fillPattern(route.pattern, params) : 'notfound';
  return {key, page: route.page, params, nav: fillPattern(route.nav || '/' + (r.parts[0] || ''), params)};
}

// A page without the shell (signing in, replacing a one-time password).
async function barePage(page, r, env) {
  current?.ctrl.abort();
  current = null;
  shell = null;
  clear(app);
  await page(app, r, null, env);
}

async function route() {
  const r = parseHash();
  const first = r.parts[0];
  if (!session.user) {
    if (first !== 'login') {
      if (location.hash && location.hash !== '#/' ) sessionStorage.setItem('isms.return', location.hash);
      go('#/login', {replace: true});
      return;
    }
    await barePage(loginPage, r, {takeFlash, afterSignIn});
    return;
  }
  if (session.user.must_change_password) {
    if (first !== 'password') { go('#/password', {replace: true}); return; }
    // Nothing else answers until the one-time password is replaced: a page of its own.
    await barePage(passwordPage, r, {afterSignIn, standalone: true});
    return;
  }
  if (first === 'login') { go('#/', {replace: true}); return; }
  if (!session.meta && !session.user.must_change_password) {
    try {
      await loadMeta();
    } catch (e) {
      replace(app, h('main', {class: 'boot-error'}, banner(e), h('p', null, h('a', {href: '#/'}, 'Try again'))));
      return;
    }
  }
  const v = viewFor(r);
  r.params = v.params;
  ensureShell();
  updateNav(r, v.nav);
  closeNav();
  if (current && current.key === v.key && current.view && current.view.update) {
    current.view.update(r);
    return;
  }
  current?.ctrl.abort();
  const ctrl = new AbortController();
  current = {key: v.key, ctrl, view: null};
  const main = clear(shell.main);
  main.removeAttribute('aria-busy');
  const fl = takeFlash();
  if (fl) main.appendChild(h('div', {class: 'flash'}, fl));
  const before = document.activeElement;
  try {
    const view = await v.page(main, r, ctrl.signal, {afterSignIn});
    if (!ctrl.signal.aborted) current.view = view || null;
  } catch (e) {
    if (e.name === 'AbortError' || ctrl.signal.aborted) return;
    console.error(e);
    if (!main.querySelector('h1')) main.appendChild(pageTitle('Something went wrong'));
    main.appendChild(banner(e));
  }
  if (ctrl.signal.aborted) return;
  // Move focus to the page heading after navigation, unless the user has moved on.
  const active = document.activeElement;
  if (!active || active === document.body || active === before || shell.nav.contains(active)) {
    const h1 = main.querySelector('h1');
    if (h1) h1.focus({preventScroll: true});
  }
  window.scrollTo(0, 0);
}

// ---------------------------------------------------------------------------------------------
// The shell

function ensureShell() {
  if (shell && app.contains(shell.root)) return;
  const navToggle = h('button', {type: 'button', class: 'nav-toggle', 'aria-expanded': 'false', 'aria-label': 'Menu',
    'aria-controls': 'sidenav', onclick: () => toggleNav()},
  h('span', {class: 'burger', 'aria-hidden': 'true'}), h('span', {class: 'nav-toggle-text'}, 'Menu'));
  const searchInput = h('input', {type: 'search', name: 'q', id: 'global-search', placeholder: 'Search records',
    'aria-label': 'Search all records', autocomplete: 'off'});
  const search = h('form', {class: 'global-search', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    const q = searchInput.value.trim();
    if (q) go(hashFor('/search', {q}));
  }}, searchInput, h('button', {type: 'submit', class: 'btn btn-quiet'}, 'Search'));
  const u = session.user;
  const dueLink = h('a', {href: '#/due', class: 'btn btn-quiet due-link', id: 'due-link'}, 'Due');
  refreshDueBadge(dueLink);
  const inboxLink = session.byPlural.get('document-versions')?.can_read
    ? h('a', {href: '#/inbox', class: 'btn btn-quiet inbox-link', id: 'inbox-link'}, 'Inbox') : null;
  const readingLink = h('a', {href: '#/reading', class: 'btn btn-quiet reading-link', id: 'reading-link', hidden: true}, 'To read');
  const userBox = h('div', {class: 'userbox'}, readingLink, inboxLink, dueLink,
    h('span', {class: 'who'}, h('span', {class: 'who-name'}, u.name || u.username),
      h('span', {class: 'who-role'}, roleName(u.role))),
    h('a', {href: '#/password', class: 'btn btn-quiet'}, 'Change password'),
    h('button', {type: 'button', class: 'btn btn-quiet', id: 'sign-out', onclick: doSignOut}, 'Sign out'));
  const topbar = h('header', {class: 'topbar'},
    navToggle,
    h('a', {href: '#/', class: 'brand'}, h('img', {src: '/static/logo.svg', alt: '', width: '22', height: '22'}), h('span', null, 'isms')),
    search, userBox);
  const nav = h('nav', {class: 'sidenav', id: 'sidenav', 'aria-label': 'Main'});
  const main = h('main', {id: 'main', tabindex: '-1', class: 'main'});
  const skip = h('button', {type: 'button', class: 'skip', onclick: () => {
    const h1 = main.querySelector('h1');
    (h1 || main).focus();
  }}, 'Skip to content');
  const root = h('div', {class: 'shell'}, skip, topbar, nav, main);
  replace(app, root);
  shell = {root, nav, main, navToggle, searchInput};
  buildNav(nav);
  refreshInboxBadge();
}

function updateNav(r, path) {
  markCurrent(shell.nav, path);
  if (r.parts[0] === 'search') shell.searchInput.value = r.query.get('q') || '';
}

function toggleNav(open) {
  const isOpen = shell.root.classList.toggle('nav-open', open);
  shell.navToggle.setAttribute('aria-expanded', String(isOpen));
  if (isOpen) shell.nav.querySelector('a')?.focus();
}
function closeNav() {
  if (shell && shell.root.classList.contains('nav-open')) {
    shell.root.classList.remove('nav-open');
    shell.navToggle.setAttribute('aria-expanded', 'false');
  }
}

async function doSignOut() {
  try {
    await signOut();
  } catch { /* signed out locally regardless */ }
  sessionStorage.removeItem('isms.return');
  setFlash('You have signed out.', 'info');
  go('#/login');
}

setSignedOutHandler((msg) => {
  if (!session.user) return;
  const r = location.hash;
  session.user = null;
  session.meta = null;
  if (r && !r.startsWith('#/login')) sessionStorage.setItem('isms.return', r);
  setFlash(msg, 'info');
  go('#/login');
});

// After signing in or changing the password: where to go next.
async function afterSignIn() {
  const back = sessionStorage.getItem('isms.return');
  sessionStorage.removeItem('isms.return');
  if (session.user.must_change_password) { go('#/password'); return; }
  await loadMeta();
  shell = null;
  go(back && !back.startsWith('#/login') && !back.startsWith('#/password') ? back : '#/');
}

// After a document version moves (pages-documents.js), the inbox count follows.
document.addEventListener('isms:versions-changed', () => refreshInboxBadge());

document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape' && shell && shell.root.classList.contains('nav-open')) {
    closeNav();
    shell.navToggle.focus();
  }
});

async function start() {
  replace(app, h('main', {class: 'boot'}, spinner('Starting…')));
  try {
    await loadSession();
  } catch (e) {
    replace(app, h('main', {class: 'boot-error'}, banner(e,  'error', h('button', {type: 'button', class: 'btn', onclick: () => location.reload()}, 'Reload'))));
    return;
  }
  setRouteHandler(route);
  window.addEventListener('hashchange', () => { route(); });
  route();
}

start();
