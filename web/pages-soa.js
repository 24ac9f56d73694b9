// pages-soa.js — the Statement of Applicability (clause 6.1.3 d): the Annex A controls grouped
// by theme, with filters, inline editing for those who may change entries (If-Match, 412
// handled), freezing a numbered version, and the exports.
import {session, api, listAll, typeOf, refTitle} from './api.js';
import {h, append, replace, cap, humanize, banner, spinner, pageTitle, chip, button, openDialog} from './dom.js';
import {sectionOf} from './sections.js';
import {unknownType, readOrShow} from './common.js';
import {hashFor} from './router.js';
import {exportLinks} from './pages-risks.js';

const THEMES = [
  ['organizational', 'Organizational controls', '5'],
  ['people', 'People controls', '6'],
  ['physical', 'Physical controls', '7'],
  ['technological', 'Technological controls', '8'],
];
const REASONS = [
  ['risk_treatment', 'Risk treatment'], ['legal', 'Legal'], ['contractual', 'Contractual'],
  ['business_requirement', 'Business requirement'], ['good_practice', 'Good practice'],
];
const STATUSES = ['not_started', 'partial', 'implemented'];
const STATUS_TONE = {implemented: 'ok', partial: 'warn', not_started: 'off'};
const FILTER_KEYS = ['applicable', 'status', 'theme', 'attr', 'q'];

function implChip(v) {
  return chip(humanize(v || 'not_started'), STATUS_TONE[v] || 'off', 'status');
}

// "5.10" < "5.9"? No: compare number by number.
function byControlId(a, b) {
  const pa = String(a).split('.').map(Number);
  const pb = String(b).split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d) return d;
  }
  return 0;
}

let uid = 0;

// The SoA has its own page in the navigation (hooks.js); its entries' list stays at #/t/soa.
export const soaHooks = {navPage: '/soa'};

export async function soaPage(main, route, signal) {
  const type = typeOf('soa');
  if (!type || !type.can_read) return unknownType(main, 'soa');
  document.title = 'Statement of Applicability · isms';
  const pg = soaState(type, route.query, signal);
  mountSoa(main, pg);
  if (!await readOrShow(pg.el.groupsBox, loadSoa(pg)) || signal.aborted) return null;
  loadVersionLine(pg);
  buildFilters(pg);
  renderGroups(pg);
  return null;
}

// ---------------------------------------------------------------------------------------------
// State: the entries and the Annex A catalogue they follow, the filters (in the address),
// whether the user may freeze a version, and the page's elements (el).

function soaState(type, query, signal) {
  const versionsType = typeOf('soa-versions');
  const filters = {};
  for (const k of FILTER_KEYS) filters[k] = query.get(k) || '';
  return {
    type, signal, versionsType, filters,
    canFreeze: !!(versionsType && versionsType.can_create),
    entries: [],
    cat: new Map(), // catalogue control id -> control
    refs: {},
    el: {},
  };
}

// An entry's control: number, title, theme and attributes, from the catalogue or, failing
// that, from the entry's title ("5.10 Acceptable use …").
function controlInfo(pg, e) {
  const c = pg.cat.get(e.catalog_control);
  const m = /^(\d+(?:\.\d+)*)\s+(.*)$/.exec(e.title || '');
  const id = c ? c.control_id : (m ? m[1] : '');
  const title = c ? c.title : (m ? m[2] : e.title || '');
  let theme = c && c.theme;
  if (!theme) theme = (THEMES.find(([, , p]) => id.startsWith(p + '.')) || ['organizational'])[0];
  return {id, title, theme, attributes: (c && c.attributes) || {}};
}

function matches(pg, e) {
  const {filters} = pg;
  const i = controlInfo(pg, e);
  if (filters.applicable === 'yes' && !e.applicable) return false;
  if (filters.applicable === 'no' && e.applicable) return false;
  if (filters.status && e.implementation_status !== filters.status) return false;
  if (filters.theme && i.theme !== filters.theme) return false;
  if (filters.attr) {
    const j = filters.attr.indexOf(':');
    const vals = i.attributes[filters.attr.slice(0, j)];
    if (!Array.isArray(vals) || !vals.map(String).includes(filters.attr.slice(j + 1))) return false;
  }
  if (filters.q) {
    const q = filters.q.toLowerCase();
    const hay = [e.title, i.id, i.title, e.note, e.exclusion_justification].filter(Boolean).join(' ').toLowerCase();
    if (!hay.includes(q)) return false;
  }
  return true;
}

