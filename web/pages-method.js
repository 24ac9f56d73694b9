// pages-method.js — the risk method as a matrix you can click (clause 6.1.2 a–b): for a draft
// the user may edit, each cell cycles through the risk levels, labels and descriptions are
// edited in place, threshold and acceptance role are selects, and Save sends only what changed
// (If-Match). Approved methods show the same grid read-only. The approve action comes from the
// record's actions.
import {api, typeOf} from './api.js';
import {h, append, replace, cap, humanize, banner, spinner, pageTitle, statusChip, button, openDialog} from './dom.js';
import {sectionOf} from './sections.js';
import {unknownType} from './common.js';
import {paint, textOn} from './pages-risks.js';

const EDITABLE = ['name', 'likelihood_levels', 'impact_areas', 'consequence_levels', 'risk_levels', 'matrix',
  'acceptance_threshold', 'accepting_role', 'reassessment_months'];
const clone = (v) => JSON.parse(JSON.stringify(v ?? null));
const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

let uid = 0;

// A risk method's record page links to its matrix (hooks.js).
export const methodHooks = {
  buttons: (rec) => [h('a', {href: `#/method/${rec.id}`, class: 'btn', id: 'open-matrix'}, rec.can_edit ? 'Edit in the matrix' : 'Show the matrix')],
};

export async function methodPage(main, route, signal) {
  const type = typeOf('risk-methods');
  if (!type || !type.can_read) return unknownType(main, 'risk-methods');
  const pg = methodState(type, Number(route.params.id), signal);
  mountMethod(main, pg);
  document.title = `Risk method #${pg.id} · isms`;
  try {
    pg.rec = await api('GET', `risk-methods/${pg.id}`, {signal});
    pg.roles = typeOf('roles')?.can_read
      ? (await api('GET', 'roles', {params: {sort: 'name', limit: 500}, signal})).items : [];
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(pg.el.head, pageTitle(`Risk method #${pg.id}`));
    replace(pg.el.body, banner(e.status === 404 ? `There is no risk method with id ${pg.id}.` : e.message, e.status === 404 ? 'warning' : 'error'));
    return null;
  }
  if (signal.aborted) return null;
  reset(pg);
  return null;
}

// ---------------------------------------------------------------------------------------------
// State: the method as stored (rec), the copy being edited (work), the error line of each
// field, and the page's elements (el).

function methodState(type, id, signal) {
  return {type, id, signal, rec: null, work: {}, errs: {}, el: {}};
}

// The working copy starts again from the stored method, and the page is drawn anew.
function reset(pg) {
  pg.work = {};
  for (const k of EDITABLE) pg.work[k] = clone(pg.rec[k]);
  renderMethod(pg);
}

const editable = (pg) => pg.rec.can_edit !== false && pg.rec.status === 'draft' && pg.type.can_write;
const isDirty = (pg) => EDITABLE.some((k) => !same(pg.work[k], pg.rec[k]));
const levelNames = (pg) => (pg.work.risk_levels || []).map((l) => l.name);
const colourOf = (pg, name) => ((pg.work.risk_levels || []).find((l) => l.name === name) || {}).colour;

// The save button, the note and the action buttons follow whether anything changed.
function markDirty(pg) {
  const {head} = pg.el;
  const d = isDirty(pg);
  const s = head.querySelector('#method-save');
  if (s) s.disabled = !d;
  const state = head.querySelector('.dirty-note');
  if (state) state.hidden = !d;
  for (const b of head.querySelectorAll('[data-action]')) b.disabled = d;
}

// ---------------------------------------------------------------------------------------------
// Query: saving what changed, reloading, workflow actions.

async function save(pg) {
  const {el, errs} = pg;
  for (const p of Object.values(errs)) { p.hidden = true; p.textContent = ''; }
  replace(el.msgs);
  const payload = {};
  for (const k of EDITABLE) if (!same(pg.work[k], pg.rec[k])) payload[k] = pg.work[k];
  if (!Object.keys(payload).length) return;
  const btn = el.head.querySelector('#method-save');
  if (btn) btn.disabled = true;
  el.body.setAttribute('aria-busy', 'true');
  try {
    pg.rec = await api('PATCH', `risk-methods/${pg.rec.id}`, {body: payload, version: pg.rec.version});
    reset(pg);
    replace(el.msgs, banner('Changes saved.', 'success'));
    el.msgs.focus();
  } catch (e) {
    showSaveError(pg, e);
    markDirty(pg);
  } finally {
    el.body.removeAttribute('aria-busy');
  }
}

