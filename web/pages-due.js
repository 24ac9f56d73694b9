// pages-due.js — what is due: reviews and actions whose date has come or comes soon, from
// GET /api/v1/due, for everyone or only the signed-in person; and the count in the top bar.
import {session, api, typeOf} from './api.js';
import {h, append, replace, cap, spinner, banner, pageTitle, chip} from './dom.js';
import {hashFor} from './router.js';

// Fills the top-bar link with the number of overdue items (quietly: it is a hint).
export async function refreshDueBadge(link) {
  try {
    const r = await api('GET', 'due', {params: {days: 0}});
    const n = r.overdue;
    link.textContent = n ? `Due ${n}` : 'Due';
    link.classList.toggle('due-alert', n > 0);
    link.setAttribute('aria-label', n ? `${n} overdue: what is due` : 'What is due');
  } catch { /* the page itself shows errors */ }
}

export async function duePage(main, route, signal) {
  document.title = 'What is due · isms';
  const mine = route.query.get('mine') === 'true';
  const days = ['0', '30', '90'].includes(route.query.get('days')) ? route.query.get('days') : '30';
  const body = h('div', {class: 'panel'}, spinner());
  const toggle = (m, d) => hashFor('/due', {...(m ? {mine: 'true'} : {}), days: d});
  append(main,
    h('div', {class: 'page-head'}, h('div', null,
      pageTitle('What is due'),
      h('p', {class: 'lede'}, 'Reviews and actions whose date has passed or comes within the period, oldest first. Overdue items are what an auditor asks about first.'))),
    h('div', {class: 'toolbar'},
      h('a', {href: toggle(false, days), class: 'btn' + (mine ? ' btn-quiet' : ''), 'aria-current': mine ? null : 'true'}, 'Everyone'),
      session.user.person
        ? h('a', {href: toggle(true, days), class: 'btn' + (mine ? '' : ' btn-quiet'), 'aria-current': mine ? 'true' : null}, 'Mine')
        : null,
      ...['0', '30', '90'].map((d) => h('a', {href: toggle(mine, d), class: 'btn' + (d === days ? '' : ' btn-quiet'),
        'aria-current': d === days ? 'true' : null}, d === '0' ? 'Overdue only' : `Next ${d} days`))),
    body);
  let r;
  try {
    r = await api('GET', 'due', {params: {days, ...(mine ? {mine: 'true'} : {})}, signal});
  } catch (e) {
    replace(body, banner(e));
    return;
  }
  if (!r.items.length) {
    replace(body, h('p', null, mine ? 'Nothing of yours is due in this period.' : 'Nothing is due in this period.'));
    return;
  }
  const rows = r.items.map((it) => {
    const t = typeOf(it.type);
    return h('tr', null,
      h('td', null, it.date),
      h('td', null, it.overdue ? chip('Overdue', 'bad') : chip('Due soon', 'warn')),
      h('td', null, cap(it.what)),
      h('td', null, t ? cap(t.label) : it.type),
      h('td', null, h('a', {href: `#/t/${it.type}/${it.id}`}, it.title || `#${it.id}`)));
  });
  replace(body,
    h('p', {class: 'muted'}, `${r.total} due, ${r.overdue} overdue (today is ${r.today}).`),
    h('div', {class: 'table-wrap'}, h('table', {class: 'grid'},
      h('thead', null, h('tr', null, ...['Date', 'State', 'What', 'Record type', 'Record'].map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', null, rows))));
}
