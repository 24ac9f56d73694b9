// pages-objectives.js — information security objectives (ISO/IEC 27001 6.2): the list with
// status, level, owner, due date and whether each is on track; and on an objective's own page
// its results, their trend against the target (an SVG the server draws) and a form to add a
// result, for whoever may record one.
import {api, listAll, typeOf, refTitle} from './api.js';
import {h, append, replace, cap, humanize, banner, spinner, pageTitle, chip, statusChip} from './dom.js';
import {unknownType} from './common.js';
import {measureChip} from './pages-measures.js';

// The list has a page of its own; the record page shows the results in its own way.
export const objectiveHooks = {
  navPage: '/objectives',
  linkedSkip: 'objective-results',
  decorate: (body, rec, {signal, asOf, reload}) => { if (!asOf) decorateObjective(body, rec, signal, reload); },
};

const num = (v) => (typeof v === 'number' ? v.toLocaleString('en', {maximumFractionDigits: 6}) : '—');
const withUnit = (v, unit) => (typeof v === 'number' ? `${num(v)}${unit ? ` ${unit}` : ''}` : '—');
const today = () => new Date().toISOString().slice(0, 10);

function targetText(o) {
  if (typeof o.target !== 'number') return 'no target yet';
  return `${o.direction === 'at_most' ? 'at most' : 'at least'} ${withUnit(o.target, o.unit)}`;
}

export function trackChip(o) {
  if (o.on_track === true) return chip('On track', 'ok', 'track');
  if (o.on_track === false) return chip('Off track', 'bad', 'track');
  return chip('No result yet', 'off', 'track');
}

// #/objectives — every objective, open ones first.
export async function objectivesPage(main, route, signal) {
  const type = typeOf('objectives');
  if (!type || !type.can_read) return unknownType(main, 'objectives');
  document.title = 'Objectives · isms';
  const box = h('div', {class: 'objectives-box'}, spinner('Loading the objectives…'));
  append(main,
    h('div', {class: 'page-head'},
      h('div', null,
        h('p', {class: 'eyebrow'}, '6 Planning · clause 6.2'),
        pageTitle('Information security objectives'),
        h('p', {class: 'lede'}, 'What the organization means to achieve, measured against a target by a due date, and whether the latest result is on track.')),
      h('div', {class: 'head-actions'},
        h('a', {href: '/api/v1/reports/objective-register.xlsx', class: 'btn', download: ''}, 'Export (XLSX)'),
        h('a', {href: '#/t/objectives', class: 'btn'}, 'As a list'),
        type.can_write ? h('a', {href: '#/t/objectives/new', class: 'btn btn-primary', id: 'new-objective'}, 'New objective') : null)),
    box);
  let items;
  let refs;
  try {
    ({items, refs} = await listAll('objectives', {sort: 'due_on'}, {signal}));
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(box, banner(e));
    return null;
  }
  if (signal.aborted) return null;
  if (!items.length) {
    replace(box, h('div', {class: 'panel empty-state'}, h('p', null, h('strong', null, 'No objectives yet')),
      h('p', null, 'Set measurable objectives consistent with the information security policy: each with a target, an owner and a due date.')));
    return null;
  }
  const rank = {active: 0, draft: 1, achieved: 2, not_achieved: 2, withdrawn: 3};
  items.sort((a, b) => (rank[a.status] ?? 9) - (rank[b.status] ?? 9));
  const active = items.filter((o) => o.status === 'active');
  const off = active.filter((o) => o.on_track === false).length;
  const overdue = active.filter((o) => o.due_on && o.due_on < today()).length;
  replace(box,
    h('p', {class: 'list-summary', id: 'objectives-summary'},
      `${items.length} ${items.length === 1 ? 'objective' : 'objectives'}, ${active.length} active: ${active.length - off} on track or not yet measured, ${off} off track${overdue ? `, ${overdue} past the due date` : ''}.`),
    h('div', {class: 'table-wrap'},
      h('table', {class: 'grid objectives-table', id: 'objectives-table'},
        h('caption', {class: 'sr-only'}, 'Information security objectives'),
        h('thead', null, h('tr', null,
          ['Objective', 'Status', 'Level', 'Owner', 'Due', 'Target', 'Latest result', 'On track'].map((t) => h('th', {scope: 'col'}, t)))),
        h('tbody', null, items.map((o) => h('tr', {dataset: {objective: String(o.id)}},
          h('th', {scope: 'row', 'data-label': 'Objective'}, h('a', {href: `#/t/objectives/${o.id}`}, o.statement)),
          h('td', {'data-label': 'Status'}, statusChip(o.status)),
          h('td', {'data-label': 'Level'}, cap(humanize(o.level))),
          h('td', {'data-label': 'Owner'}, o.owner ? h('a', {href: `#/t/people/${o.owner}`}, refTitle(refs, 'people', o.owner)) : '—'),
          h('td', {'data-label': 'Due', class: ['col-date', o.status === 'active' && o.due_on && o.due_on < today() ? 'warn-text' : null]}, o.due_on || '—'),
          h('td', {'data-label': 'Target'}, targetText(o)),
          h('td', {'data-label': 'Latest result'}, o.latest_on ? `${withUnit(o.latest_value, o.unit)} (${o.latest_on})` : '—'),
          h('td', {'data-label': 'On track'}, trackChip(o))))))));
  return null;
}

// ---------------------------------------------------------------------------------------------
// The objective's page: results, trend and "Add result".

