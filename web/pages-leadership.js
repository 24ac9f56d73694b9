// pages-leadership.js — roles and responsibilities (ISO/IEC 27001 5.3): the roles with their
// duties and current holders, and the RACI matrix of ISMS processes and applied controls by
// role, which ISMS managers edit in place (exactly one accountable role a row).
import {api, listAll, typeOf, refTitle} from './api.js';
import {h, append, replace, cap, banner, spinner, pageTitle, chip} from './dom.js';
import {unknownType, readOrShow} from './common.js';

// Roles and the RACI matrix have pages of their own in the navigation (hooks.js).
export const rolesHooks = {navPage: '/roles'};
export const raciHooks = {navPage: '/raci', navLabel: 'RACI matrix'};

// #/roles — the roles as cards.
export async function rolesPage(main, route, signal) {
  const type = typeOf('roles');
  if (!type || !type.can_read) return unknownType(main, 'roles');
  document.title = 'Roles · isms';
  const assignments = typeOf('role-assignments');
  const canWrite = type.can_write;
  const canAssign = !!(assignments && assignments.can_write);
  const body = h('div', null, spinner('Loading the roles…'));
  append(main,
    h('div', {class: 'page-head'},
      h('div', null,
        h('p', {class: 'eyebrow'}, '5 Leadership · clause 5.3'),
        pageTitle('Roles'),
        h('p', {class: 'lede'}, 'The roles that matter to information security: what each must see to, what it may decide, who it reports to and who holds it today.')),
      h('div', {class: 'head-actions'},
        assignments && assignments.can_read ? h('a', {href: '#/t/role-assignments', class: 'btn'}, 'All assignments') : null,
        h('a', {href: '#/raci', class: 'btn'}, 'RACI matrix'),
        canAssign ? h('a', {href: '#/t/role-assignments/new', class: 'btn', id: 'assign-role'}, 'Assign') : null,
        canWrite ? h('a', {href: '#/t/roles/new', class: 'btn btn-primary', id: 'new-role'}, 'New role') : null)),
    body);
  let roles;
  let refs;
  try {
    ({items: roles, refs} = await listAll('roles', {sort: 'name'}, {signal}));
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(body, banner(e));
    return null;
  }
  if (signal.aborted) return null;
  if (!roles.length) {
    replace(body, h('div', {class: 'panel empty-state'}, h('p', null, h('strong', null, 'No roles yet')),
      h('p', null, 'Describe the roles of the ISMS — at least who ensures it conforms to the standard and who reports on its performance to top management.')));
    return null;
  }
  const names = new Map(roles.map((r) => [r.id, r.name]));
  const missing = [];
  if (!roles.some((r) => r.ensures_conformity)) missing.push('ensuring that the ISMS conforms to the standard');
  if (!roles.some((r) => r.reports_performance)) missing.push('reporting on the performance of the ISMS to top management');
  const text = (label, value) => (value ? h('div', {class: 'role-text'}, h('h3', null, label), h('p', {class: 'prewrap'}, value)) : null);
  replace(body,
    missing.length ? Object.assign(banner(`No role carries the duty of ${missing.join(', nor of ')}. Clause 5.3 asks top management to assign ${missing.length === 1 ? 'it' : 'both'}.`, 'warning'), {id: 'roles-duties'}) : null,
    h('p', {class: 'list-summary'}, `${roles.length} ${roles.length === 1 ? 'role' : 'roles'}, ${roles.filter((r) => !(r.holders || []).length).length} without a holder.`),
    h('ul', {class: 'role-cards'}, roles.map((r) => {
      const id = `role-${r.id}`;
      const holders = r.holders || [];
      return h('li', {class: 'card role-card', dataset: {role: String(r.id)}, 'aria-labelledby': id},
        h('h2', {id}, h('a', {href: `#/t/roles/${r.id}`}, r.name)),
        h('p', {class: 'role-flags'},
          r.top_management ? chip('Top management', 'neutral') : null,
          r.ensures_conformity ? chip('Ensures conformity', 'ok') : null,
          r.reports_performance ? chip('Reports performance', 'ok') : null),
        r.reports_to ? h('p', {class: 'role-line'}, 'Reports to ', h('a', {href: `#/t/roles/${r.reports_to}`}, names.get(r.reports_to) || refTitle(refs, 'roles', r.reports_to))) : null,
        text('Responsibilities', r.responsibilities),
        text('Authorities', r.authorities),
        h('div', {class: 'role-holders'}, h('h3', null, 'Held by'),
          holders.length
            ? h('ul', {class: 'plain-list'}, holders.map((p) => h('li', null, h('a', {href: `#/t/people/${p}`}, refTitle(refs, 'people', p)))))
            : h('p', {class: 'warn-text'}, 'Nobody holds this role today.')),
        h('p', {class: 'card-foot'},
          h('a', {href: `#/t/role-assignments?role=${r.id}`}, 'Assignments'),
          canAssign ? [' · ', h('a', {href: `#/t/role-assignments/new?role=${r.id}`, 'aria-label': `Assign ${r.name}`}, 'Assign')] : null));
    })));
  return null;
}