function putEntry(pg, saved) {
  const idx = pg.entries.findIndex((x) => x.id === saved.id);
  pg.entries[idx] = saved;
}

// ---------------------------------------------------------------------------------------------
// Query

// The entries and the catalogue; true once read.
async function loadSoa(pg) {
  const canCat = typeOf('catalog-controls') && typeOf('catalog-controls').can_read;
  const [soa, controls] = await Promise.all([
    listAll('soa', {}, {signal: pg.signal}),
    canCat ? listAll('catalog-controls', {}, {signal: pg.signal}) : {items: []},
  ]);
  pg.entries = soa.items;
  pg.refs = soa.refs || {};
  pg.cat = new Map(controls.items.map((c) => [c.id, c]));
  return true;
}

async function loadVersionLine(pg) {
  const {versionsType, el} = pg;
  if (!versionsType || !versionsType.can_read) return;
  try {
    const [r, waiting] = await Promise.all([
      api('GET', 'soa-versions', {params: {status: 'approved', sort: '-number', limit: 1}, signal: pg.signal}),
      api('GET', 'soa-versions', {params: {status: 'prepared', sort: '-id', limit: 1}, signal: pg.signal})]);
    const v = r.items[0];
    const p = waiting.items[0];
    replace(el.versionLine, v
      ? ['Latest approved version: ', h('a', {href: `#/t/soa-versions/${v.id}`}, `version ${v.number}`),
        ` of ${v.approved_on}${v.approved_by ? ' by ' + v.approved_by : ''}.`]
      : 'No version approved yet.',
    p ? [' ', h('a', {href: `#/t/soa-versions/${p.id}`}, `A version prepared on ${p.prepared_on}`), ' waits for approval.'] : null);
  } catch { /* the line stays empty */ }
}

// ---------------------------------------------------------------------------------------------
// Render: the frame, the filters and the groups of controls by theme.

function mountSoa(main, pg) {
  const {type, el} = pg;
  const section = sectionOf(type.section);
  el.msgs = h('div', {class: 'record-messages', tabindex: '-1'});
  el.versionLine = h('p', {class: 'muted soa-version-line'});
  const freezeBtn = pg.canFreeze ? button('Prepare a version', () => freeze(pg), 'btn-primary', {id: 'soa-freeze'}) : null;
  el.summary = h('p', {class: 'list-summary', role: 'status', 'aria-live': 'polite'});
  el.filterBox = h('form', {class: 'soa-filters', role: 'search', 'aria-label': 'Filter the controls', onsubmit: (ev) => ev.preventDefault()});
  el.groupsBox = h('div', {class: 'soa-groups'}, spinner('Loading the Statement of Applicability…'));
  append(main,
    h('div', {class: 'page-head'},
      h('div', null,
        h('p', {class: 'eyebrow'}, `${section.num} ${section.name} · clause ${type.clause}`),
        pageTitle('Statement of Applicability'),
        h('p', {class: 'lede'}, 'Every Annex A control: whether it applies and why, or why it is excluded, and how far it is implemented.'),
        el.versionLine),
      h('div', {class: 'head-actions'}, h('span', {class: 'muted'}, 'Export:'), exportLinks('soa', 'the Statement of Applicability'), freezeBtn)),
    el.msgs, el.filterBox, el.summary, el.groupsBox);
}

function filtersChanged(pg) {
  history.replaceState(null, '', hashFor('/soa', pg.filters));
  renderGroups(pg);
}

