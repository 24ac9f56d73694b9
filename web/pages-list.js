// pages-list.js — the register of any record type: a table with sortable columns, search,
// filter chips, paging and a remembered column choice. Everything lives in the address
// (#/t/assets?q=…&sort=…&kind=hardware&offset=50) so reload and Back keep it.
import {session, api, typeOf, titleOf, refTitle} from './api.js';
import {h, append, replace, cap, humanize, banner, spinner, pageTitle, button, fmtTime} from './dom.js';
import {displayValue} from './fields.js';
import {refPicker} from './picker.js';
import {sectionOf} from './sections.js';
import {unknownType} from './common.js';
import {hashFor} from './router.js';

const RESERVED = new Set(['q', 'sort', 'offset', 'limit', 'as_of']);
const PAGE_SIZES = [25, 50, 100, 200];
const FILTER_TYPES = new Set(['enum', 'boolean', 'reference', 'references']);

export async function listPage(main, route, signal) {
  const type = typeOf(route.params.type);
  if (!type || !type.can_read) return unknownType(main, route.params.type);
  document.title = `${cap(type.label_plural)} · isms`;
  const pg = listState(type, route.query, signal);
  mountList(main, pg);
  await load(pg);
  return {
    update(r) {
      pg.st = parseState(type, r.query);
      if (document.activeElement !== pg.el.searchInput) pg.el.searchInput.value = pg.st.q;
      load(pg);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// State: the type, what the address asks for (st), the columns shown, the page of records
// last read, and the page's elements (el).

function parseState(type, query) {
  const st = {q: query.get('q') || '', sort: query.get('sort') || '', offset: 0, limit: 50, filters: [],
    asOf: /^\d{4}-\d{2}-\d{2}(T[0-9:.]+Z)?$/.test(query.get('as_of') || '') ? query.get('as_of') : ''};
  const off = Number(query.get('offset'));
  if (Number.isInteger(off) && off > 0) st.offset = off;
  const lim = Number(query.get('limit'));
  if (PAGE_SIZES.includes(lim)) st.limit = lim;
  for (const [k, v] of query.entries()) {
    if (RESERVED.has(k)) continue;
    const f = type.fields.find((x) => x.name === k);
    // Whole numbers (a risk's likelihood) filter by equality when they come in the address.
    if (f && (FILTER_TYPES.has(f.type) || (f.type === 'integer' && /^\d+$/.test(v)))) st.filters.push([k, v]);
  }
  return st;
}

function stateParams(st) {
  const p = new URLSearchParams();
  if (st.q) p.set('q', st.q);
  if (st.sort) p.set('sort', st.sort);
  for (const [k, v] of st.filters) p.append(k, v);
  if (st.limit !== 50) p.set('limit', String(st.limit));
  if (st.asOf) p.set('as_of', st.asOf);
  if (st.offset) p.set('offset', String(st.offset));
  return p;
}

function colsKey(type) {
  return `isms.cols.${session.user ? session.user.username : ''}.${type.plural}`;
}

function defaultColumns(type) {
  const cols = type.fields.filter((f) => f.name !== type.title_field && !f.writeonly &&
    f.type !== 'markdown' && f.type !== 'references' && f.type !== 'json');
  const picked = cols.slice(0, 5).map((f) => f.name);
  if (type.state_field && !picked.includes(type.state_field)) picked.push(type.state_field);
  return picked;
}

function loadColumns(type) {
  try {
    const saved = JSON.parse(localStorage.getItem(colsKey(type)) || 'null');
    if (Array.isArray(saved)) return saved.filter((n) => type.fields.some((f) => f.name === n) || n === 'updated_at');
  } catch { /* fall back to the default */ }
  return defaultColumns(type);
}

function listState(type, query, signal) {
  return {
    type, plural: type.plural, signal,
    st: parseState(type, query),
    columns: loadColumns(type),
    data: null, // the last answer: {items, total, refs}
    ctrl: null, // aborts the request under way
    typing: null, // the search box's pause timer
    refCache: {}, // 'plural:id' -> title, for filter chips
    titleField: type.fields.find((f) => f.name === type.title_field),
    filterFields: type.fields.filter((f) => FILTER_TYPES.has(f.type) && !f.writeonly && !f.derived &&
      (!f.ref || (typeOf(f.ref) && typeOf(f.ref).can_read))),
    el: {},
  };
}

function navigate(pg, next) {
  location.hash = hashFor(`/t/${pg.plural}`, stateParams(next));
}

function saveColumns(pg, columns) {
  pg.columns = columns;
  localStorage.setItem(colsKey(pg.type), JSON.stringify(columns));
  renderTable(pg);
}

// A day means its end (UTC); a full timestamp means that moment.
function asOfParam(st) { return st.asOf.length === 10 ? `${st.asOf}T23:59:59Z` : st.asOf; }
function asOfText(st) { return st.asOf.length === 10 ? `at the end of ${st.asOf} (UTC)` : `at ${fmtTime(st.asOf)}`; }

function currentSort(pg) {
  const s = pg.st.sort || pg.type.default_sort || 'id';
  return s.startsWith('-') ? {name: s.slice(1), desc: true} : {name: s, desc: false};
}

// ---------------------------------------------------------------------------------------------
// Query: the page of records the state asks for, and the titles of filter values not on it.

async function load(pg) {
  const {el} = pg;
  if (pg.ctrl) pg.ctrl.abort();
  pg.ctrl = new AbortController();
  const mine = pg.ctrl;
  pg.signal.addEventListener('abort', () => mine.abort(), {once: true});
  renderChips(pg);
  renderAsOf(pg);
  el.tableWrap.setAttribute('aria-busy', 'true');
  el.tableWrap.classList.add('is-loading');
  try {
    const res = await fetchList(pg.plural, listQuery(pg.st), mine.signal);
    if (mine.signal.aborted) return;
    pg.data = res;
    replace(el.errBox);
    // Past the end (e.g. after deletions): go to the last page.
    if (!res.items.length && res.total > 0 && pg.st.offset > 0) {
      navigate(pg, {...pg.st, offset: Math.max(0, Math.floor((res.total - 1) / pg.st.limit) * pg.st.limit)});
      return;
    }
    renderTable(pg);
    renderPager(pg);
    renderChips(pg);
  } catch (e) {
    if (e.name === 'AbortError') return;
    replace(el.errBox, banner(e));
    if (!pg.data) replace(el.tableWrap);
  } finally {
    if (pg.ctrl === mine) {
      el.tableWrap.removeAttribute('aria-busy');
      el.tableWrap.classList.remove('is-loading');
    }
  }
}

function listQuery(st) {
  const params = {limit: st.limit, offset: st.offset};
  if (st.q) params.q = st.q;
  if (st.sort) params.sort = st.sort;
  if (st.asOf) params.as_of = asOfParam(st);
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  for (const [k, v] of st.filters) q.append(k, v);
  return q;
}

async function fetchList(plural, q, sig) {
  // api() takes an object of params; filters may repeat a name, so build the path here.
  return api('GET', `${plural}?${q.toString()}`.replace(/\?$/, ''), {signal: sig});
}

// A filter value's words; a referenced record not on this page is asked for once.
function chipTitle(pg, f, value) {
  if (f.type === 'boolean') return value === 'true' || value === '1' ? 'Yes' : 'No';
  if (value === '') return '(not set)';
  if (f.type === 'integer') return value;
  if (f.type === 'enum') return humanize(value);
  const key = `${f.ref}:${value}`;
  if (pg.refCache[key]) return pg.refCache[key];
  if (pg.data && pg.data.refs && pg.data.refs[f.ref] && pg.data.refs[f.ref][value]) return refTitle(pg.data.refs, f.ref, value);
  pg.refCache[key] = `#${value}`;
  const target = typeOf(f.ref);
  if (target && target.can_read) {
    api('GET', `${f.ref}/${value}`).then((rec) => {
      pg.refCache[key] = titleOf(target, rec);
      renderChips(pg);
    }, () => {});
  }
  return pg.refCache[key];
}

// ---------------------------------------------------------------------------------------------
// Render: the page's frame once, then the parts that follow the state.

function mountList(main, pg) {
  const {type, el} = pg;
  const section = sectionOf(type.section);
  el.newBtn = type.can_create
    ? h('a', {href: `#/t/${pg.plural}/new`, class: 'btn btn-primary', id: 'new-record'}, `New ${type.label}`) : null;
  el.printHead = h('div', {class: 'print-header'});
  append(main, el.printHead,
    h('div', {class: 'page-head'},
      h('div', null,
        h('p', {class: 'eyebrow'}, `${section.num ? section.num + ' ' : ''}${section.name} · clause ${type.clause}`),
        pageTitle(cap(type.label_plural)),
        type.help ? h('p', {class: 'lede'}, type.help) : null),
      h('div', {class: 'head-actions'}, columnsMenu(pg), el.newBtn)));
  el.addFilterBtn = pg.filterFields.length
    ? h('button', {type: 'button', class: 'btn', 'aria-expanded': 'false', 'aria-controls': 'filter-panel',
      onclick: () => toggleFilterPanel(pg)}, '+ Add filter') : null;
  el.filterPanel = h('div', {class: 'filter-panel', id: 'filter-panel', hidden: true});
  el.asOfBanner = h('div', {class: 'as-of-banner'});
  el.chips = h('ul', {class: 'filter-chips', 'aria-label': 'Active filters'});
  el.summary = h('p', {class: 'list-summary', role: 'status', 'aria-live': 'polite'});
  el.tableWrap = h('div', {class: 'table-wrap list-wrap'}, spinner());
  el.pager = h('nav', {class: 'pager', 'aria-label': 'Pages'});
  el.errBox = h('div');
  append(main,
    h('div', {class: 'toolbar'}, searchForm(pg), el.addFilterBtn, asOfForm(pg)),
    el.asOfBanner, el.filterPanel, el.chips, el.errBox, el.summary, el.tableWrap, el.pager);
}

// The search box searches as one types (after a pause, replacing the address) and at once
// on Enter (a new entry in the history).
function searchForm(pg) {
  const {type} = pg;
  const input = h('input', {type: 'search', id: 'list-q', value: pg.st.q, autocomplete: 'off',
    placeholder: `Search ${type.label_plural}`});
  pg.el.searchInput = input;
  input.addEventListener('input', () => {
    clearTimeout(pg.typing);
    pg.typing = setTimeout(() => {
      pg.st = {...pg.st, q: input.value.trim(), offset: 0};
      history.replaceState(null, '', hashFor(`/t/${pg.plural}`, stateParams(pg.st)));
      load(pg);
    }, 300);
  });
  return h('form', {class: 'list-search', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    clearTimeout(pg.typing);
    navigate(pg, {...pg.st, q: input.value.trim(), offset: 0});
  }}, h('label', {for: 'list-q', class: 'sr-only'}, `Search ${type.label_plural}`), input,
  h('button', {type: 'submit', class: 'btn'}, 'Search'));
}

// "As of": the register as it was at the end of a past day, rebuilt from the change log.
function asOfForm(pg) {
  const input = h('input', {type: 'date', id: 'list-as-of', value: pg.st.asOf.slice(0, 10), max: new Date().toISOString().slice(0, 10)});
  pg.el.asOfInput = input;
  return h('form', {class: 'as-of', onsubmit: (ev) => {
    ev.preventDefault();
    navigate(pg, {...pg.st, asOf: input.value || '', offset: 0});
  }}, h('label', {for: 'list-as-of'}, 'As of'), input, h('button', {type: 'submit', class: 'btn'}, 'Show'));
}

function clearSearch(pg, next) {
  pg.el.searchInput.value = '';
  navigate(pg, {...pg.st, q: '', ...next, offset: 0});
}

// --- the columns menu

function columnsMenu(pg) {
  const {type, signal} = pg;
  const all = type.fields.filter((f) => f.name !== type.title_field && !f.writeonly);
  const boxes = all.map((f) => {
    const id = `col-${f.name}`;
    const cb = h('input', {type: 'checkbox', id, checked: pg.columns.includes(f.name), onchange: () => {
      const columns = all.filter((x) => document.getElementById(`col-${x.name}`)?.checked).map((x) => x.name);
      if (document.getElementById('col-updated_at')?.checked) columns.push('updated_at');
      saveColumns(pg, columns);
    }});
    return h('li', null, cb, h('label', {for: id}, f.label));
  });
  const upd = h('input', {type: 'checkbox', id: 'col-updated_at', checked: pg.columns.includes('updated_at'), onchange: () => {
    const columns = pg.columns.filter((c) => c !== 'updated_at');
    if (upd.checked) columns.push('updated_at');
    saveColumns(pg, columns);
  }});
  boxes.push(h('li', null, upd, h('label', {for: 'col-updated_at'}, 'Last changed')));
  const reset = button('Default columns', () => {
    localStorage.removeItem(colsKey(type));
    pg.columns = defaultColumns(type);
    for (const f of all) { const cb = document.getElementById(`col-${f.name}`); if (cb) cb.checked = pg.columns.includes(f.name); }
    upd.checked = false;
    renderTable(pg);
  }, 'btn-quiet btn-small');
  const menu = h('details', {class: 'menu'}, h('summary', {class: 'btn'}, 'Columns'),
    h('div', {class: 'menu-body'}, h('fieldset', null, h('legend', null, 'Show columns'), h('ul', {class: 'plain-list'}, boxes)), reset));
  menu.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && menu.open) { menu.open = false; menu.querySelector('summary').focus(); }
  });
  const outside = (ev) => { if (menu.open && !menu.contains(ev.target)) menu.open = false; };
  document.addEventListener('click', outside);
  signal.addEventListener('abort', () => document.removeEventListener('click', outside), {once: true});
  return menu;
}