// ---------------------------------------------------------------------------------------------
// RACI

const RACI = [
  ['responsible', 'R', 'Responsible', 'does the work'],
  ['accountable', 'A', 'Accountable', 'answers for it and signs it off; exactly one role a row'],
  ['consulted', 'C', 'Consulted', 'asked before'],
  ['informed', 'I', 'Informed', 'told after'],
];
const LETTER = Object.fromEntries(RACI.map(([v, l]) => [v, l]));
const WORD = Object.fromEntries(RACI.map(([v, , w]) => [v, w]));
const rowKey = (row) => `${row.kind}:${row.id}`;

// #/raci — rows: processes, then applied controls; columns: roles.
export async function raciPage(main, route, signal) {
  const type = typeOf('raci');
  if (!type || !type.can_read) return unknownType(main, 'raci');
  document.title = 'RACI matrix · isms';
  const pg = {canEdit: type.can_write, data: null, errors: new Map(), el: {}}; // errors: row key -> message of the last refused change
  mountRaci(main, pg, route.query.get('q') || '');
  pg.data = await readOrShow(pg.el.box, api('GET', 'reports/raci', {signal}));
  if (!pg.data || signal.aborted) return null;
  listenToFilters(pg);
  renderRaci(pg);
  return null;
}

// A cell's new letter: the entry is created, changed or deleted, then the matrix is read
// again; a refusal is shown on its row.
async function changeCell(pg, row, role, c, sel, key) {
  const {el, errors} = pg;
  const value = sel.value;
  sel.disabled = true;
  el.box.setAttribute('aria-busy', 'true');
  try {
    if (!value) {
      await api('DELETE', `raci/${c.entry}`);
    } else if (c) {
      const entry = await api('GET', `raci/${c.entry}`);
      await api('PATCH', `raci/${c.entry}`, {body: {assignment: value}, version: entry.version});
    } else {
      await api('POST', 'raci', {body: {[row.kind]: row.id, role: role.id, assignment: value}});
    }
    errors.delete(rowKey(row));
  } catch (e) {
    errors.set(rowKey(row), e.status === 409 || e.status === 400
      ? `Not changed: ${e.message}.`
      : cap(e.message));
  }
  try {
    pg.data = await api('GET', 'reports/raci');
    renderRaci(pg, key);
  } catch (e) {
    replace(el.box, banner(e));
  } finally {
    el.box.removeAttribute('aria-busy');
  }
}

function mountRaci(main, pg, q) {
  const {el} = pg;
  el.summary = h('p', {class: 'list-summary raci-summary', role: 'status', 'aria-live': 'polite'});
  el.q = h('input', {type: 'search', id: 'raci-q', placeholder: 'Process or control…', autocomplete: 'off', value: q});
  el.gapsOnly = h('input', {type: 'checkbox', id: 'raci-gaps'});
  const tools = h('form', {class: 'toolbar raci-tools', role: 'search', 'aria-label': 'Filter the rows', onsubmit: (ev) => ev.preventDefault()},
    h('label', {for: 'raci-q'}, 'Filter'), el.q,
    h('span', {class: 'check'}, el.gapsOnly, h('label', {for: 'raci-gaps'}, 'Only rows without one accountable')));
  const legend = h('dl', {class: 'raci-legend', 'aria-label': 'Legend'},
    RACI.map(([, l, w, help]) => h('div', null, h('dt', null, h('span', {class: 'raci-letter', 'aria-hidden': 'true'}, l), h('span', {class: 'sr-only'}, l)),
      h('dd', null, h('strong', null, w), ` — ${help}`))));
  el.box = h('div', {class: 'raci-box'}, spinner('Loading the RACI matrix…'));
  append(main,
    h('div', {class: 'page-head'}, h('div', null,
      h('p', {class: 'eyebrow'}, '5 Leadership · clause 5.3'),
      pageTitle('RACI matrix'),
      h('p', {class: 'lede'}, 'Who is responsible, accountable, consulted and informed for each ISMS process and applied control, by role. Every row needs exactly one accountable role.')),
    h('div', {class: 'head-actions'}, h('a', {href: '#/roles', class: 'btn'}, 'Roles'))),
    el.summary, legend, tools, el.box);
}

function listenToFilters(pg) {
  const {q, gapsOnly} = pg.el;
  let typing = null;
  q.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      history.replaceState(null, '', q.value.trim() ? `#/raci?q=${encodeURIComponent(q.value.trim())}` : '#/raci');
      filterRows(pg);
    }, 150);
  });
  gapsOnly.addEventListener('change', () => filterRows(pg));
}

function renderSummary(pg) {
  const {data, el} = pg;
  const gaps = data.rows.filter((r) => r.accountable !== 1).length;
  el.summary.textContent = `${data.rows.length} ${data.rows.length === 1 ? 'row' : 'rows'} · ${data.roles.length} ${data.roles.length === 1 ? 'role' : 'roles'} · ` +
    (gaps ? `${gaps} without exactly one accountable role` : 'every row has one accountable role');
  el.summary.classList.toggle('has-gaps', gaps > 0);
}

