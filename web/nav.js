// nav.js — the navigation: the standard's sections in order (sections.js), each with the
// pages the route table gives a link of their own (routes.js) and the record types the user
// may read; Reports lists the server's read views once /api/v1/meta names them.
import {session} from './api.js';
import {h, clear, cap} from './dom.js';
import {visibleSections, sectionOf, roleName} from './sections.js';
import {ROUTES} from './routes.js';
import {hooksFor} from './hooks.js';
import {refreshReadingBadge} from './pages-reading.js';

const readable = (plural) => !!session.byPlural.get(plural)?.can_read;

// The links the route table declares for a section, for whoever may read what they show.
function menuLinks(key) {
  return ROUTES.filter((r) => r.menu && r.menu.section === key && (!r.menu.reads || r.menu.reads.some(readable)))
    .map((r) => ({...r.menu, route: r.pattern}));
}

// Reports: a link for every view the server lists with a page here (meta.views, labelled by
// its title), or, from a server that lists no views, the route table's links.
function reportLinks() {
  const views = session.meta.views;
  if (!Array.isArray(views)) return menuLinks('reports');
  return views.filter((v) => v.web).map((v) => {
    const address = v.web.replace(/^#/, '');
    return {route: address.split('?')[0], href: `#${address}`, label: v.title, clause: v.clause || ''};
  });
}

function linkItem({route, href, label, clause, count}) {
  return h('li', null, h('a', {href: href || `#${route}`, dataset: {route}},
    h('span', {class: 'nav-label'}, label),
    count ? h('span', {class: 'nav-count', id: count}) : h('span', {class: 'clause'}, clause)));
}

// A type links to its own page where it has one (the risk register, the SoA: hooks.js).
function typeItem(t) {
  const {navPage, navLabel} = hooksFor(t.plural);
  return linkItem({route: navPage || `/t/${t.plural}`, label: navLabel || cap(t.label_plural), clause: t.clause});
}

function sectionItem(s, links) {
  const id = 'nav-' + s.key;
  return h('li', {class: 'nav-section'},
    h('h2', {id}, s.num ? h('span', {class: 'num'}, s.num) : null, s.name),
    h('ul', {class: 'nav-types', 'aria-labelledby': id}, links.map(linkItem), s.types.map(typeItem)));
}

// Sections in order; Reports, which has no record types, before Administration when it has
// links.
function navSections(reports) {
  const sections = visibleSections();
  if (!sections.some((s) => s.key === 'reports') && reports.length) {
    const at = sections.findIndex((s) => s.key === 'admin');
    sections.splice(at < 0 ? sections.length : at, 0, {...sectionOf('reports'), types: []});
  }
  return sections;
}

export function buildNav(nav) {
  clear(nav);
  const reports = reportLinks();
  nav.appendChild(h('ul', {class: 'nav-sections'},
    h('li', {class: 'nav-home'}, h('a', {href: '#/', dataset: {route: '/'}}, 'Overview')),
    navSections(reports).map((s) => sectionItem(s, s.key === 'reports' ? reports : menuLinks(s.key)))));
  refreshReadingBadge();
  // On a phone the top bar has no room for the person and the password link.
  const u = session.user;
  nav.appendChild(h('div', {class: 'nav-user'},
    h('p', null, h('strong', null, u.name || u.username), h('br'), h('span', {class: 'muted'}, roleName(u.role))),
    h('a', {href: '#/password'}, 'Change password')));
}

// Marks the link of the page shown (path: '/t/risks', '/soa').
export function markCurrent(nav, path) {
  for (const a of nav.querySelectorAll('a[data-route]')) {
    if (a.dataset.route === path) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}