function showSaveError(pg, e) {
  const {el, errs} = pg;
  if (e.status === 412) {
    replace(el.msgs, banner('Someone else changed this method since you opened it, so nothing was saved. Reload to see the newest version (your changes here are discarded).', 'error',
      button('Reload', () => reload(pg), 'btn-primary')));
    el.msgs.focus();
  } else if (e.field && errs[e.field]) {
    errs[e.field].textContent = cap(e.message);
    errs[e.field].hidden = false;
    errs[e.field].closest('section, .field')?.querySelector('input, select, button, textarea')?.focus();
    replace(el.msgs, banner(cap(e.message)));
  } else {
    replace(el.msgs, banner(e.status === 403 ? `Not allowed: ${e.message}.` : cap(e.message)));
    el.msgs.focus();
  }
}

async function reload(pg) {
  try {
    pg.rec = await api('GET', `risk-methods/${pg.rec.id}`);
    reset(pg);
    replace(pg.el.msgs, banner(`Reloaded: this is version ${pg.rec.version}.`, 'info'));
  } catch (e2) { replace(pg.el.msgs, banner(e2)); }
}

async function runAction(pg, a) {
  const {el} = pg;
  let done = false;
  let stale = false;
  await openDialog({
    title: `${a.label}: ${pg.rec.name}`,
    body: [a.help ? h('p', null, a.help) : null,
      a.to ? h('p', {class: 'muted'}, 'Status: ', statusChip(pg.rec.status), ' → ', statusChip(a.to)) : null],
    buttons: [{label: a.label, cls: 'btn-primary', value: 'go'}, {label: 'Cancel', value: null}],
    onSubmit: async (value, dlg) => {
      try {
        pg.rec = await api('POST', `risk-methods/${pg.rec.id}/actions/${a.name}`, {body: {}, version: pg.rec.version});
        done = true;
        return true;
      } catch (e) {
        if (e.status === 412) { stale = true; return true; }
        dlg.showError(e.status === 409 || e.status === 403 ? `Not possible: ${e.message}.` : cap(e.message));
        return false;
      }
    },
  });
  if (stale) {
    replace(el.msgs, banner('Someone else changed this method since you opened it, so nothing was done. Reload and try again.', 'error',
      button('Reload', async () => { pg.rec = await api('GET', `risk-methods/${pg.rec.id}`); reset(pg); replace(el.msgs); }, 'btn-primary')));
    el.msgs.focus();
  } else if (done) {
    reset(pg);
    replace(el.msgs, banner(a.name === 'approve' ? 'Approved: this method is now in force.' : `${a.label}: done.`, 'success'));
    el.msgs.focus();
  }
}

// ---------------------------------------------------------------------------------------------
// Render: the frame, the head with its buttons, and four panels (acceptance criteria, the
// matrix, the levels, the consequence descriptions).

function mountMethod(main, pg) {
  const {type, id, el} = pg;
  const section = sectionOf(type.section);
  const crumbs = h('nav', {class: 'breadcrumbs', 'aria-label': 'Breadcrumb'}, h('ol', null,
    h('li', null, `${section.num} ${section.name}`),
    h('li', null, h('a', {href: '#/t/risk-methods'}, 'Risk methods')),
    h('li', null, h('a', {href: `#/t/risk-methods/${id}`}, `#${id}`)),
    h('li', null, 'Matrix')));
  el.head = h('div', {class: 'page-head record-head'});
  el.msgs = h('div', {class: 'record-messages', tabindex: '-1'});
  el.body = h('div', {class: 'method-body'}, spinner());
  append(main, crumbs, el.head, el.msgs, el.body);
}

function renderMethod(pg) {
  pg.errs = {};
  const ed = editable(pg);
  document.title = `${pg.rec.name} · risk method · isms`;
  replace(pg.el.head, ...methodHead(pg, ed));
  replace(pg.el.body, settingsPanel(pg, ed), matrixPanel(pg, ed), levelsPanel(pg, ed), consequencePanel(pg, ed));
  markDirty(pg);
}