function renderRaci(pg, focusKey) {
  const {data, el} = pg;
  renderSummary(pg);
  if (!data.roles.length || !data.rows.length) {
    replace(el.box, h('div', {class: 'panel empty-state'}, h('p', null, !data.roles.length
      ? ['No roles yet. ', h('a', {href: '#/roles'}, 'Describe the roles'), ' first; they are the columns of the matrix.']
      : 'No ISMS processes or applied controls yet; they are the rows of the matrix.')));
    return;
  }
  const groups = [['process', 'ISMS processes'], ['control', 'Applied controls']];
  replace(el.box, h('div', {class: 'table-wrap raci-wrap'}, h('table', {class: 'grid small raci-table', id: 'raci'},
    h('caption', {class: 'sr-only'}, 'RACI matrix: rows are processes and applied controls, columns are roles'),
    h('thead', null, h('tr', null, h('th', {scope: 'col', class: 'raci-row-head'}, 'Process or control'),
      data.roles.map((r) => h('th', {scope: 'col', class: 'raci-role'}, h('a', {href: `#/t/roles/${r.id}`}, r.name))))),
    groups.map(([kind, label]) => {
      const rows = data.rows.filter((r) => r.kind === kind);
      if (!rows.length) return null;
      return h('tbody', {dataset: {kind}},
        h('tr', {class: 'raci-group'}, h('th', {scope: 'colgroup', colspan: String(data.roles.length + 1)}, label, ' ', h('span', {class: 'count'}, String(rows.length)))),
        rows.map((row) => raciRow(pg, row)));
    }))));
  filterRows(pg);
  if (focusKey) el.box.querySelector(`select[data-key="${focusKey}"]`)?.focus();
}

function raciRow(pg, row) {
  const key = rowKey(row);
  const gap = row.accountable !== 1;
  const err = pg.errors.get(key);
  return h('tr', {class: ['raci-row', gap ? 'raci-gap' : null], dataset: {row: key, title: row.title.toLowerCase()}},
    h('th', {scope: 'row'},
      h('a', {href: `#/t/${row.kind === 'process' ? 'processes' : 'controls'}/${row.id}`}, row.title),
      gap ? [' ', h('span', {class: 'raci-marker'}, row.accountable ? `${row.accountable} accountable` : 'No accountable')] : null,
      err ? h('p', {class: 'field-error raci-error', role: 'alert'}, err) : null),
    pg.data.roles.map((role) => h('td', {class: 'raci-cell'}, raciCell(pg, row, role))));
}

function raciCell(pg, row, role) {
  const c = row.cells[String(role.id)];
  const value = c ? c.value : '';
  if (!pg.canEdit) {
    return value ? [h('span', {class: ['raci-letter', `raci-${value}`], 'aria-hidden': 'true', title: WORD[value]}, LETTER[value]),
      h('span', {class: 'sr-only'}, WORD[value])] : h('span', {class: 'sr-only'}, 'none');
  }
  const key = `${rowKey(row)}:${role.id}`;
  const sel = h('select', {class: ['raci-select', value ? `raci-${value}` : null], dataset: {key},
    'aria-label': `${role.name} for ${row.title}`},
  h('option', {value: '', 'aria-label': 'None'}, '–'),
  RACI.map(([v, l, w]) => h('option', {value: v, selected: v === value, 'aria-label': w}, l)));
  saveWhenSettled(sel, () => { if (sel.value !== value) changeCell(pg, row, role, c, sel, key); });
  return sel;
}

// Arrow keys on a closed select change it one step at a time: a change made by stepping is
// saved once the choice settles (Enter, focus leaving, or a moment later), not at every
// step; a choice from the open list is saved at once.
function saveWhenSettled(sel, save) {
  let timer = null;
  let stepping = false;
  const settle = () => {
    clearTimeout(timer);
    timer = null;
    stepping = false;
    save();
  };
  sel.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && timer !== null) settle();
    else stepping = /^(Arrow|Page|Home$|End$)|^.$/.test(ev.key);
  });
  sel.addEventListener('change', () => {
    if (!stepping) return settle();
    clearTimeout(timer);
    timer = setTimeout(settle, 800);
  });
  sel.addEventListener('blur', () => { if (timer !== null) settle(); });
}

function filterRows(pg) {
  const {q, gapsOnly, box} = pg.el;
  const needle = q.value.trim().toLowerCase();
  for (const tb of box.querySelectorAll('tbody')) {
    let shown = 0;
    for (const tr of tb.querySelectorAll('tr.raci-row')) {
      tr.hidden = (needle && !tr.dataset.title.includes(needle)) || (gapsOnly.checked && !tr.classList.contains('raci-gap'));
      if (!tr.hidden) shown++;
    }
    tb.hidden = !shown;
  }
}