// The catalogue's attributes and their values, as option groups.
function attributeOptions(pg) {
  const attrs = new Map();
  for (const c of pg.cat.values()) {
    for (const [k, vals] of Object.entries(c.attributes || {})) {
      if (!Array.isArray(vals)) continue;
      if (!attrs.has(k)) attrs.set(k, new Set());
      for (const v of vals) attrs.get(k).add(String(v));
    }
  }
  const options = [['', 'Any attribute']];
  for (const [k, set] of attrs) {
    options.push({group: humanize(k), options: [...set].sort().map((v) => [`${k}:${v}`, humanize(v.replace(/^#/, ''))])});
  }
  return attrs.size ? options : null;
}

function filterSelect(pg, key, label, options) {
  const id = `soa-f-${key}`;
  const s = h('select', {id, name: key, onchange: () => { pg.filters[key] = s.value; filtersChanged(pg); }},
    options.map((o) => (o.group
      ? h('optgroup', {label: o.group}, o.options.map(([v, t]) => h('option', {value: v, selected: pg.filters[key] === v}, t)))
      : h('option', {value: o[0], selected: pg.filters[key] === o[0]}, o[1]))));
  return h('div', {class: 'soa-filter'}, h('label', {for: id}, label), s);
}

function buildFilters(pg) {
  const {filters} = pg;
  const attrOptions = attributeOptions(pg);
  const q = h('input', {type: 'search', id: 'soa-f-q', value: filters.q, placeholder: 'Number, title, note…', autocomplete: 'off'});
  let typing = null;
  q.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => { filters.q = q.value.trim(); filtersChanged(pg); }, 200);
  });
  const clearBtn = button('Clear filters', () => {
    for (const k of FILTER_KEYS) filters[k] = '';
    replace(pg.el.filterBox);
    buildFilters(pg);
    filtersChanged(pg);
  }, 'btn-quiet btn-small', {id: 'soa-clear'});
  replace(pg.el.filterBox,
    h('div', {class: 'soa-filter soa-filter-q'}, h('label', {for: 'soa-f-q'}, 'Search'), q),
    filterSelect(pg, 'applicable', 'Applicable', [['', 'All'], ['yes', 'Applicable'], ['no', 'Not applicable']]),
    filterSelect(pg, 'status', 'Implementation', [['', 'Any status'], ...STATUSES.map((s) => [s, humanize(s)])]),
    filterSelect(pg, 'theme', 'Theme', [['', 'All themes'], ...THEMES.map(([k, l]) => [k, l])]),
    attrOptions ? filterSelect(pg, 'attr', 'Attribute', attrOptions) : null,
    clearBtn);
}

function renderSummary(pg, shown) {
  const {entries} = pg;
  const applicable = entries.filter((e) => e.applicable).length;
  const by = (s) => entries.filter((e) => e.applicable && e.implementation_status === s).length;
  pg.el.summary.textContent = `${entries.length} controls · ${applicable} applicable, ${entries.length - applicable} not applicable · ` +
    `${by('implemented')} implemented, ${by('partial')} partial, ${by('not_started')} not started` +
    (shown.length !== entries.length ? ` · ${shown.length} shown` : '');
}

function renderGroups(pg) {
  const shown = pg.entries.filter((e) => matches(pg, e));
  renderSummary(pg, shown);
  const editable = pg.entries.some((e) => e.can_edit);
  replace(pg.el.groupsBox, THEMES.map(([key, label]) => themeGroup(pg, key, label, shown, editable)));
}

// One theme's controls (those the filters let through), or nothing for a theme without any.
function themeGroup(pg, key, label, shown, editable) {
  const all = pg.entries.filter((e) => controlInfo(pg, e).theme === key);
  const mine = shown.filter((e) => controlInfo(pg, e).theme === key).sort((a, b) => byControlId(controlInfo(pg, a).id, controlInfo(pg, b).id));
  if (!all.length) return null;
  const id = `soa-g-${key}`;
  return h('section', {class: 'panel soa-group', 'aria-labelledby': id, dataset: {theme: key}},
    h('h2', {id}, label, ' ', h('span', {class: 'count soa-count'}, mine.length === all.length ? String(all.length) : `${mine.length} of ${all.length}`)),
    mine.length ? h('div', {class: 'table-wrap'}, h('table', {class: 'grid small soa-table'},
      h('thead', null, h('tr', null,
        h('th', {scope: 'col', class: 'soa-c-id'}, 'Control'),
        h('th', {scope: 'col'}, 'Applicable'),
        h('th', {scope: 'col'}, 'Why'),
        h('th', {scope: 'col'}, 'Status'),
        h('th', {scope: 'col', class: 'num'}, 'Applied controls'),
        h('th', {scope: 'col', class: 'num'}, 'Risks'),
        editable ? h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Edit')) : null)),
      h('tbody', null, mine.map((e) => soaRow(pg, e, editable)))))
      : h('p', {class: 'empty'}, 'No controls of this theme match the filters.'));
}

function whyCell(e) {
  const reasons = (e.inclusion_reasons || []).map((r) => (REASONS.find(([k]) => k === r) || [r, humanize(r)])[1]);
  return e.applicable
    ? (reasons.length ? h('span', {class: 'soa-reasons'}, reasons.join(', ')) : h('span', {class: 'warn-text'}, 'No reason given'))
    : h('span', {class: 'soa-excl'}, e.exclusion_justification || h('span', {class: 'bad-text'}, 'No justification'));
}

function soaRow(pg, e, editable) {
  const i = controlInfo(pg, e);
  const nControls = (e.controls || []).length;
  const nRisks = (e.risks || []).length;
  const tr = h('tr', {class: 'soa-row', dataset: {id: String(e.id), control: i.id}},
    h('th', {scope: 'row', class: 'soa-c-id'}, h('a', {href: `#/t/soa/${e.id}`},
      h('span', {class: 'soa-num'}, i.id), ' ', i.title)),
    h('td', {class: 'soa-applicable'}, e.applicable ? chip('Yes', 'ok') : chip('No', 'off')),
    h('td', {class: 'soa-why'}, whyCell(e), e.note ? h('p', {class: 'soa-note muted'}, 'Note: ', e.note) : null),
    h('td', {class: 'soa-status'}, e.applicable ? implChip(e.implementation_status) : h('span', {class: 'none'}, '—'),
      e.status_override ? h('span', {class: 'muted soa-override', title: 'Set by hand (override)'}, ' (set)') : null),
    h('td', {class: 'num'}, nControls
      ? h('a', {href: `#/t/controls?catalog_controls=${e.catalog_control}`, 'aria-label': `${nControls} applied ${nControls === 1 ? 'control' : 'controls'} for ${i.id}`}, String(nControls))
      : h('span', {class: 'none'}, '0')),
    h('td', {class: 'num'}, nRisks
      ? h('a', {href: `#/t/soa/${e.id}`, 'aria-label': `${nRisks} ${nRisks === 1 ? 'risk' : 'risks'} behind ${i.id}`,
        title: (e.risks || []).map((r) => refTitle(pg.refs, 'risks', r)).join(', ')}, String(nRisks))
      : h('span', {class: 'none'}, '0')),
    editable ? h('td', {class: 'soa-edit-cell'}, e.can_edit
      ? button('Edit', () => openEditor(pg, tr, e), 'btn-small', {'aria-label': `Edit ${i.id}`, 'aria-expanded': 'false', dataset: {edit: String(e.id)}})
      : null) : null);
  return tr;
}

// ---------------------------------------------------------------------------------------------
// The inline editor: a row below the entry's, saving only what changed (If-Match); after a
// 412 it reloads the entry and keeps what the user changed.

function valuesOf(e) {
  return {applicable: e.applicable, reasons: e.inclusion_reasons || [], excl: e.exclusion_justification || '',
    note: e.note || '', override: e.status_override || ''};
}

// What the editor changed, as a PATCH body.
function changesOf(e, c) {
  const body = {};
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  if (c.applicable !== e.applicable) body.applicable = c.applicable;
  if (c.applicable && !same(c.reasons, e.inclusion_reasons || [])) body.inclusion_reasons = c.reasons;
  if (!c.applicable && c.excl.trim() !== (e.exclusion_justification || '')) body.exclusion_justification = c.excl.trim() || null;
  if (c.note.trim() !== (e.note || '')) body.note = c.note.trim() || null;
  if (c.override !== (e.status_override || '')) body.status_override = c.override || null;
  return body;
}

function openEditor(pg, tr, e, kept) {
  const existing = tr.nextElementSibling && tr.nextElementSibling.classList.contains('soa-editor') ? tr.nextElementSibling : null;
  if (existing && !kept) { existing.querySelector('input, textarea, select')?.focus(); return; }
  if (existing) existing.remove();
  const ed = editorControls(pg, e, kept || valuesOf(e));
  Object.assign(ed, {tr, e, i: controlInfo(pg, e), editBtn: tr.querySelector('[data-edit]')});
  ed.close = () => {
    ed.row.remove();
    ed.editBtn?.setAttribute('aria-expanded', 'false');
    ed.editBtn?.focus();
  };
  ed.form = editorForm(ed);
  ed.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    saveEditor(pg, ed);
  });
  ed.row = h('tr', {class: 'soa-editor'}, h('td', {colspan: String(tr.children.length)}, ed.form));
  tr.after(ed.row);
  ed.editBtn?.setAttribute('aria-expanded', 'true');
  (ed.app.checked ? ed.app : ed.excl).focus();
}

// The editor's controls, filled with v; current() reads them back in the shape of valuesOf.
function editorControls(pg, e, v) {
  const n = ++uid;
  const err = () => h('p', {class: 'field-error', hidden: true});
  const errs = {applicable: err(), inclusion_reasons: err(), exclusion_justification: err(), note: err(), status_override: err()};
  const ids = {app: `soa-app-${n}`, excl: `soa-excl-${n}`, note: `soa-note-${n}`, ovr: `soa-ovr-${n}`};
  const app = h('input', {type: 'checkbox', id: ids.app, checked: v.applicable});
  const reasonBoxes = REASONS.map(([k, l]) => {
    const id = `soa-r-${k}-${n}`;
    return {k, cb: h('input', {type: 'checkbox', id, value: k, checked: v.reasons.includes(k)}), label: h('label', {for: id}, l)};
  });
  const excl = h('textarea', {id: ids.excl, rows: '2', value: v.excl, 'aria-describedby': `${ids.excl}-help`});
  errs.exclusion_justification.id = `${ids.excl}-error`;
  excl.setAttribute('aria-describedby', `${ids.excl}-help ${ids.excl}-error`);
  const note = h('textarea', {id: ids.note, rows: '2', value: v.note});
  const ovrField = pg.type.fields.find((f) => f.name === 'status_override');
  const ovr = h('select', {id: ids.ovr},
    h('option', {value: ''}, '— derived from the applied controls —'),
    ((ovrField && ovrField.values) || STATUSES).map((s) => h('option', {value: s, selected: v.override === s}, humanize(s))));
  const current = () => ({applicable: app.checked, reasons: reasonBoxes.filter((r) => r.cb.checked).map((r) => r.k),
    excl: excl.value, note: note.value, override: ovr.value});
  return {ids, errs, app, reasonBoxes, excl, note, ovr, current,
    msg: h('div', {class: 'soa-editor-msg'}),
    save: h('button', {type: 'submit', class: 'btn btn-primary btn-small'}, 'Save')};
}

function editorForm(ed) {
  const {ids, errs, app, reasonBoxes, excl, note, ovr, i} = ed;
  const reasonsSet = h('fieldset', {class: 'soa-reasons-edit field', dataset: {field: 'inclusion_reasons'}},
    h('legend', null, 'Reasons for inclusion'),
    h('div', {class: 'check-row'}, reasonBoxes.map((r) => h('span', {class: 'check'}, r.cb, r.label))), errs.inclusion_reasons);
  const exclRow = h('div', {class: 'field', dataset: {field: 'exclusion_justification'}},
    h('label', {for: ids.excl}, 'Why excluded'),
    h('p', {class: 'help', id: `${ids.excl}-help`}, 'Required for a control that is not applicable: why the organization does not need it.'),
    excl, errs.exclusion_justification);
  // An applicable control gives reasons; an excluded one, a justification.
  const sync = () => {
    reasonsSet.hidden = !app.checked;
    exclRow.hidden = app.checked;
  };
  app.addEventListener('change', () => { sync(); if (!app.checked) excl.focus(); });
  sync();
  const form = h('form', {class: 'soa-edit-form', novalidate: true, 'aria-label': `Edit ${i.id} ${i.title}`},
    h('div', {class: 'field field-boolean', dataset: {field: 'applicable'}},
      h('div', {class: 'check'}, app, h('label', {for: ids.app}, `${i.id} is applicable`)), errs.applicable),
    reasonsSet, exclRow,
    h('div', {class: 'soa-edit-cols'},
      h('div', {class: 'field', dataset: {field: 'status_override'}}, h('label', {for: ids.ovr}, 'Status override'), ovr, errs.status_override),
      h('div', {class: 'field', dataset: {field: 'note'}}, h('label', {for: ids.note}, 'Note'), note, errs.note)),
    ed.msg,
    h('div', {class: 'form-buttons'}, ed.save, button('Cancel', ed.close, 'btn-small')));
  form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); ed.close(); } });
  return form;
}

