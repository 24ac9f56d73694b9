// pages-risks.js — the risk register (clause 6.1.2, 8.2): inherent and residual heat maps side
// by side as real grids, labelled with the approved method's words and coloured with its
// levels, each cell a link to the filtered list; the register below with coloured level chips;
// the exports. Also the level chips on a risk's own page, and the Reports page.
import {api, typeOf, titleOf, refTitle} from './api.js';
import {h, append, replace, cap, humanize, banner, spinner, pageTitle, chip, statusChip} from './dom.js';
import {sectionOf} from './sections.js';
import {unknownType} from './common.js';

// --- the method in force and its colours ------------------------------------------------------

// The approved risk method, or null when none is approved.
export async function approvedMethod(signal) {
  const r = await api('GET', 'risk-methods', {params: {status: 'approved', limit: 1}, signal});
  return r.items[0] || null;
}

// sRGB relative luminance (WCAG 2.x).
function luminance(hex) {
  const m = /^#?([0-9a-f]{6})$/i.exec(String(hex || ''));
  if (!m) return null;
  const n = parseInt(m[1], 16);
  const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
}

// Black or white text, whichever contrasts more with the background.
export function textOn(hex) {
  const l = luminance(hex);
  if (l === null) return '#1b2230';
  const white = 1.05 / (l + 0.05);
  const black = (l + 0.05) / 0.05;
  return white >= black ? '#ffffff' : '#111111';
}

