// pages-measures.js — monitoring and measurement (ISO/IEC 27001 9.1): the dashboard of every
// active measure (status in words and colour, latest value, the change since the previous
// measurement, next collection due) and, on a measure's own page, its trend against the
// thresholds (an SVG the server draws), its measurements and a form to add one.
import {api, listAll, typeOf} from './api.js';
import {h, append, replace, banner, spinner, pageTitle, chip} from './dom.js';
import {unknownType} from './common.js';

// The dashboard is the measures' page; the record page shows the measurements in its own way.
export const measureHooks = {
  navPage: '/measures/dashboard',
  linkedSkip: 'measurements',
  decorate: (body, rec, {signal, asOf, reload}) => { if (!asOf) decorateMeasure(body, rec, signal, reload); },
};

const num = (v) => (typeof v === 'number' ? v.toLocaleString('en', {maximumFractionDigits: 6}) : '—');
const withUnit = (v, unit) => (typeof v === 'number' ? `${num(v)}${unit ? ` ${unit}` : ''}` : '—');
const today = () => new Date().toISOString().slice(0, 10);
const TONE = {green: 'ok', amber: 'warn', red: 'bad', none: 'off'};
const WORD = {green: 'Green', amber: 'Amber', red: 'Red', none: 'Not measured'};

// The status as a word in a coloured chip: the word carries it, the colour repeats it.
export function measureChip(status) {
  return chip(WORD[status] || 'Not measured', TONE[status] || 'off', 'measure-status');
}

function trendText(row) {
  if (row.trend === 'none') return '—';
  if (row.trend === 'flat') return '→ unchanged';
  const arrow = row.trend === 'up' ? '↑ up' : '↓ down';
  return `${arrow}${row.improving === true ? ', better' : row.improving === false ? ', worse' : ''}`;
}

// #/measures/dashboard — every active measure.
export async function measureDashboardPage(main, route, signal) {
  const type = typeOf('measures');
  if (!type || !type.can_read) return unknownType(main, 'measures');
  document.title = 'Measure dashboard · isms';
  const box = h('div', {class: 'measures-box'}, spinner('Loading the measures…'));
  append(main,
    h('div', {class: 'page-head'},
      h('div', null,
        h('p', {class: 'eyebrow'}, '9 Performance evaluation · clause 9.1'),
        pageTitle('Measure dashboard'),
        h('p', {class: 'lede'}, 'Every active measure: its status at the latest measurement against its thresholds, the change since the previous one, and when the next is due.')),
      h('div', {class: 'head-actions'},
        h('a', {href: '/api/v1/reports/measure-dashboard.xlsx', class: 'btn', download: ''}, 'Export (XLSX)'),
        h('a', {href: '/api/v1/reports/measure-dashboard.csv', class: 'btn', download: ''}, 'CSV'),
        h('a', {href: '#/t/measures', class: 'btn'}, 'All measures'),
        type.can_write ? h('a', {href: '#/t/measures/new', class: 'btn btn-primary', id: 'new-measure'}, 'New measure') : null)),
    box);
  let d;
  try {
    d = await api('GET', 'reports/measure-dashboard', {signal});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(box, banner(e));
    return null;
  }
  if (signal.aborted) return null;
  if (!d.measures.length) {
    replace(box, h('div', {class: 'panel empty-state'}, h('p', null, h('strong', null, 'No active measures yet')),
      h('p', null, 'Decide what to monitor and measure: for each measure its information need, method, thresholds, frequency, who collects it and who analyses it.')));
    return null;
  }
  const t = d.totals;
  replace(box,
    h('p', {class: 'list-summary', id: 'measures-summary'},
      `${d.measures.length} active ${d.measures.length === 1 ? 'measure' : 'measures'}: ${t.green} green, ${t.amber} amber, ${t.red} red, ${t.none} not measured yet; ${t.overdue} overdue for a measurement.`),
    h('div', {class: 'table-wrap'},
      h('table', {class: 'grid measures-table', id: 'measures-table'},
        h('caption', {class: 'sr-only'}, 'Active measures and their status'),
        h('thead', null, h('tr', null,
          ['Measure', 'Status', 'Latest', 'Change', 'Thresholds', 'Next due'].map((x) => h('th', {scope: 'col'}, x)))),
        h('tbody', null, d.measures.map((m) => h('tr', {dataset: {measure: String(m.id), status: m.status}},
          h('th', {scope: 'row', 'data-label': 'Measure'}, h('a', {href: `#/t/measures/${m.id}`}, m.name)),
          h('td', {'data-label': 'Status'}, measureChip(m.status)),
          h('td', {'data-label': 'Latest'}, m.latest_on ? `${withUnit(m.latest_value, m.unit)} (${m.latest_on})` : '—'),
          h('td', {'data-label': 'Change'}, trendText(m)),
          h('td', {'data-label': 'Thresholds'}, `green ${m.direction === 'lower_is_better' ? '≤' : '≥'} ${num(m.green)}, red ${m.direction === 'lower_is_better' ? '≥' : '≤'} ${num(m.red)}`),
          h('td', {'data-label': 'Next due', class: m.overdue ? 'warn-text' : null},
            m.next_due ? `${m.next_due}${m.overdue ? ' (overdue)' : ''}` : '—')))))));
  return null;
}