function clearEditorErrors(ed) {
  for (const p of Object.values(ed.errs)) { p.hidden = true; p.textContent = ''; }
  ed.form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
  replace(ed.msg);
}

async function saveEditor(pg, ed) {
  const {e, i, form, save} = ed;
  clearEditorErrors(ed);
  const body = changesOf(e, ed.current());
  if (!Object.keys(body).length) { ed.close(); return; }
  save.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    const saved = await api('PATCH', `soa/${e.id}`, {body, version: e.version});
    putEntry(pg, saved);
    const fresh = soaRow(pg, saved, true);
    ed.row.remove();
    ed.tr.replaceWith(fresh);
    replace(pg.el.msgs, banner(`${i.id} ${i.title}: saved.`, 'success'));
    fresh.querySelector('[data-edit]')?.focus();
    return;
  } catch (err) {
    showEditorError(pg, ed, err);
  } finally {
    save.disabled = false;
    form.removeAttribute('aria-busy');
  }
}

function showEditorError(pg, ed, err) {
  const {errs} = ed;
  if (err.status === 412) {
    replace(ed.msg, banner('Someone else changed this entry since the page was loaded, so nothing was saved. Reload it to see the newest version; your input stays in the form.', 'error',
      button('Reload this entry', () => reloadEntry(pg, ed), 'btn-primary btn-small')));
  } else if (err.field && errs[err.field]) {
    errs[err.field].textContent = cap(err.message);
    errs[err.field].hidden = false;
    const target = {exclusion_justification: ed.excl, note: ed.note, status_override: ed.ovr, applicable: ed.app, inclusion_reasons: ed.reasonBoxes[0].cb}[err.field];
    target.setAttribute('aria-invalid', 'true');
    target.focus();
  } else {
    replace(ed.msg, banner(err.status === 403 ? `Not allowed: ${err.message}.` : cap(err.message)));
  }
}

