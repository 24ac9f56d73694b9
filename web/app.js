// app.js — the isms web app: start-up, the hash router, and the shell (top bar and the
// navigation that follows the structure of ISO/IEC 27001).
import {session, loadSession, loadMeta, signOut, setSignedOutHandler} from './api.js';
import {h, append, clear, replace, cap, banner, spinner, pageTitle} from './dom.js';
import {loginPage, passwordPage} from './pages-auth.js';
import {homePage, searchPage} from './pages-home.js';
import {listPage} from './pages-list.js';
import {recordPage} from './pages-record.js';
import {formPage} from './pages-form.js';
import {contextPage} from './pages-context.js';
import {risksPage, reportsPage} from './pages-risks.js';
import {soaPage} from './pages-soa.js';
import {methodPage} from './pages-method.js';
import {duePage, refreshDueBadge} from './pages-due.js';
import {frameworkPage} from './pages-documents.js';
import {inboxPage, refreshInboxBadge} from './pages-inbox.js';
import {readingPage, readingDocPage, ackProgressPage, ackDetailPage, refreshReadingBadge} from './pages-reading.js';
import {rolesPage, raciPage} from './pages-leadership.js';
import {roleName, visibleSections} from './sections.js';
import {parseHash, go, setFlash, takeFlash, hashFor, setRouteHandler} from './router.js';

// ---------------------------------------------------------------------------------------------
// Routing

const app = document.getElementById('app');
let shell = null;
let current = null;

function viewFor(r) {
  const [a, b, c, d] = r.parts;
  if (!a) return {key: 'home', page: homePage};
  if (a === 'context' && !b) return {key: 'context', page: contextPage};
  if (a === 'search' && !b) return {key: 'search', page: searchPage};
  if (a === 'risks' && !b) return {key: 'risks', page: risksPage};
  if (a === 'soa' && !b) return {key: 'soa', page: soaPage};
  if (a === 'reports' && !b) return {key: 'reports', page: reportsPage};
  if (a === 'due' && !b) return {key: 'due', page: duePage};
  if (a === 'framework' && !b) return {key: 'framework', page: frameworkPage};
  if (a === 'inbox' && !b) return {key: 'inbox', page: inboxPage};
  if (a === 'reading' && !b) return {key: 'reading', page: readingPage};
  if (a === 'reading' && /^\d+$/.test(b || '') && !c) return {key: `reading:${b}`, page: readingDocPage};
  if (a === 'acknowledgements' && !b) return {key: 'acknowledgements', page: ackProgressPage};
  if (a === 'acknowledgements' && /^\d+$/.test(b || '') && !c) return {key: `acknowledgements:${b}`, page: ackDetailPage};
  if (a === 'roles' && !b) return {key: 'roles', page: rolesPage};
  if (a === 'raci' && !b) return {key: 'raci', page: raciPage};
  if (a === 'method' && /^\d+$/.test(b || '') && !c) return {key: `method:${b}`, page: methodPage};
  if (a === 'password' && !b) return {key: 'password', page: passwordPage};
  if (a === 't' && b && !c) return {key: 'list:' + b, page: listPage};
  if (a === 't' && b && c === 'new' && !d) return {key: 'new:' + b, page: formPage};
  if (a === 't' && b && /^\d+$/.test(c || '') && !d) return {key: `rec:${b}:${c}`, page: recordPage};
  if (a === 't' && b && /^\d+$/.test(c || '') && d === 'edit' && r.parts.length === 4)
    return {key: `edit:${b}:${c}`, page: formPage};
  return {key: 'notfound', page: notFoundPage};
}

async function notFoundPage(main) {
  document.title = 'Not found · isms';
  append(main, pageTitle('Page not found'),
    h('p', null, 'There is no page at this address. It may have been mistyped, or the record type is not available to your role.'),
    h('p', null, h('a', {href: '#/'}, 'Go to the overview')));
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
    current?.ctrl.abort();
    current = null;
    shell = null;
    clear(app);
    await loginPage(app, r, null, {takeFlash, afterSignIn});
    return;
  }
  if (session.user.must_change_password) {
    if (first !== 'password') { go('#/password', {replace: true}); return; }
    // Nothing else answers until the one-time password is replaced: a page of its own.
    current?.ctrl.abort();
    current = null;
    shell = null;
    clear(app);
    await passwordPage(app, r, null, {afterSignIn, standalone: true});
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
  ensureShell();
  updateNav(r);
  closeNav();
  const v = viewFor(r);
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

const NAV_PAGES = {risks: '/risks', soa: '/soa'};
Object.assign(NAV_PAGES, {roles: '/roles', raci: '/raci', acknowledgements: '/acknowledgements'});
// Everyday names where the type's plural label reads oddly in the navigation.
const NAV_NAMES = {raci: 'RACI matrix', acknowledgements: 'Acknowledgement progress'};

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
  buildNav();
  refreshInboxBadge();
}