// --- the filter panel

function toggleFilterPanel(pg, open = pg.el.filterPanel.hidden) {
  const {el} = pg;
  el.filterPanel.hidden = !open;
  el.addFilterBtn.setAttribute('aria-expanded', String(open));
  if (open) {
    replace(el.filterPanel, filterForm(pg));
    document.getElementById('filter-field').focus();
  } else el.addFilterBtn.focus();
}

// The value control for a filter field: a select for enums and yes/no, a record picker for
// references. get() -> {value, title}, or null when nothing is chosen.
function filterValueControl(f) {
  if (f.type === 'enum' || f.type === 'boolean') {
    const values = f.type === 'boolean' ? [['true', 'Yes'], ['false', 'No']]
      : f.values.map((v) => [v, humanize(v)]);
    if (f.type === 'enum' && !f.required) values.push(['', '(not set)']);
    const sel = h('select', {id: 'filter-value', 'aria-describedby': 'filter-error'},
      values.map(([v, l]) => h('option', {value: v}, l)));
    return {nodes: [h('label', {for: 'filter-value'}, 'is'), sel],
      get: () => ({value: sel.value, title: sel.options[sel.selectedIndex].textContent})};
  }
  const p = refPicker({id: 'filter-value', plural: f.ref, label: f.label, describedBy: 'filter-error'});
  return {nodes: [h('label', {for: 'filter-value'}, f.type === 'references' ? 'includes' : 'is'), p.el],
    get: () => (p.value === null ? null : {value: String(p.value), title: p.title})};
}