function methodHead(pg, ed) {
  const {rec, type, el} = pg;
  const actionButtons = (rec.actions || []).map((name) => {
    const a = type.actions.find((x) => x.name === name) || {name, label: humanize(name)};
    return button(a.label, () => runAction(pg, a), 'btn-primary', {dataset: {action: name}, title: a.help || null});
  });
  return [
    h('div', {class: 'title-block'},
      h('p', {class: 'eyebrow'}, `Risk method #${rec.id} · clause ${type.clause}`),
      h('div', {class: 'title-line'}, pageTitle(rec.name), statusChip(rec.status)),
      h('p', {class: 'meta-line'}, `Version ${rec.version}`,
        rec.approved_by ? ` · approved by ${rec.approved_by}${rec.approved_on ? ' on ' + rec.approved_on : ''}` : '',
        ed ? ' · draft: select a cell to change its level' : (rec.status === 'draft' ? ' · read only for your role' : ' · approved methods cannot be changed; a change is a new draft'))),
    h('div', {class: 'head-actions', role: 'group', 'aria-label': 'Actions'},
      ed ? h('span', {class: 'dirty-note warn-text', hidden: true}, 'Unsaved changes') : null,
      ed ? button('Save changes', () => save(pg), 'btn-primary', {id: 'method-save', disabled: true}) : null,
      ed ? button('Discard', () => { reset(pg); replace(el.msgs); }, '', {id: 'method-discard'}) : null,
      actionButtons,
      h('a', {href: `#/t/risk-methods/${rec.id}`, class: 'btn'}, 'Record and history')),
  ];
}

// The line under a field or panel where the server's complaint about it is shown.
function errBox(pg, field) {
  const p = h('p', {class: 'field-error', hidden: true, dataset: {errorFor: field}});
  pg.errs[field] = p;
  return p;
}

function settingField(pg, name, id, label, control, help) {
  return h('div', {class: 'field', dataset: {field: name}},
    control.tagName === 'SPAN' ? h('span', {class: 'label'}, label) : h('label', {for: id}, label),
    help ? h('p', {class: 'help'}, help) : null, control, errBox(pg, name));
}

const roleTitle = (pg, id) => (pg.roles || []).find((r) => r.id === id)?.name || `role #${id}`;

// Settings: name, threshold, role, interval.
function settingsPanel(pg, ed) {
  const {rec, work, type} = pg;
  const changed = (k, v) => { work[k] = v; markDirty(pg); };
  const nId = `m-name-${++uid}`;
  const tId = `m-thr-${uid}`;
  const rId = `m-role-${uid}`;
  const mId = `m-months-${uid}`;
  return h('section', {class: 'panel method-settings', 'aria-labelledby': 'm-settings'},
    h('h2', {id: 'm-settings'}, 'Acceptance criteria'),
    h('div', {class: 'method-settings-grid'},
      settingField(pg, 'name', nId, 'Name', ed
        ? h('input', {type: 'text', id: nId, value: work.name || '', oninput: (ev) => changed('name', ev.target.value)})
        : h('span', null, rec.name)),
      settingField(pg, 'acceptance_threshold', tId, 'Acceptance threshold', ed
        ? h('select', {id: tId, onchange: (ev) => changed('acceptance_threshold', ev.target.value)},
          levelNames(pg).map((n) => h('option', {value: n, selected: n === work.acceptance_threshold}, humanize(n))))
        : h('span', null, humanize(rec.acceptance_threshold)), 'The highest level acceptable without treatment.'),
      settingField(pg, 'accepting_role', rId, 'Accepts above the threshold', ed
        ? h('select', {id: rId, onchange: (ev) => changed('accepting_role', ev.target.value ? Number(ev.target.value) : null)},
          h('option', {value: '', selected: !work.accepting_role}, 'Top management only'),
          (pg.roles || []).map((r) => h('option', {value: String(r.id), selected: r.id === work.accepting_role}, r.name)))
        : h('span', null, rec.accepting_role ? roleTitle(pg, rec.accepting_role) : 'Top management only'),
      'Top management may always accept; so may a role whose "accepts risks up to" reaches the level.'),
      settingField(pg, 'reassessment_months', mId, 'Reassess every (months)', ed
        ? h('input', {type: 'number', id: mId, min: '1', max: '36', step: '1', class: 'narrow-input', value: String(work.reassessment_months ?? ''),
          oninput: (ev) => { const n = Number(ev.target.value); changed('reassessment_months', ev.target.value === '' ? null : (Number.isInteger(n) ? n : ev.target.value)); }})
        : h('span', null, String(rec.reassessment_months)))));
}