function buildNav() {
  const nav = shell.nav;
  clear(nav);
  const list = h('ul', {class: 'nav-sections'});
  list.appendChild(h('li', {class: 'nav-home'}, h('a', {href: '#/', dataset: {route: '/'}}, 'Overview')));
  const sections = visibleSections();
  // Reports: the exports, for whoever may read the registers they come from.
  if (!sections.some((s) => s.key === 'reports') && ['soa', 'risks', 'treatment-actions'].some((p) => session.byPlural.get(p)?.can_read)) {
    const at = sections.findIndex((s) => s.key === 'admin');
    sections.splice(at < 0 ? sections.length : at, 0, {key: 'reports', num: '', name: 'Reports', types: []});
  }
  for (const s of sections) {
    const items = h('ul', {class: 'nav-types'});
    if (s.key === '4') {
      items.appendChild(h('li', null, h('a', {href: '#/context', dataset: {route: '/context'}},
        h('span', {class: 'nav-label'}, 'Context at a glance'), h('span', {class: 'clause'}, '4.1–4.4'))));
    }
    if (s.key === '5' && session.byPlural.get('documents')?.can_read) {
      items.appendChild(h('li', null, h('a', {href: '#/framework', dataset: {route: '/framework'}},
        h('span', {class: 'nav-label'}, 'Policy framework'), h('span', {class: 'clause'}, '5.2'))));
    }
    if (s.key === '7') {
      items.appendChild(h('li', null, h('a', {href: '#/reading', dataset: {route: '/reading'}},
        h('span', {class: 'nav-label'}, 'Policies to read'), h('span', {class: 'nav-count', id: 'nav-reading-count'}))));
      if (session.byPlural.get('documents')?.can_read)
        items.appendChild(h('li', null, h('a', {href: '#/inbox', dataset: {route: '/inbox'}},
          h('span', {class: 'nav-label'}, 'Approval inbox'), h('span', {class: 'clause'}, '7.5.2 c'))));
    }
    if (s.key === 'reports') {
      items.appendChild(h('li', null, h('a', {href: '#/reports', dataset: {route: '/reports'}},
        h('span', {class: 'nav-label'}, 'Exports and heat maps'), h('span', {class: 'clause'}, ''))));
    }
    for (const t of s.types) {
      // The risk register and the SoA have pages of their own; the generic list stays at #/t/….
      const own = NAV_PAGES[t.plural];
      items.appendChild(h('li', null, h('a', {href: `#${own || '/t/' + t.plural}`, dataset: {route: own || `/t/${t.plural}`}},
        h('span', {class: 'nav-label'}, NAV_NAMES[t.plural] || cap(t.label_plural)), h('span', {class: 'clause'}, t.clause))));
    }
    const id = 'nav-' + s.key;
    list.appendChild(h('li', {class: 'nav-section'},
      h('h2', {id}, s.num ? h('span', {class: 'num'}, s.num) : null, s.name),
      append(items, []), null));
    items.setAttribute('aria-labelledby', id);
  }
  nav.appendChild(list);
  refreshReadingBadge();
  // On a phone the top bar has no room for the person and the password link.
  const u = session.user;
  nav.appendChild(h('div', {class: 'nav-user'},
    h('p', null, h('strong', null, u.name || u.username), h('br'), h('span', {class: 'muted'}, roleName(u.role))),
    h('a', {href: '#/password'}, 'Change password')));
}

function updateNav(r) {
  const path = '/' + r.parts.slice(0, r.parts[0] === 't' ? 2 : 1).join('/');
  for (const a of shell.nav.querySelectorAll('a[data-route]')) {
    if (a.dataset.route === path) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
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