function filterForm(pg) {
  const {el, filterFields} = pg;
  const fieldSel = h('select', {id: 'filter-field'},
    filterFields.map((f) => h('option', {value: f.name}, f.label)));
  const valueBox = h('div', {class: 'filter-value'});
  const err = h('p', {class: 'field-error', hidden: true, id: 'filter-error'});
  const chosenField = () => filterFields.find((x) => x.name === fieldSel.value);
  let control = null;
  const buildValue = () => {
    err.hidden = true;
    control = filterValueControl(chosenField());
    replace(valueBox, control.nodes);
  };
  fieldSel.addEventListener('change', buildValue);
  buildValue();
  const apply = h('button', {type: 'submit', class: 'btn btn-primary'}, 'Apply filter');
  const form = h('form', {class: 'filter-form', onsubmit: (ev) => {
    ev.preventDefault();
    const v = control.get();
    if (!v) {
      err.textContent = 'Choose a value first.';
      err.hidden = false;
      document.getElementById('filter-value')?.focus();
      return;
    }
    const f = chosenField();
    if (f.ref) pg.refCache[`${f.ref}:${v.value}`] = v.title;
    el.filterPanel.hidden = true;
    el.addFilterBtn.setAttribute('aria-expanded', 'false');
    const filters = pg.st.filters.filter(([k]) => k !== f.name || f.type === 'references');
    filters.push([f.name, v.value]);
    navigate(pg, {...pg.st, filters, offset: 0});
  }},
  h('label', {for: 'filter-field'}, 'Filter by'), fieldSel, valueBox, apply,
  button('Cancel', () => toggleFilterPanel(pg, false), 'btn-quiet'), err);
  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !ev.defaultPrevented) { ev.preventDefault(); toggleFilterPanel(pg, false); }
  });
  return form;
}