function decorateObjective(container, o, signal, reload) {
  const rt = typeOf('objective-results');
  if (!rt || !rt.can_read) return;
  const panel = h('section', {class: 'panel objective-results', 'aria-labelledby': 'objective-results-title'},
    h('h2', {id: 'objective-results-title'}, 'Results against the target'), spinner('Loading the results…'));
  const details = container.querySelector('section.panel');
  if (details) details.after(panel);
  else container.append(panel);
  listAll('objective-results', {objective: o.id, sort: 'measured_on'}, {signal}).then(({items}) => {
    if (signal.aborted) return;
    showResults(panel, o, items, rt, reload);
  }, (e) => {
    if (e.name === 'AbortError') return;
    replace(panel, h('h2', {id: 'objective-results-title'}, 'Results against the target'), banner(e));
  });
}

function showResults(panel, o, items, rt, reload) {
  const open = o.status === 'draft' || o.status === 'active';
  const latest = items[items.length - 1];
  const meets = (v) => (typeof o.target !== 'number' ? null : o.direction === 'at_most' ? v <= o.target : v >= o.target);
  replace(panel,
    h('h2', {id: 'objective-results-title'}, 'Results against the target'),
    h('p', {class: 'meta-line', id: 'objective-track'}, trackChip(o), ' ',
      `Target ${targetText(o)}${o.due_on ? `, due ${o.due_on}` : ''}. `,
      latest ? `Latest: ${withUnit(latest.value, o.unit)} on ${latest.measured_on}.` : 'No result recorded yet.'),
    o.measure ? h('p', {class: 'meta-line', id: 'objective-measure'}, 'Measured by ',
      h('a', {href: `#/t/measures/${o.measure}`}, refTitle(o.refs, 'measures', o.measure)), ': ', measureChip(o.measure_status),
      latest ? '' : ` The measure's latest measurement stands in for a result: ${withUnit(o.latest_value, o.unit)} on ${o.latest_on || '—'}.`) : null,
    h('figure', {class: 'objective-trend'},
      trendImage(o, `Trend of the results of "${o.statement}" against the target: ${items.length} results${latest ? `, the latest ${withUnit(latest.value, o.unit)}` : ''}.`),
      h('figcaption', null, h('a', {href: `/api/v1/reports/objective-trend.svg?objective=${o.id}`, target: '_blank', rel: 'noopener'}, 'Open the trend as SVG'))),
    items.length ? h('div', {class: 'table-wrap'},
      h('table', {class: 'grid small', id: 'objective-results-table'},
        h('caption', {class: 'sr-only'}, 'Results, oldest first'),
        h('thead', null, h('tr', null, ['Measured on', 'Value', 'Against target', 'Note'].map((t) => h('th', {scope: 'col'}, t)))),
        h('tbody', null, items.map((r) => {
          const m = meets(r.value);
          return h('tr', null,
            h('th', {scope: 'row'}, h('a', {href: `#/t/objective-results/${r.id}`}, r.measured_on)),
            h('td', null, withUnit(r.value, o.unit)),
            h('td', null, m === null ? '—' : m ? chip('Meets', 'ok') : chip('Misses', 'bad')),
            h('td', null, r.note || ''));
        })))) : null,
    rt.can_write && open ? addResultForm(o, reload) : null);
}

// The server's SVG as a data: address, read afresh each time: a browser keeps an image it has
// shown under the same address, so after a new result the old picture would stay.
function trendImage(o, alt) {
  const img = h('img', {alt, id: 'objective-trend-img', width: '640', height: '320'});
  fetch(`/api/v1/reports/objective-trend.svg?objective=${o.id}`, {credentials: 'same-origin', cache: 'no-store'})
    .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`The trend could not be drawn (${r.status}).`))))
    .then((svg) => { img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`; },
      (e) => img.replaceWith(banner(e)));
  return img;
}

function addResultForm(o, reload) {
  const err = h('div', {class: 'form-error', 'aria-live': 'polite'});
  const date = h('input', {type: 'date', id: 'result-date', name: 'measured_on', required: true, max: today(), value: today()});
  const value = h('input', {type: 'number', id: 'result-value', name: 'value', required: true, step: 'any', inputmode: 'decimal', class: 'narrow-input'});
  const note = h('input', {type: 'text', id: 'result-note', name: 'note', maxlength: '2000'});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary', id: 'add-result'}, 'Add result');
  const form = h('form', {class: 'add-result', 'aria-labelledby': 'add-result-title', novalidate: true},
    h('h3', {id: 'add-result-title'}, 'Add result'),
    h('div', {class: 'add-result-row'},
      h('div', {class: 'field'}, h('label', {for: 'result-date'}, 'Measured on'), date),
      h('div', {class: 'field'}, h('label', {for: 'result-value'}, `Value${o.unit ? ` (${o.unit})` : ''}`), value),
      h('div', {class: 'field grow'}, h('label', {for: 'result-note'}, 'Note (optional)'), note),
      h('div', {class: 'field'}, submit)),
    err);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(err);
    const v = value.value.trim() === '' ? NaN : Number(value.value);
    if (!date.value) { replace(err, banner('Measured on: give the day it was measured.')); date.focus(); return; }
    if (!Number.isFinite(v)) { replace(err, banner('Value: enter a number, e.g. 7 or 99.9.')); value.focus(); return; }
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      await api('POST', 'objective-results', {body: {objective: o.id, measured_on: date.value, value: v, note: note.value.trim() || null}});
      await reload(`Result of ${withUnit(v, o.unit)} on ${date.value} added.`);
    } catch (e) {
      replace(err, banner(e));
      submit.disabled = false;
      form.removeAttribute('aria-busy');
      const bad = e.field === 'value' ? value : e.field === 'measured_on' ? date : null;
      if (bad) bad.focus();
    }
  });
  return form;
}
