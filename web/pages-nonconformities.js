// pages-nonconformities.js — nonconformity and corrective action (clause 10.2): the board (a
// column per state, a card per nonconformity with its owner, the next corrective action's due
// day and its age, from the server's nonconformity-board view), and on a nonconformity's own
// page its corrective actions (with "Add action") and its effectiveness reviews. Cards are
// plain links in lists, so the board reads and tabs column by column; on a phone the columns
// stack.
import {api, listAll, typeOf, refTitle} from './api.js';
import {h, append, replace, cap, humanize, banner, spinner, pageTitle, chip, statusChip} from './dom.js';
import {unknownType} from './common.js';

const today = () => new Date().toISOString().slice(0, 10);
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
const CLOSED_DAYS = [['30', 'last 30 days'], ['90', 'last 90 days'], ['365', 'last year'], ['3650', 'all']];

function card(c) {
  const facts = [
    h('span', {class: 'board-owner'}, c.owner_name ? `Owner: ${c.owner_name}` : 'No owner'),
    h('span', {class: 'board-age'}, c.detected_on ? `${plural(c.age_days, 'day', 'days')} old` : ''),
    c.next_due ? h('span', {class: ['board-due', c.overdue ? 'warn-text' : null]},
      `${c.overdue ? 'Overdue since' : 'Next due'} ${c.next_due}`) : null,
  ];
  return h('li', {dataset: {nc: String(c.id)}},
    h('a', {href: `#/t/nonconformities/${c.id}`, class: 'board-card',
      'aria-label': `${c.title}, ${c.owner_name ? `owner ${c.owner_name}` : 'no owner'}, ${c.age_days} days old${c.next_due ? `, ${c.overdue ? 'overdue since' : 'next due'} ${c.next_due}` : ''}`},
    h('span', {class: 'board-title'}, c.title),
    h('span', {class: 'board-chips'},
      c.severity ? chip(cap(c.severity), c.severity === 'major' ? 'bad' : 'warn') : null,
      c.overdue ? chip('Overdue', 'bad') : null,
      c.actions ? chip(`${c.actions - c.actions_open}/${c.actions} actions done`, 'neutral') : null,
      h('span', {class: 'muted'}, humanize(c.source))),
    h('span', {class: 'board-facts'}, ...facts)));
}

function column(col) {
  const id = `board-col-${col.state}`;
  return h('section', {class: 'board-col', 'aria-labelledby': id, dataset: {state: col.state}},
    h('h2', {id}, col.label, ' ', h('span', {class: 'count'}, String(col.count))),
    col.cards.length ? h('ol', {class: 'board-cards'}, col.cards.map(card))
      : h('p', {class: 'muted board-empty'}, 'None.'));
}

// #/nonconformities/board — the board; ?closed=N days of closed and rejected ones.
export async function nonconformityBoardPage(main, route, signal) {
  const type = typeOf('nonconformities');
  if (!type || !type.can_read) return unknownType(main, 'nonconformities');
  document.title = 'Nonconformity board · isms';
  const closed = CLOSED_DAYS.some(([v]) => v === route.query?.get('closed')) ? route.query.get('closed') : '90';
  const box = h('div', {class: 'board-box'}, spinner('Loading the board…'));
  const select = h('select', {id: 'board-closed', name: 'closed'},
    CLOSED_DAYS.map(([v, label]) => h('option', {value: v, selected: v === closed}, label)));
  select.addEventListener('change', () => { location.hash = `#/nonconformities/board?closed=${select.value}`; });
  append(main,
    h('div', {class: 'page-head'},
      h('div', null,
        h('p', {class: 'eyebrow'}, '10 Improvement · clause 10.2'),
        pageTitle('Nonconformity board'),
        h('p', {class: 'lede'}, 'Every nonconformity by where it stands: corrected, cause analysed, corrective action under way, effectiveness being verified. Each closes only after a review found its corrective action effective.')),
      h('div', {class: 'head-actions'},
        h('a', {href: '/api/v1/reports/nonconformity-register.xlsx', class: 'btn', download: ''}, 'Register (XLSX)'),
        h('a', {href: '/api/v1/reports/nonconformity-register.csv', class: 'btn', download: ''}, 'CSV'),
        h('a', {href: '#/t/nonconformities', class: 'btn'}, 'As a list'),
        type.can_write ? h('a', {href: '#/t/nonconformities/new', class: 'btn btn-primary', id: 'new-nc'}, 'New nonconformity') : null)),
    h('p', {class: 'toolbar board-toolbar'}, h('label', {for: 'board-closed'}, 'Closed and rejected: '), select),
    box);
  let board;
  try {
    board = await api('GET', 'reports/nonconformity-board', {params: {closed_days: closed}, signal});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(box, banner(e));
    return null;
  }
  if (signal.aborted) return null;
  const open = board.columns.filter((c) => !['closed', 'rejected'].includes(c.state))
    .reduce((n, c) => n + c.count, 0);
  const overdue = board.columns.flatMap((c) => c.cards).filter((c) => c.overdue).length;
  replace(box,
    h('p', {class: 'list-summary', id: 'board-summary', role: 'status'},
      `${plural(open, 'open nonconformity', 'open nonconformities')}${overdue ? `, ${overdue} with an overdue corrective action` : ''}.`),
    h('div', {class: 'board', id: 'nc-board'}, board.columns.map(column)));
  return null;
}