// After a 412: the newest entry, with the editor open again on it; what the user changed
// stays, everything else shows the newest values.
async function reloadEntry(pg, ed) {
  const {e} = ed;
  try {
    const latest = await api('GET', `soa/${e.id}`);
    putEntry(pg, latest);
    const fresh = soaRow(pg, latest, true);
    const mine = ed.current();
    const before = valuesOf(e);
    const newest = valuesOf(latest);
    const kept = {};
    for (const k of Object.keys(newest)) kept[k] = JSON.stringify(mine[k]) !== JSON.stringify(before[k]) ? mine[k] : newest[k];
    ed.tr.replaceWith(fresh);
    openEditor(pg, fresh, latest, kept);
    ed.row.remove();
  } catch (e3) { replace(ed.msg, banner(e3)); }
}

// ---------------------------------------------------------------------------------------------
// Freezing a version

async function freeze(pg) {
  const {el} = pg;
  const id = `soa-freeze-note-${++uid}`;
  const note = h('textarea', {id, rows: '3'});
  let saved = null;
  await openDialog({
    title: 'Prepare a version of the Statement of Applicability',
    body: [h('p', null, 'Freezes the SoA as it stands now, with your name, the date and a content hash, once every entry is decided. Someone else with the authority (top management, or a role that approves the scope and the SoA) then approves it, and it is numbered. It cannot be changed afterwards.'),
      h('div', {class: 'field'}, h('label', {for: id}, 'Note'), h('p', {class: 'help'}, 'What changed since the previous version, or the occasion.'), note)],
    buttons: [{label: 'Prepare version', cls: 'btn-primary', value: 'go'}, {label: 'Cancel', value: null}],
    onSubmit: async (value, dlg) => {
      try {
        saved = await api('POST', 'soa-versions', {body: note.value.trim() ? {note: note.value.trim()} : {}});
        return true;
      } catch (e) {
        dlg.showError(e.status === 403 ? `Not allowed: ${e.message}.` : cap(e.message));
        return false;
      }
    },
  });
  if (!saved) return;
  replace(el.msgs, banner(`SoA prepared on ${saved.prepared_on}, waiting for approval. Content hash (SHA-256): ${saved.content_hash}`, 'success',
    h('a', {href: `#/t/soa-versions/${saved.id}`, class: 'btn btn-small'}, 'Open the prepared version')));
  el.msgs.querySelector('.banner')?.setAttribute('id', 'soa-frozen');
  el.msgs.focus();
  loadVersionLine(pg);
}