// --- chips, the as-of banner, the table and the pager

function renderChips(pg) {
  const {st, type, el} = pg;
  const items = st.filters.map(([k, v], i) => {
    const f = type.fields.find((x) => x.name === k);
    const text = `${f.label}: ${chipTitle(pg, f, v)}`;
    return h('li', {class: 'filter-chip'}, h('span', null, text),
      h('button', {type: 'button', class: 'chip-x', 'aria-label': `Remove filter ${text}`, dataset: {key: `chip-${k}-${v}`},
        onclick: () => navigate(pg, {...pg.st, filters: pg.st.filters.filter((_, j) => j !== i), offset: 0})}, '×'));
  });
  if (st.filters.length + (st.q ? 1 : 0) > 1 || (st.filters.length && st.q)) {
    items.push(h('li', null, button('Clear all', () => clearSearch(pg, {filters: []}), 'btn-quiet btn-small')));
  }
  if (st.q) {
    items.unshift(h('li', {class: 'filter-chip'}, h('span', null, `Search: “${st.q}”`),
      h('button', {type: 'button', class: 'chip-x', 'aria-label': `Remove search ${st.q}`, dataset: {key: 'chip-q'},
        onclick: () => clearSearch(pg)}, '×')));
  }
  replace(el.chips, items);
  el.chips.hidden = items.length === 0;
}

