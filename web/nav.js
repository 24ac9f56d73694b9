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

// Reports: a link for each page that shows views with formats (exports, SVG) the user may
// read (meta.views), once per page, labelled by the route table's Reports entry for it or
// by the view's title; from a server that lists no views, the route table's links.
function reportLinks() {
  const views = session.meta.views;
  if (!Array.isArray(views)) return menuLinks('reports');
  const links = new Map();
  for (const v of views) {
    if (!v.web || !v.formats?.length || v.can_read === false) continue;
    const address = v.web.replace(/^#/, '');
    const route = address.split('?')[0];
    const own = ROUTES.find((r) => r.pattern === route && r.menu?.section === 'reports');
    const link = links.get(route);
    if (link) {
      if (v.clause && !link.clauses.includes(v.clause)) link.clauses.push(v.clause);
      continue;
    }
    links.set(route, {route, href: `#${address}`, label: own ? own.menu.label : v.title,
      clauses: v.clause ? [v.clause] : []});
  }
  return [...links.values()].map(({clauses, ...l}) => ({...l, clause: clauseSpan(clauses)}));
}

// "6.1.2–6.1.3": the span of clauses a Reports link covers.
function clauseSpan(clauses) {
  const sorted = clauses.map((c) => c.split(' ')[0]).sort();
  return sorted.length > 1 ? `${sorted[0]}–${sorted[sorted.length - 1]}` : sorted[0] || '';
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