// --- the matrix: likelihood on the vertical axis (highest on top), consequence across

function matrixPanel(pg, ed) {
  const L = pg.work.likelihood_levels || [];
  const C = pg.work.consequence_levels || [];
  const rows = [];
  for (let li = L.length - 1; li >= 0; li--) {
    rows.push(h('tr', null, likelihoodHead(pg, L[li], li, ed),
      C.map((cv, ci) => (ed ? matrixButtonCell(pg, L[li], cv, li, ci) : matrixCell(pg, L[li], cv, li, ci)))));
  }
  return h('section', {class: 'panel', 'aria-labelledby': 'm-matrix'},
    h('h2', {id: 'm-matrix'}, 'Risk matrix'),
    ed ? h('p', {class: 'help'}, 'Select a cell to move it to the next risk level (Shift+select goes back). Edit the likelihood labels on the left and the consequence labels on top.') : null,
    h('div', {class: 'table-wrap mx-wrap'}, h('table', {class: ['heatmap', 'method-matrix', ed ? 'mx-editable' : null]},
      h('caption', {class: 'sr-only'}, 'Risk level for each likelihood (rows, highest on top) and consequence (columns)'),
      h('thead', null, h('tr', null, h('td', {class: 'hm-corner'}, h('span', {class: 'hm-axis'}, 'Likelihood ↑ · Consequence →')),
        C.map((cv, ci) => consequenceHead(pg, cv, ci, ed)))),
      h('tbody', null, rows))),
    errBox(pg, 'matrix'), errBox(pg, 'likelihood_levels'));
}

function likelihoodHead(pg, lv, li, ed) {
  if (!ed) {
    return h('th', {scope: 'row', class: 'hm-row'}, h('span', {class: 'hm-n'}, String(li + 1)), ' ', lv.label,
      lv.description ? h('span', {class: 'mx-desc-text'}, lv.description) : null);
  }
  const lid = `m-l-${li}-${++uid}`;
  return h('th', {scope: 'row', class: 'hm-row mx-edit-head'},
    h('label', {for: lid, class: 'sr-only'}, `Likelihood level ${li + 1} label`),
    h('span', {class: 'hm-n'}, String(li + 1)),
    h('input', {type: 'text', id: lid, class: 'mx-label', value: lv.label || '', dataset: {likelihood: String(li + 1)},
      oninput: (ev) => { lv.label = ev.target.value; markDirty(pg); }}),
    h('label', {for: `${lid}-d`, class: 'sr-only'}, `Likelihood level ${li + 1} description`),
    h('textarea', {id: `${lid}-d`, rows: '2', class: 'mx-desc', value: lv.description || '', placeholder: 'Description',
      oninput: (ev) => { lv.description = ev.target.value; markDirty(pg); }}));
}

function consequenceHead(pg, cv, ci, ed) {
  if (!ed) return h('th', {scope: 'col', class: 'hm-col'}, h('span', {class: 'hm-n'}, String(ci + 1)), ' ', cv.label);
  const cid = `m-c-${ci}-${++uid}`;
  return h('th', {scope: 'col', class: 'hm-col mx-edit-head'},
    h('label', {for: cid, class: 'sr-only'}, `Consequence level ${ci + 1} label`),
    h('span', {class: 'hm-n'}, String(ci + 1)),
    h('input', {type: 'text', id: cid, class: 'mx-label', value: cv.label || '', dataset: {consequence: String(ci + 1)},
      oninput: (ev) => { cv.label = ev.target.value; markDirty(pg); }}));
}

function matrixCell(pg, lv, cv, li, ci) {
  const name = (pg.work.matrix[li] || [])[ci];
  const label = `Likelihood ${lv.label}, consequence ${cv.label}: ${humanize(name || 'not set')}`;
  const td = h('td', {class: 'hm-cell mx-cell', dataset: {l: String(li + 1), c: String(ci + 1), level: name || ''}, title: label},
    h('span', {class: 'mx-name'}, humanize(name || '—')));
  if (colourOf(pg, name)) paint(td, colourOf(pg, name));
  return td;
}