function renderAsOf(pg) {
  const {st, type, el} = pg;
  if (el.newBtn) el.newBtn.hidden = !!st.asOf;
  el.asOfInput.value = st.asOf.slice(0, 10);
  replace(el.asOfBanner, st.asOf ? banner(`Showing ${type.label_plural} as they were ${asOfText(st)}, rebuilt from the change log: records deleted since then are included, later changes are not.`,
    'info', button('Back to today', () => navigate(pg, {...pg.st, asOf: '', offset: 0}), 'btn-small')) : null);
}

function recHref(pg, rec) {
  return `#/t/${pg.plural}/${rec.id}${pg.st.asOf ? '?as_of=' + encodeURIComponent(pg.st.asOf) : ''}`;
}

function sortHeader(pg, name, label, sortable) {
  const cur = currentSort(pg);
  const on = cur.name === name;
  const th = h('th', {scope: 'col', 'aria-sort': on ? (cur.desc ? 'descending' : 'ascending') : null});
  if (!sortable) { th.textContent = label; return th; }
  const next = on && !cur.desc ? `-${name}` : name;
  th.appendChild(h('button', {type: 'button', class: 'sort', dataset: {key: `sort-${name}`},
    title: `Sort by ${label}${on && !cur.desc ? ', descending' : ''}`,
    onclick: () => navigate(pg, {...pg.st, sort: next, offset: 0})},
  label, h('span', {class: ['sort-mark', on ? 'on' : null], 'aria-hidden': 'true'}, on ? (cur.desc ? '▼' : '▲') : '↕')));
  return th;
}

function emptyState(pg) {
  const {st, type} = pg;
  const filtered = st.q || st.filters.length;
  return h('div', {class: 'empty-state'},
    h('p', null, filtered ? `No ${type.label_plural} match.` : (st.asOf ? `No ${type.label_plural} existed ${asOfText(st)}.` : `No ${type.label_plural} recorded yet.`)),
    filtered ? button('Clear search and filters', () => clearSearch(pg, {filters: []}))
      : (type.can_create && !st.asOf ? h('a', {href: `#/t/${pg.plural}/new`, class: 'btn btn-primary'}, `New ${type.label}`) : null));
}

function shownColumns(pg) {
  return pg.columns.map((n) => n === 'updated_at'
    ? {name: 'updated_at', label: 'Last changed', type: 'datetime'}
    : pg.type.fields.find((f) => f.name === n)).filter(Boolean);
}