// Paints an element with a level colour and a readable text colour (CSSOM, allowed by the CSP).
export function paint(el, colour) {
  if (!/^#[0-9a-f]{6}$/i.test(String(colour || ''))) return el;
  el.style.backgroundColor = colour;
  el.style.color = textOn(colour);
  return el;
}

export function levelColour(method, name) {
  const lv = method && (method.risk_levels || []).find((l) => l.name === name);
  return lv ? lv.colour : null;
}

// A chip for a risk level in the method's colour ("—" when not scored).
export function levelChip(method, name) {
  if (!name) return h('span', {class: 'none'}, '—');
  const c = levelColour(method, name);
  const el = h('span', {class: ['chip', 'level-chip'], dataset: {level: name}}, humanize(name));
  return c ? paint(el, c) : el;
}

export function evaluationChip(value) {
  if (!value) return h('span', {class: 'none'}, '—');
  return chip(humanize(value), value === 'acceptable' ? 'ok' : value === 'needs_treatment' ? 'warn' : 'neutral', 'status');
}

function levelRank(method, name) {
  const i = method ? (method.risk_levels || []).findIndex((l) => l.name === name) : -1;
  return i < 0 ? -1 : i;
}

// Export links for a report: XLSX, CSV and the printable page.
export function exportLinks(report, label) {
  const base = `/api/v1/reports/${report}`;
  return h('span', {class: 'export-links', role: 'group', 'aria-label': `Export ${label}`},
    h('a', {href: `${base}.xlsx`, class: 'btn btn-small', download: '', dataset: {export: `${report}.xlsx`}}, 'XLSX'),
    h('a', {href: `${base}.csv`, class: 'btn btn-small', download: '', dataset: {export: `${report}.csv`}}, 'CSV'),
    h('a', {href: `${base}.html`, class: 'btn btn-small', target: '_blank', rel: 'noopener', dataset: {export: `${report}.html`}}, 'Printable'));
}

// --- heat map -----------------------------------------------------------------------------------

// One heat map as a table: likelihood on the vertical axis (highest on top), consequence on
// the horizontal, each cell coloured with its level and linking to the filtered risk list.
export function heatmapTable(data, kind) {
  const lk = kind === 'residual' ? 'residual_likelihood' : 'likelihood';
  const ck = kind === 'residual' ? 'residual_consequence' : 'consequence';
  const title = kind === 'residual' ? 'Residual risk' : 'Inherent risk';
  const rows = [];
  for (let li = data.likelihood.length - 1; li >= 0; li--) {
    const cells = data.cells[li] || [];
    rows.push(h('tr', null,
      h('th', {scope: 'row', class: 'hm-row'}, h('span', {class: 'hm-n'}, String(li + 1)), ' ', data.likelihood[li]),
      data.consequence.map((cl, ci) => {
        const cell = cells[ci] || {count: 0};
        const n = cell.count || 0;
        const label = `${title}: likelihood ${data.likelihood[li]}, consequence ${cl}, level ${humanize(cell.level || '')}: ${n} ${n === 1 ? 'risk' : 'risks'}`;
        const a = h('a', {href: `#/t/risks?${lk}=${li + 1}&${ck}=${ci + 1}`, class: ['hm-link', n ? null : 'hm-zero'],
          'aria-label': label, title: label, dataset: {l: String(li + 1), c: String(ci + 1), count: String(n)}},
        h('span', {class: 'hm-count'}, n ? String(n) : '·'));
        const td = h('td', {class: 'hm-cell', dataset: {level: cell.level || ''}}, a);
        if (cell.colour) { paint(td, cell.colour); a.style.color = textOn(cell.colour); }
        return td;
      })));
  }
  return h('table', {class: 'heatmap', dataset: {kind}},
    h('caption', null, title, h('span', {class: 'muted'}, ` · ${data.total} ${data.total === 1 ? 'risk' : 'risks'} scored`)),
    h('thead', null, h('tr', null, h('td', {class: 'hm-corner'}, h('span', {class: 'hm-axis'}, 'Likelihood ↑ · Consequence →')),
      data.consequence.map((cl, ci) => h('th', {scope: 'col', class: 'hm-col'}, h('span', {class: 'hm-n'}, String(ci + 1)), ' ', cl)))),
    h('tbody', null, rows));
}

function legend(method) {
  const thr = method.acceptance_threshold;
  return h('ul', {class: 'hm-legend', 'aria-label': 'Risk levels'},
    (method.risk_levels || []).map((l) => h('li', null, levelChip(method, l.name),
      l.name === thr ? h('span', {class: 'muted'}, ' acceptance threshold') : null)),
    h('li', {class: 'muted'}, `Above ${humanize(thr)} needs treatment, or acceptance by top management${method.accepting_role ? ' or the role the method names' : ''}.`));
}

// --- the register page ----------------------------------------------------------------------------

export async function risksPage(main, route, signal) {
  const type = typeOf('risks');
  if (!type || !type.can_read) return unknownType(main, 'risks');
  const section = sectionOf(type.section);
  document.title = 'Risk register · isms';
  const newBtn = type.can_write ? h('a', {href: '#/t/risks/new', class: 'btn btn-primary', id: 'new-record'}, 'New risk') : null;
  const methodBox = h('div', {class: 'method-box'});
  const maps = h('div', {class: 'heatmaps'}, spinner('Loading the heat maps…'));
  const register = h('section', {class: 'panel', 'aria-labelledby': 'register-title'},
    h('div', {class: 'ctx-head'}, h('h2', {id: 'register-title'}, 'Register'),
      h('a', {href: '#/t/risks', class: 'more'}, 'Open the full list with filters →')), spinner());
  append(main,
    h('div', {class: 'page-head'},
      h('div', null,
        h('p', {class: 'eyebrow'}, `${section.num} ${section.name} · clause ${type.clause}, 8.2`),
        pageTitle('Risk register'),
        h('p', {class: 'lede'}, 'Where the risks sit before and after treatment. Select a cell to see its risks.')),
      h('div', {class: 'head-actions'}, h('span', {class: 'muted'}, 'Export:'), exportLinks('risk-register', 'the risk register'), newBtn)),
    methodBox, maps, register);

  let method;
  try {
    method = await approvedMethod(signal);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(maps, banner(e));
    method = null;
  }
  if (signal.aborted) return null;
  if (!method) {
    const mt = typeOf('risk-methods');
    replace(methodBox, banner('No risk method is approved yet, so risks cannot be scored. Approve a method first (top management).', 'warning',
      h('a', {href: '#/t/risk-methods', class: 'btn btn-small'}, 'Risk methods')));
    maps.remove();
    if (!mt || !mt.can_read) methodBox.querySelector('a')?.remove();
  } else {
    replace(methodBox, h('p', {class: 'muted method-line'}, 'Scored with ',
      h('a', {href: `#/method/${method.id}`}, method.name), ` (approved${method.approved_on ? ' ' + method.approved_on : ''}).`));
    try {
      const [inh, res] = await Promise.all(['inherent', 'residual'].map((kind) =>
        api('GET', 'reports/heatmap', {params: {kind}, signal})));
      if (signal.aborted) return null;
      replace(maps,
        h('section', {class: 'panel hm-panel', 'aria-label': 'Inherent risk heat map'}, heatmapTable(inh, 'inherent')),
        h('section', {class: 'panel hm-panel', 'aria-label': 'Residual risk heat map'}, heatmapTable(res, 'residual')),
        h('div', {class: 'hm-legend-wrap'}, legend(method)));
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      replace(maps, banner(e));
    }
  }

  // The register: the most serious first.
  try {
    const r = await api('GET', 'risks', {params: {limit: 500}, signal});
    if (signal.aborted) return null;
    const items = [...r.items].sort((a, b) =>
      levelRank(method, b.inherent_level) - levelRank(method, a.inherent_level) ||
      levelRank(method, b.residual_level) - levelRank(method, a.residual_level) ||
      String(a.title).localeCompare(String(b.title)));
    const lk = (rec, l, c) => (rec[l] && rec[c] ? h('span', {class: 'score muted'}, `${rec[l]}×${rec[c]}`) : null);
    replace(register, register.firstChild,
      r.total > r.items.length ? h('p', {class: 'muted'}, `The ${r.items.length} first of ${r.total} risks; the full list has them all.`) : null,
      items.length ? h('div', {class: 'table-wrap'}, h('table', {class: 'grid small risk-table'},
        h('caption', {class: 'sr-only'}, 'Risks, the most serious first'),
        h('thead', null, h('tr', null, ['Risk', 'Owner', 'Inherent', 'Evaluation', 'Treatment', 'Residual', 'Status', 'Next review']
          .map((x) => h('th', {scope: 'col'}, x)))),
        h('tbody', null, items.map((x) => h('tr', {dataset: {id: String(x.id)}},
          h('th', {scope: 'row'}, h('a', {href: `#/t/risks/${x.id}`}, titleOf(type, x))),
          h('td', null, x.owner ? h('a', {href: `#/t/people/${x.owner}`}, refTitle(r.refs, 'people', x.owner)) : chip('No owner', 'bad')),
          h('td', {class: 'nowrap'}, levelChip(method, x.inherent_level), ' ', lk(x, 'likelihood', 'consequence')),
          h('td', null, evaluationChip(x.evaluation)),
          h('td', null, x.treatment ? humanize(x.treatment) : h('span', {class: 'none'}, '—')),
          h('td', {class: 'nowrap'}, levelChip(method, x.residual_level), ' ', lk(x, 'residual_likelihood', 'residual_consequence')),
          h('td', null, x.status ? statusChip(x.status) : null),
          h('td', {class: 'nowrap'}, x.next_review || h('span', {class: 'none'}, '—')))))))
        : h('div', {class: 'empty-state'}, h('p', null, 'No risks recorded yet.'), newBtn ? newBtn.cloneNode(true) : null));
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(register, register.firstChild, banner(e));
  }
  return null;
}

// --- a risk's own page: level chips in the method's colours --------------------------------------

async function decorateRisk(container, rec, {signal}) {
  let method = null;
  if (rec.method) {
    try { method = await api('GET', `risk-methods/${rec.method}`, {signal}); } catch { method = null; }
  }
  if (!method) {
    try { method = await approvedMethod(signal); } catch { method = null; }
  }
  if (signal && signal.aborted) return;
  for (const [name, lf, cf] of [['inherent_level', 'likelihood', 'consequence'], ['residual_level', 'residual_likelihood', 'residual_consequence']]) {
    const dd = container.querySelector(`.kv[data-field="${name}"] dd`);
    if (dd && rec[name]) replace(dd, levelChip(method, rec[name]));
    for (const [f, levels] of [[lf, 'likelihood_levels'], [cf, 'consequence_levels']]) {
      const d2 = container.querySelector(`.kv[data-field="${f}"] dd`);
      const v = rec[f];
      const lv = method && method[levels] && method[levels][v - 1];
      if (d2 && v && lv) replace(d2, `${v} · ${lv.label}`);
    }
  }
  const ev = container.querySelector('.kv[data-field="evaluation"] dd');
  if (ev && rec.evaluation) replace(ev, evaluationChip(rec.evaluation));
}

// What the risk register adds to the generic pages (hooks.js): its own page in the navigation,
// and level chips on a risk's page.
export const riskHooks = {navPage: '/risks', decorate: decorateRisk};

// --- the Reports page --------------------------------------------------------------------------------

export async function reportsPage(main) {
  document.title = 'Reports · isms';
  const can = (p) => typeOf(p) && typeOf(p).can_read;
  const row = (name, report, what) => h('tr', null, h('th', {scope: 'row'}, name), h('td', null, what),
    h('td', {class: 'nowrap'}, exportLinks(report, name)));
  const rows = [];
  if (can('soa')) rows.push(row('Statement of Applicability', 'soa', 'Every Annex A control: applicable or not and why, implementation status, the controls, risks and requirements behind it.'));
  if (can('risks')) rows.push(row('Risk register', 'risk-register', 'Every risk with its scores, levels, treatment and acceptance.'));
  if (can('treatment-actions')) rows.push(row('Risk treatment plan', 'treatment-plan', 'Treatment actions with owners, due dates and status; overdue ones marked.'));
  append(main,
    h('div', {class: 'page-head'}, h('div', null, h('p', {class: 'eyebrow'}, 'Reports'), pageTitle('Reports'),
      h('p', {class: 'lede'}, 'Exports for auditors and management: spreadsheets (XLSX), CSV and printable pages.'))),
    rows.length ? h('section', {class: 'panel', 'aria-labelledby': 'exports-title'}, h('h2', {id: 'exports-title'}, 'Exports'),
      h('div', {class: 'table-wrap'}, h('table', {class: 'grid small reports-table'},
        h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Report'), h('th', {scope: 'col'}, 'Contents'), h('th', {scope: 'col'}, 'Download'))),
        h('tbody', null, rows)))) : h('p', null, 'No reports are available to your role.'),
    can('risks') ? h('section', {class: 'panel', 'aria-labelledby': 'svg-title'}, h('h2', {id: 'svg-title'}, 'Heat maps (SVG)'),
      h('div', {class: 'svg-maps'}, ['inherent', 'residual'].map((kind) => h('figure', null,
        h('img', {src: `/api/v1/reports/heatmap.svg?kind=${kind}`, alt: `${cap(kind)} risk heat map`, class: 'hm-svg'}),
        h('figcaption', null, h('a', {href: `/api/v1/reports/heatmap.svg?kind=${kind}`, target: '_blank', rel: 'noopener'}, `${cap(kind)} risk heat map (SVG)`)))))) : null);
  return null;
}