// ---------------------------------------------------------------------------------------------
// The measure's page: trend, measurements and "Add measurement".

function decorateMeasure(container, m, signal, reload) {
  const rt = typeOf('measurements');
  if (!rt || !rt.can_read) return;
  const panel = h('section', {class: 'panel measure-results', 'aria-labelledby': 'measure-results-title'},
    h('h2', {id: 'measure-results-title'}, 'Measurements against the thresholds'), spinner('Loading the measurements…'));
  const details = container.querySelector('section.panel');
  if (details) details.after(panel);
  else container.append(panel);
  listAll('measurements', {measure: m.id, sort: 'measured_on'}, {signal}).then(({items}) => {
    if (signal.aborted) return;
    showMeasurements(panel, m, items, rt, reload);
  }, (e) => {
    if (e.name === 'AbortError') return;
    replace(panel, h('h2', {id: 'measure-results-title'}, 'Measurements against the thresholds'), banner(e));
  });
}

function statusOf(m, v) {
  const lower = m.direction === 'lower_is_better';
  if (lower ? v <= m.green : v >= m.green) return 'green';
  return (lower ? v >= m.red : v <= m.red) ? 'red' : 'amber';
}

function showMeasurements(panel, m, items, rt, reload) {
  const latest = items[items.length - 1];
  replace(panel,
    h('h2', {id: 'measure-results-title'}, 'Measurements against the thresholds'),
    h('p', {class: 'meta-line', id: 'measure-status'}, measureChip(m.status), ' ',
      latest ? `Latest: ${withUnit(latest.value, m.unit)} on ${latest.measured_on}. ` : 'No measurement recorded yet. ',
      m.next_due ? `Next due ${m.next_due}${m.overdue ? ' (overdue)' : ''}.` : 'Inactive: no measurement is due.'),
    h('figure', {class: 'objective-trend measure-trend'},
      trendImage(m, `Trend of "${m.name}" against its green and red thresholds: ${items.length} measurements${latest ? `, the latest ${withUnit(latest.value, m.unit)}, ${WORD[m.status].toLowerCase()}` : ''}.`),
      h('figcaption', null, h('a', {href: `/api/v1/reports/measure-trend.svg?measure=${m.id}`, target: '_blank', rel: 'noopener'}, 'Open the trend as SVG'))),
    items.length ? h('div', {class: 'table-wrap'},
      h('table', {class: 'grid small', id: 'measurements-table'},
        h('caption', {class: 'sr-only'}, 'Measurements, oldest first'),
        h('thead', null, h('tr', null, ['Measured on', 'Value', 'Status', 'Note'].map((x) => h('th', {scope: 'col'}, x)))),
        h('tbody', null, items.map((r) => h('tr', null,
          h('th', {scope: 'row'}, h('a', {href: `#/t/measurements/${r.id}`}, r.measured_on)),
          h('td', null, withUnit(r.value, m.unit)),
          h('td', null, measureChip(statusOf(m, r.value))),
          h('td', null, r.note || '')))))) : null,
    rt.can_write && m.active ? addMeasurementForm(m, reload) : null);
}

// The server's SVG as a data: address, read afresh each time (a browser keeps an image it has
// shown under the same address).
function trendImage(m, alt) {
  const img = h('img', {alt, id: 'measure-trend-img', width: '640', height: '320'});
  fetch(`/api/v1/reports/measure-trend.svg?measure=${m.id}`, {credentials: 'same-origin', cache: 'no-store'})
    .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`The trend could not be drawn (${r.status}).`))))
    .then((svg) => { img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`; },
      (e) => img.replaceWith(banner(e)));
  return img;
}

function addMeasurementForm(m, reload) {
  const err = h('div', {class: 'form-error', 'aria-live': 'polite'});
  const date = h('input', {type: 'date', id: 'measurement-date', name: 'measured_on', required: true, max: today(), value: today()});
  const value = h('input', {type: 'number', id: 'measurement-value', name: 'value', required: true, step: 'any', inputmode: 'decimal', class: 'narrow-input'});
  const note = h('input', {type: 'text', id: 'measurement-note', name: 'note', maxlength: '2000'});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary', id: 'add-measurement'}, 'Add measurement');
  const form = h('form', {class: 'add-result', 'aria-labelledby': 'add-measurement-title', novalidate: true},
    h('h3', {id: 'add-measurement-title'}, 'Add measurement'),
    h('div', {class: 'add-result-row'},
      h('div', {class: 'field'}, h('label', {for: 'measurement-date'}, 'Measured on'), date),
      h('div', {class: 'field'}, h('label', {for: 'measurement-value'}, `Value${m.unit ? ` (${m.unit})` : ''}`), value),
      h('div', {class: 'field grow'}, h('label', {for: 'measurement-note'}, 'Note (optional)'), note),
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
      await api('POST', 'measurements', {body: {measure: m.id, measured_on: date.value, value: v, note: note.value.trim() || null}});
      await reload(`Measurement of ${withUnit(v, m.unit)} on ${date.value} added.`);
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
