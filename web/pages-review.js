// pages-review.js — management reviews (clause 9.3): the review pack page (#/review-pack/:id),
// sections a–g of the inputs as the server compiled them (frozen when the review was held),
// the changes in the period, who took part and the actions decided, in a layout that prints;
// and on a review's own page, its actions with "Add action" and a link to the pack.
import {api} from './api.js';
import {h, append, banner, spinner, chip, button, linkButton, pageTitle, statusChip} from './dom.js';

const LETTERS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

function entryView(en) {
  return h('div', {class: 'pack-entry'},
    h('h3', null, en.title, ' ', h('small', {class: 'muted'}, en.clause)),
    h('p', null, en.summary),
    en.items.length ? h('ul', null, ...en.items.map((it) => h('li', null,
      h('a', {href: `#/t/${it.type}/${it.id}`}, it.title || `#${it.id}`),
      it.detail ? h('span', {class: 'muted'}, ` — ${it.detail}`) : null))) : null);
}

function sectionView(letter, sec) {
  const id = `pack-${letter}`;
  return h('section', {class: 'panel pack-section', 'aria-labelledby': id, dataset: {letter}},
    h('h2', {id}, `(${letter}) ${sec.title}`),
    sec.note ? h('p', {class: 'muted pack-note'}, sec.note) : null,
    ...sec.entries.map(entryView));
}

function changesView(changes) {
  return h('section', {class: 'panel', 'aria-labelledby': 'pack-changes'},
    h('h2', {id: 'pack-changes'}, 'Changes recorded in the period'),
    changes.length ? h('div', {class: 'table-wrap'}, h('table', {class: 'grid'},
      h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Records'), h('th', {scope: 'col'}, 'Clause'),
        h('th', {scope: 'col'}, 'What changed'))),
      h('tbody', null, ...changes.map((c) => h('tr', null,
        h('td', null, h('a', {href: `#/t/${c.type}`}, c.label)), h('td', null, c.clause || ''),
        h('td', null, c.summary))))))
      : h('p', {class: 'muted'}, 'No changes were recorded in the period.'));
}

function actionsTable(actions) {
  if (!actions.length) return h('p', {class: 'muted'}, 'No actions recorded for this review yet.');
  return h('div', {class: 'table-wrap'}, h('table', {class: 'grid review-actions'},
    h('thead', null, h('tr', null, ...['Action', 'Kind', 'Owner', 'Due', 'Status']
      .map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody', null, ...actions.map((a) => h('tr', null,
      h('td', null, h('a', {href: `#/t/review-actions/${a.id}`}, a.title)),
      h('td', null, a.kind.replace('_', ' ')),
      h('td', null, a.owner?.name || ''),
      h('td', null, a.due_on),
      h('td', null, statusChip(a.status), a.done_on ? ` ${a.done_on}` : ''))))));
}

function addActionButton(id) {
  return linkButton('Add action', `#/t/review-actions/new?review=${id}`, 'btn-primary add-action');
}

export async function reviewPackPage(main, route, signal) {
  const id = route.params.id;
  document.title = 'Review pack · isms';
  const box = h('div', {class: 'review-pack'}, spinner());
  append(main, box);
  let p;
  try {
    p = await api('GET', 'reports/review-pack', {params: {id}, signal});
  } catch (e) {
    if (e.name === 'AbortError') return;
    box.replaceChildren(pageTitle('Review pack'), banner(e));
    return;
  }
  const r = p.review;
  document.title = `${r.title} · review pack · isms`;
  const per = p.pack.period;
  const about = [
    ['Status', statusChip(r.status)],
    ['Planned for', r.planned_on || '—'],
    ['Held on', r.held_on || '—'],
    ['Chair', r.chair?.name || '—'],
    ['Attendees', r.attendees.map((a) => a.name).join(', ') || '—'],
    ['Period reviewed', `${per.since || 'the beginning (first review)'} to ${per.until}`],
    ['Inputs', p.frozen
      ? h('span', null, chip(p.seal_holds ? 'frozen, SHA-256 verified' : 'SHA-256 does not match',
        p.seal_holds ? 'ok' : 'bad'), ' ', h('code', {class: 'sha'}, p.inputs_sha256))
      : 'not held yet: compiled live from today\'s records'],
  ];
  box.replaceChildren(...[
    h('nav', {class: 'breadcrumbs', 'aria-label': 'Breadcrumbs'}, h('ol', null,
      h('li', null, h('a', {href: '#/t/management-reviews'}, 'Management reviews')),
      h('li', null, h('a', {href: `#/t/management-reviews/${r.id}`}, r.title)))),
    pageTitle(r.title, ' ', h('small', {class: 'muted'}, 'review pack')),
    h('div', {class: 'head-actions', role: 'group', 'aria-label': 'Actions'},
      button('Print', () => window.print(), 'btn-primary print-pack'),
      linkButton('Printable page', `/api/v1/reports/review-pack.html?id=${r.id}`, '', {target: '_blank', rel: 'noopener'})),
    h('section', {class: 'panel'}, h('dl', {class: 'pack-about'},
      ...about.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]))),
    r.agenda ? h('section', {class: 'panel', 'aria-labelledby': 'pack-agenda'},
      h('h2', {id: 'pack-agenda'}, 'Agenda'), h('p', {class: 'pre'}, r.agenda)) : null,
    ...LETTERS.map((l) => sectionView(l, p.pack.sections[l])),
    changesView(p.pack.changes),
    h('section', {class: 'panel', 'aria-labelledby': 'pack-outputs'},
      h('h2', {id: 'pack-outputs'}, 'Outputs: decisions and actions'),
      r.notes ? h('p', {class: 'pre'}, r.notes) : null,
      actionsTable(p.actions),
      r.status === 'held' ? addActionButton(r.id) : null)].filter(Boolean));
}

async function decorateReview(container, rec, {signal, asOf}) {
  if (asOf) return;
  const box = h('section', {class: 'panel review-outputs', 'aria-labelledby': 'review-actions-h'},
    h('h2', {id: 'review-actions-h'}, 'Actions decided'), spinner());
  const details = container.querySelector('section.panel');
  if (details) details.after(box);
  else container.appendChild(box);
  try {
    const p = await api('GET', 'reports/review-pack', {params: {id: rec.id}, signal});
    box.replaceChildren(box.firstChild, actionsTable(p.actions),
      rec.status === 'held' ? addActionButton(rec.id)
        : h('p', {class: 'muted'}, 'Actions are added once the review is recorded as held.'));
  } catch (e) {
    if (e.name === 'AbortError') return;
    box.replaceChildren(box.firstChild, banner(e));
  }
}

export const reviewHooks = {
  decorate: decorateReview,
  buttons: (rec) => [linkButton('Review pack', `#/review-pack/${rec.id}`, 'review-pack-link')],
};