// ---------------------------------------------------------------------------------------------
// A nonconformity's page: its corrective actions and its effectiveness reviews.

function actionsPanel(panel, rec, items, refs, rt) {
  const open = items.filter((a) => a.status === 'planned' || a.status === 'in_progress');
  const closedNc = rec.status === 'closed' || rec.status === 'rejected';
  replace(panel,
    h('div', {class: 'linked-head'},
      h('h2', {id: 'nc-actions-title'}, 'Corrective actions ', h('span', {class: 'muted'}, `· ${items.length}`)),
      rt.can_write && rec.can_edit && !closedNc
        ? h('a', {href: `#/t/corrective-actions/new?${new URLSearchParams({nonconformity: rec.id})}`, class: 'btn btn-small', id: 'add-action'}, 'Add action') : null),
    items.length
      ? h('div', {class: 'table-wrap'}, h('table', {class: 'grid small', id: 'nc-actions'},
        h('caption', {class: 'sr-only'}, 'Corrective actions'),
        h('thead', null, h('tr', null, ['Action', 'Owner', 'Due', 'Status', 'Done on'].map((t) => h('th', {scope: 'col'}, t)))),
        h('tbody', null, items.map((a) => h('tr', {dataset: {action: String(a.id)}},
          h('th', {scope: 'row', 'data-label': 'Action'}, h('a', {href: `#/t/corrective-actions/${a.id}`}, a.description)),
          h('td', {'data-label': 'Owner'}, a.owner ? refTitle(refs, 'people', a.owner) : '—'),
          h('td', {'data-label': 'Due', class: ['col-date', a.overdue ? 'warn-text' : null]}, a.due_on || '—'),
          h('td', {'data-label': 'Status'}, statusChip(a.status), a.overdue ? [' ', chip('Overdue', 'bad')] : null),
          h('td', {'data-label': 'Done on', class: 'col-date'}, a.done_on || '—'))))))
      : h('p', {class: 'muted'}, rec.no_action_reason ? 'None: the analysis found none is needed.' : 'No corrective action yet.'),
    open.length ? h('p', {class: 'muted'}, `${plural(open.length, 'action', 'actions')} still open.`) : null);
}

function reviewsPanel(rec) {
  const reviews = Array.isArray(rec.reviews) ? rec.reviews : [];
  return h('section', {class: 'panel nc-reviews', 'aria-labelledby': 'nc-reviews-title'},
    h('h2', {id: 'nc-reviews-title'}, 'Effectiveness reviews'),
    reviews.length
      ? h('ol', {class: 'nc-review-list', id: 'nc-reviews'}, reviews.map((r) => h('li', null,
        chip(r.result === 'effective' ? 'Effective' : 'Not effective', r.result === 'effective' ? 'ok' : 'bad'), ' ',
        h('strong', null, r.on), ` by ${r.reviewer_name || '—'}: `, h('span', null, r.evidence || ''))))
      : h('p', {class: 'muted'}, rec.status === 'closed' || rec.status === 'rejected'
        ? 'No effectiveness review.' : 'None yet. Once the corrective actions are done, someone who owns neither the nonconformity nor its actions reviews whether they worked; it closes only after a review found them effective.'));
}

function decorateNc(container, rec, {signal, asOf}) {
  if (asOf) return;
  const rt = typeOf('corrective-actions');
  const details = container.querySelector('section.panel');
  const reviews = reviewsPanel(rec);
  if (details) details.after(reviews);
  else container.append(reviews);
  if (!rt || !rt.can_read) return;
  const panel = h('section', {class: 'panel nc-actions', 'aria-labelledby': 'nc-actions-title'},
    h('h2', {id: 'nc-actions-title'}, 'Corrective actions'), spinner('Loading the corrective actions…'));
  reviews.before(panel);
  listAll('corrective-actions', {nonconformity: rec.id, sort: 'due_on'}, {signal}).then(({items, refs}) => {
    if (!signal.aborted) actionsPanel(panel, rec, items, refs, rt);
  }, (e) => { if (e.name !== 'AbortError') replace(panel, banner(e)); });
}

export const nonconformityHooks = {
  linkedSkip: 'corrective-actions',
  decorate: decorateNc,
  buttons: () => [h('a', {href: '#/nonconformities/board', class: 'btn'}, 'Board')],
};