function recordsTable(pg) {
  const {type, data, titleField} = pg;
  const cols = shownColumns(pg);
  const cur = currentSort(pg);
  const sortLabel = (type.fields.find((f) => f.name === cur.name) || {label: cur.name === 'updated_at' ? 'last changed' : cur.name}).label;
  const table = h('table', {class: 'grid'},
    h('caption', {class: 'sr-only'}, `${cap(type.label_plural)}, sorted by ${sortLabel} ${cur.desc ? 'descending' : 'ascending'}`),
    h('thead', null, h('tr', null,
      sortHeader(pg, type.title_field, titleField ? titleField.label : 'Title', true),
      cols.map((f) => sortHeader(pg, f.name, f.label, f.type !== 'references' && f.type !== 'json' && !f.derived)))),
    h('tbody', null, data.items.map((rec) => h('tr', {dataset: {href: recHref(pg, rec)}},
      h('th', {scope: 'row'}, h('a', {href: recHref(pg, rec)}, titleOf(type, rec))),
      cols.map((f) => h('td', {class: `col-${f.type}`}, f.type === 'datetime'
        ? h('time', {datetime: rec.updated_at, title: rec.updated_at}, rec.updated_at.slice(0, 10))
        : displayValue(type, f, rec[f.name], data.refs, {compact: true})))))));
  // A click anywhere on a row opens the record, unless it selects text or hits a control.
  table.querySelector('tbody').addEventListener('click', (ev) => {
    if (ev.target.closest('a, button, input, select, textarea')) return;
    if (window.getSelection && String(window.getSelection()).length) return;
    const tr = ev.target.closest('tr[data-href]');
    if (tr) location.hash = tr.dataset.href;
  });
  return table;
}

function renderTable(pg) {
  const {data, el} = pg;
  if (!data) return;
  const focusKey = document.activeElement && el.tableWrap.contains(document.activeElement) ? document.activeElement.dataset.key : null;
  if (!data.items.length) {
    replace(el.tableWrap, emptyState(pg));
    return;
  }
  replace(el.tableWrap, recordsTable(pg));
  if (focusKey) el.tableWrap.querySelector(`[data-key="${CSS.escape(focusKey)}"]`)?.focus();
}

function renderPager(pg) {
  const {st, type, el} = pg;
  const total = pg.data.total;
  replace(el.printHead, h('span', null, `${cap(type.label_plural)} register (clause ${type.clause})`),
    h('span', null, st.asOf ? `As of ${st.asOf}` : `Printed ${new Date().toISOString().slice(0, 10)}`),
    h('span', null, `${total} ${total === 1 ? type.label : type.label_plural}${st.q || st.filters.length ? ' (filtered)' : ''}`));
  const from = total ? st.offset + 1 : 0;
  const to = Math.min(st.offset + pg.data.items.length, total);
  const noun = total === 1 ? type.label : type.label_plural;
  el.summary.textContent = total
    ? `${from}–${to} of ${total} ${noun}`
    : '';
  const prev = h('button', {type: 'button', class: 'btn', disabled: st.offset === 0, dataset: {key: 'prev'},
    onclick: () => navigate(pg, {...pg.st, offset: Math.max(0, pg.st.offset - pg.st.limit)})}, '← Previous');
  const next = h('button', {type: 'button', class: 'btn', disabled: st.offset + st.limit >= total, dataset: {key: 'next'},
    onclick: () => navigate(pg, {...pg.st, offset: pg.st.offset + pg.st.limit})}, 'Next →');
  const pages = Math.max(1, Math.ceil(total / st.limit));
  const page = Math.floor(st.offset / st.limit) + 1;
  const size = h('select', {id: 'page-size', onchange: () => navigate(pg, {...pg.st, limit: Number(size.value), offset: 0})},
    PAGE_SIZES.map((n) => h('option', {value: String(n), selected: n === st.limit}, String(n))));
  const focused = document.activeElement && el.pager.contains(document.activeElement) ? document.activeElement.dataset.key : null;
  replace(el.pager, prev, h('span', {class: 'page-no'}, `Page ${page} of ${pages}`), next,
    h('span', {class: 'page-size'}, h('label', {for: 'page-size'}, 'Rows per page'), size));
  el.pager.hidden = total <= PAGE_SIZES[0] && st.offset === 0;
  if (focused) {
    const b = el.pager.querySelector(`[data-key="${focused}"]`);
    if (b && !b.disabled) b.focus(); else el.pager.querySelector('button:not([disabled])')?.focus();
  }
}