// A cell of a draft: selecting it moves it to the next level (Shift: the one before).
function matrixButtonCell(pg, lv, cv, li, ci) {
  const {work, rec} = pg;
  const names = levelNames(pg);
  const name = (work.matrix[li] || [])[ci];
  const label = `Likelihood ${lv.label}, consequence ${cv.label}: ${humanize(name || 'not set')}`;
  const btn = h('button', {type: 'button', class: 'mx-btn', 'aria-label': `${label}. Select to change.`,
    dataset: {l: String(li + 1), c: String(ci + 1), level: name || ''}}, humanize(name || '—'));
  const td = h('td', {class: 'hm-cell mx-cell'}, btn);
  const show = () => {
    const n = work.matrix[li][ci];
    btn.textContent = humanize(n || '—');
    btn.dataset.level = n || '';
    btn.setAttribute('aria-label', `Likelihood ${lv.label}, consequence ${cv.label}: ${humanize(n || 'not set')}. Select to change.`);
    td.style.backgroundColor = '';
    if (colourOf(pg, n)) { paint(td, colourOf(pg, n)); btn.style.color = textOn(colourOf(pg, n)); }
    td.classList.toggle('mx-changed', !same(n, (rec.matrix[li] || [])[ci]));
  };
  btn.addEventListener('click', (ev) => {
    if (!Array.isArray(work.matrix[li])) work.matrix[li] = [];
    const cur = names.indexOf(work.matrix[li][ci]);
    const next = ev.shiftKey ? (cur <= 0 ? names.length - 1 : cur - 1) : (cur + 1) % names.length;
    work.matrix[li][ci] = names[next];
    show();
    markDirty(pg);
  });
  show();
  return td;
}

// --- the levels and their colours

function levelsPanel(pg, ed) {
  const thr = pg.work.acceptance_threshold;
  return h('section', {class: 'panel', 'aria-labelledby': 'm-levels'},
    h('h2', {id: 'm-levels'}, 'Risk levels ', h('span', {class: 'muted'}, '· lowest first')),
    h('ul', {class: 'mx-levels'}, (pg.work.risk_levels || []).map((l, i) => {
      const sw = paint(h('span', {class: 'chip level-chip'}, humanize(l.name)), l.colour);
      return h('li', null, sw,
        ed ? colourInput(pg, l, i, sw) : h('span', {class: 'muted'}, l.colour),
        l.name === thr ? h('span', {class: 'muted'}, 'acceptance threshold') : null);
    })),
    errBox(pg, 'risk_levels'));
}

// A level's colour; the matrix cells of that level follow as it changes.
function colourInput(pg, l, i, sw) {
  const cid = `m-colour-${i}-${++uid}`;
  return [h('label', {for: cid, class: 'sr-only'}, `Colour of ${l.name}`),
    h('input', {type: 'color', id: cid, value: l.colour, oninput: (ev) => {
      l.colour = ev.target.value;
      paint(sw, l.colour);
      pg.el.body.querySelectorAll(`.mx-btn[data-level="${CSS.escape(l.name)}"]`).forEach((b) => {
        paint(b.parentElement, l.colour);
        b.style.color = textOn(l.colour);
      });
      markDirty(pg);
    }})];
}

// --- what each consequence level means in each impact area

function consequencePanel(pg, ed) {
  const areas = pg.work.impact_areas || [];
  const C = pg.work.consequence_levels || [];
  return h('section', {class: 'panel', 'aria-labelledby': 'm-cons'},
    h('h2', {id: 'm-cons'}, 'Consequence levels by impact area'),
    h('div', {class: 'table-wrap'}, h('table', {class: 'grid small mx-cons'},
      h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Level'), areas.map((a) => h('th', {scope: 'col'}, cap(a))))),
      h('tbody', null, C.map((cv, ci) => h('tr', null,
        h('th', {scope: 'row'}, `${ci + 1} ${cv.label}`),
        areas.map((a) => h('td', null, consequenceText(pg, cv, ci, a, ed)))))))),
    errBox(pg, 'consequence_levels'), errBox(pg, 'impact_areas'));
}

function consequenceText(pg, cv, ci, a, ed) {
  const tid = `m-cd-${ci}-${++uid}`;
  if (!cv.descriptions) cv.descriptions = {};
  return ed
    ? [h('label', {for: tid, class: 'sr-only'}, `${cv.label}, ${a}`),
      h('textarea', {id: tid, rows: '2', value: cv.descriptions[a] || '',
        oninput: (ev) => { cv.descriptions[a] = ev.target.value; markDirty(pg); }})]
    : (cv.descriptions[a] || h('span', {class: 'none'}, '—'));
}
