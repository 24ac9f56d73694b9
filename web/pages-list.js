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

export async function listPage(main, route, signal) {
  const plural = route.params.type;
  const type = typeOf(plural);
  if (!type || !type.can_read) return unknownType(main, plural);
  const section = sectionOf(type.section);
  document.title = `${cap(type.label_plural)} · isms`;
  let st = parseState(type, route.query);
  let columns = loadColumns(type);
  let data = null;
  let ctrl = null;
  const refCache = {};
  const titleField = type.fields.find((f) => f.name === type.title_field);

  // --- header
  const newBtn = type.can_create
    ? h('a', {href: `#/t/${plural}/new`, class: 'btn btn-primary', id: 'new-record'}, `New ${type.label}`) : null;
  const colMenu = columnsMenu();
  const printHead = h('div', {class: 'print-header'});
  append(main, printHead,
    h('div', {class: 'page-head'},
      h('div', null,
        h('p', {class: 'eyebrow'}, `${section.num ? section.num + ' ' : ''}${section.name} · clause ${type.clause}`),
        pageTitle(cap(type.label_plural)),
        type.help ? h('p', {class: 'lede'}, type.help) : null),
      h('div', {class: 'head-actions'}, colMenu, newBtn)));

  // --- search and filters
  const searchInput = h('input', {type: 'search', id: 'list-q', value: st.q, autocomplete: 'off',
    placeholder: `Search ${type.label_plural}`});
  let typing = null;
  searchInput.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      st = {...st, q: searchInput.value.trim(), offset: 0};
      history.replaceState(null, '', hashFor(`/t/${plural}`, stateParams(st)));
      load();
    }, 300);
  });
  const searchForm = h('form', {class: 'list-search', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    clearTimeout(typing);
    navigate({...st, q: searchInput.value.trim(), offset: 0});
  }}, h('label', {for: 'list-q', class: 'sr-only'}, `Search ${type.label_plural}`), searchInput,
  h('button', {type: 'submit', class: 'btn'}, 'Search'));

  const filterFields = type.fields.filter((f) => FILTER_TYPES.has(f.type) && !f.writeonly && !f.derived &&
    (!f.ref || (typeOf(f.ref) && typeOf(f.ref).can_read)));
  const addFilterBtn = filterFields.length
    ? h('button', {type: 'button', class: 'btn', 'aria-expanded': 'false', 'aria-controls': 'filter-panel',
      onclick: () => toggleFilterPanel()}, '+ Add filter') : null;
  const filterPanel = h('div', {class: 'filter-panel', id: 'filter-panel', hidden: true});
  // "As of": the register as it was at the end of a past day, rebuilt from the change log.
  const asOfInput = h('input', {type: 'date', id: 'list-as-of', value: st.asOf.slice(0, 10), max: new Date().toISOString().slice(0, 10)});
  const asOfForm = h('form', {class: 'as-of', onsubmit: (ev) => {
    ev.preventDefault();
    navigate({...st, asOf: asOfInput.value || '', offset: 0});
  }}, h('label', {for: 'list-as-of'}, 'As of'), asOfInput, h('button', {type: 'submit', class: 'btn'}, 'Show'));
  const asOfBanner = h('div', {class: 'as-of-banner'});
  const chips = h('ul', {class: 'filter-chips', 'aria-label': 'Active filters'});
  const summary = h('p', {class: 'list-summary', role: 'status', 'aria-live': 'polite'});
  const tableWrap = h('div', {class: 'table-wrap list-wrap'}, spinner());
  const pager = h('nav', {class: 'pager', 'aria-label': 'Pages'});
  const errBox = h('div');
  append(main,
    h('div', {class: 'toolbar'}, searchForm, addFilterBtn, asOfForm),
    asOfBanner, filterPanel, chips, errBox, summary, tableWrap, pager);

  function navigate(next) {
    location.hash = hashFor(`/t/${plural}`, stateParams(next));
  }

  // --- columns menu
  function columnsMenu() {
    const all = type.fields.filter((f) => f.name !== type.title_field && !f.writeonly);
    const boxes = all.map((f) => {
      const id = `col-${f.name}`;
      const cb = h('input', {type: 'checkbox', id, checked: columns.includes(f.name), onchange: () => {
        columns = all.filter((x) => document.getElementById(`col-${x.name}`)?.checked).map((x) => x.name);
        if (document.getElementById('col-updated_at')?.checked) columns.push('updated_at');
        localStorage.setItem(colsKey(type), JSON.stringify(columns));
        renderTable();
      }});
      return h('li', null, cb, h('label', {for: id}, f.label));
    });
    const upd = h('input', {type: 'checkbox', id: 'col-updated_at', checked: columns.includes('updated_at'), onchange: () => {
      columns = columns.filter((c) => c !== 'updated_at');
      if (upd.checked) columns.push('updated_at');
      localStorage.setItem(colsKey(type), JSON.stringify(columns));
      renderTable();
    }});
    boxes.push(h('li', null, upd, h('label', {for: 'col-updated_at'}, 'Last changed')));
    const reset = button('Default columns', () => {
      localStorage.removeItem(colsKey(type));
      columns = defaultColumns(type);
      for (const f of all) { const cb = document.getElementById(`col-${f.name}`); if (cb) cb.checked = columns.includes(f.name); }
      upd.checked = false;
      renderTable();
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

  // --- filter panel
  function toggleFilterPanel(open = filterPanel.hidden) {
    filterPanel.hidden = !open;
    addFilterBtn.setAttribute('aria-expanded', String(open));
    if (open) buildFilterPanel();
    else addFilterBtn.focus();
  }

  function buildFilterPanel() {
    const fieldSel = h('select', {id: 'filter-field'},
      filterFields.map((f) => h('option', {value: f.name}, f.label)));
    const valueBox = h('div', {class: 'filter-value'});
    let getValue = () => null;
    const err = h('p', {class: 'field-error', hidden: true, id: 'filter-error'});
    function buildValue() {
      const f = filterFields.find((x) => x.name === fieldSel.value);
      err.hidden = true;
      if (f.type === 'enum' || f.type === 'boolean') {
        const values = f.type === 'boolean' ? [['true', 'Yes'], ['false', 'No']]
          : f.values.map((v) => [v, humanize(v)]);
        if (f.type === 'enum' && !f.required) values.push(['', '(not set)']);
        const sel = h('select', {id: 'filter-value', 'aria-describedby': 'filter-error'},
          values.map(([v, l]) => h('option', {value: v}, l)));
        replace(valueBox, h('label', {for: 'filter-value'}, 'is'), sel);
        getValue = () => ({value: sel.value, title: sel.options[sel.selectedIndex].textContent});
      } else {
        const p = refPicker({id: 'filter-value', plural: f.ref, label: f.label, describedBy: 'filter-error'});
        replace(valueBox, h('label', {for: 'filter-value'}, f.type === 'references' ? 'includes' : 'is'), p.el);
        getValue = () => (p.value === null ? null : {value: String(p.value), title: p.title});
      }
    }
    fieldSel.addEventListener('change', buildValue);
    buildValue();
    const apply = h('button', {type: 'submit', class: 'btn btn-primary'}, 'Apply filter');
    const form = h('form', {class: 'filter-form', onsubmit: (ev) => {
      ev.preventDefault();
      const v = getValue();
      if (!v) {
        err.textContent = 'Choose a value first.';
        err.hidden = false;
        document.getElementById('filter-value')?.focus();
        return;
      }
      const f = filterFields.find((x) => x.name === fieldSel.value);
      if (f.ref) refCache[`${f.ref}:${v.value}`] = v.title;
      filterPanel.hidden = true;
      addFilterBtn.setAttribute('aria-expanded', 'false');
      const filters = st.filters.filter(([k]) => k !== f.name || f.type === 'references');
      filters.push([f.name, v.value]);
      navigate({...st, filters, offset: 0});
    }},
    h('label', {for: 'filter-field'}, 'Filter by'), fieldSel, valueBox, apply,
    button('Cancel', () => toggleFilterPanel(false), 'btn-quiet'), err);
    form.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && !ev.defaultPrevented) { ev.preventDefault(); toggleFilterPanel(false); }
    });
    replace(filterPanel, form);
    fieldSel.focus();
  }

  function chipTitle(f, value) {
    if (f.type === 'boolean') return value === 'true' || value === '1' ? 'Yes' : 'No';
    if (value === '') return '(not set)';
    if (f.type === 'integer') return value;
    if (f.type === 'enum') return humanize(value);
    const key = `${f.ref}:${value}`;
    if (refCache[key]) return refCache[key];
    if (data && data.refs && data.refs[f.ref] && data.refs[f.ref][value]) return refTitle(data.refs, f.ref, value);
    // Not on this page: ask for its title once.
    refCache[key] = `#${value}`;
    const target = typeOf(f.ref);
    if (target && target.can_read) {
      api('GET', `${f.ref}/${value}`).then((rec) => {
        refCache[key] = titleOf(target, rec);
        renderChips();
      }, () => {});
    }
    return refCache[key];
  }

  function renderChips() {
    const items = st.filters.map(([k, v], i) => {
      const f = type.fields.find((x) => x.name === k);
      const text = `${f.label}: ${chipTitle(f, v)}`;
      return h('li', {class: 'filter-chip'}, h('span', null, text),
        h('button', {type: 'button', class: 'chip-x', 'aria-label': `Remove filter ${text}`, dataset: {key: `chip-${k}-${v}`},
          onclick: () => navigate({...st, filters: st.filters.filter((_, j) => j !== i), offset: 0})}, '×'));
    });
    if (st.filters.length + (st.q ? 1 : 0) > 1 || (st.filters.length && st.q)) {
      items.push(h('li', null, button('Clear all', () => { searchInput.value = ''; navigate({...st, q: '', filters: [], offset: 0}); }, 'btn-quiet btn-small')));
    }
    if (st.q) {
      items.unshift(h('li', {class: 'filter-chip'}, h('span', null, `Search: “${st.q}”`),
        h('button', {type: 'button', class: 'chip-x', 'aria-label': `Remove search ${st.q}`, dataset: {key: 'chip-q'},
          onclick: () => { searchInput.value = ''; navigate({...st, q: '', offset: 0}); }}, '×')));
    }
    replace(chips, items);
    chips.hidden = items.length === 0;
  }

  // --- the table
  function currentSort() {
    const s = st.sort || type.default_sort || 'id';
    return s.startsWith('-') ? {name: s.slice(1), desc: true} : {name: s, desc: false};
  }

  function sortHeader(name, label, sortable) {
    const cur = currentSort();
    const on = cur.name === name;
    const th = h('th', {scope: 'col', 'aria-sort': on ? (cur.desc ? 'descending' : 'ascending') : null});
    if (!sortable) { th.textContent = label; return th; }
    const next = on && !cur.desc ? `-${name}` : name;
    th.appendChild(h('button', {type: 'button', class: 'sort', dataset: {key: `sort-${name}`},
      title: `Sort by ${label}${on && !cur.desc ? ', descending' : ''}`,
      onclick: () => navigate({...st, sort: next, offset: 0})},
    label, h('span', {class: ['sort-mark', on ? 'on' : null], 'aria-hidden': 'true'}, on ? (cur.desc ? '▼' : '▲') : '↕')));
    return th;
  }

  // A day means its end (UTC); a full timestamp means that moment.
  function asOfParam() { return st.asOf.length === 10 ? `${st.asOf}T23:59:59Z` : st.asOf; }
  function asOfText() { return st.asOf.length === 10 ? `at the end of ${st.asOf} (UTC)` : `at ${fmtTime(st.asOf)}`; }

  function recHref(rec) {
    return `#/t/${plural}/${rec.id}${st.asOf ? '?as_of=' + encodeURIComponent(st.asOf) : ''}`;
  }

  function renderAsOf() {
    if (newBtn) newBtn.hidden = !!st.asOf;
    asOfInput.value = st.asOf.slice(0, 10);
    replace(asOfBanner, st.asOf ? banner(`Showing ${type.label_plural} as they were ${asOfText()}, rebuilt from the change log: records deleted since then are included, later changes are not.`,
      'info', button('Back to today', () => navigate({...st, asOf: '', offset: 0}), 'btn-small')) : null);
  }

  function renderTable() {
    if (!data) return;
    const focusKey = document.activeElement && tableWrap.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    const cols = columns.map((n) => n === 'updated_at'
      ? {name: 'updated_at', label: 'Last changed', type: 'datetime'}
      : type.fields.find((f) => f.name === n)).filter(Boolean);
    if (!data.items.length) {
      const filtered = st.q || st.filters.length;
      replace(tableWrap, h('div', {class: 'empty-state'},
        h('p', null, filtered ? `No ${type.label_plural} match.` : (st.asOf ? `No ${type.label_plural} existed ${asOfText()}.` : `No ${type.label_plural} recorded yet.`)),
        filtered ? button('Clear search and filters', () => { searchInput.value = ''; navigate({...st, q: '', filters: [], offset: 0}); })
          : (type.can_create && !st.asOf ? h('a', {href: `#/t/${plural}/new`, class: 'btn btn-primary'}, `New ${type.label}`) : null)));
      return;
    }
    const cur = currentSort();
    const sortLabel = (type.fields.find((f) => f.name === cur.name) || {label: cur.name === 'updated_at' ? 'last changed' : cur.name}).label;
    const table = h('table', {class: 'grid'},
      h('caption', {class: 'sr-only'}, `${cap(type.label_plural)}, sorted by ${sortLabel} ${cur.desc ? 'descending' : 'ascending'}`),
      h('thead', null, h('tr', null,
        sortHeader(type.title_field, titleField ? titleField.label : 'Title', true),
        cols.map((f) => sortHeader(f.name, f.label, f.type !== 'references' && f.type !== 'json' && !f.derived)))),
      h('tbody', null, data.items.map((rec) => h('tr', {dataset: {href: recHref(rec)}},
        h('th', {scope: 'row'}, h('a', {href: recHref(rec)}, titleOf(type, rec))),
        cols.map((f) => h('td', {class: `col-${f.type}`}, f.type === 'datetime'
          ? h('time', {datetime: rec.updated_at, title: rec.updated_at}, rec.updated_at.slice(0, 10))
          : displayValue(type, f, rec[f.name], data.refs, {compact: true})))))));
    table.querySelector('tbody').addEventListener('click', (ev) => {
      if (ev.target.closest('a, button, input, select, textarea')) return;
      if (window.getSelection && String(window.getSelection()).length) return;
      const tr = ev.target.closest('tr[data-href]');
      if (tr) location.hash = tr.dataset.href;
    });
    replace(tableWrap, table);
    if (focusKey) tableWrap.querySelector(`[data-key="${CSS.escape(focusKey)}"]`)?.focus();
  }

  function renderPager() {
    const total = data.total;
    replace(printHead, h('span', null, `${cap(type.label_plural)} register (clause ${type.clause})`),
      h('span', null, st.asOf ? `As of ${st.asOf}` : `Printed ${new Date().toISOString().slice(0, 10)}`),
      h('span', null, `${total} ${total === 1 ? type.label : type.label_plural}${st.q || st.filters.length ? ' (filtered)' : ''}`));
    const from = total ? st.offset + 1 : 0;
    const to = Math.min(st.offset + data.items.length, total);
    const noun = total === 1 ? type.label : type.label_plural;
    summary.textContent = total
      ? `${from}–${to} of ${total} ${noun}`
      : '';
    const prev = h('button', {type: 'button', class: 'btn', disabled: st.offset === 0, dataset: {key: 'prev'},
      onclick: () => navigate({...st, offset: Math.max(0, st.offset - st.limit)})}, '← Previous');
    const next = h('button', {type: 'button', class: 'btn', disabled: st.offset + st.limit >= total, dataset: {key: 'next'},
      onclick: () => navigate({...st, offset: st.offset + st.limit})}, 'Next →');
    const pages = Math.max(1, Math.ceil(total / st.limit));
    const page = Math.floor(st.offset / st.limit) + 1;
    const size = h('select', {id: 'page-size', onchange: () => navigate({...st, limit: Number(size.value), offset: 0})},
      PAGE_SIZES.map((n) => h('option', {value: String(n), selected: n === st.limit}, String(n))));
    const focused = document.activeElement && pager.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    replace(pager, prev, h('span', {class: 'page-no'}, `Page ${page} of ${pages}`), next,
      h('span', {class: 'page-size'}, h('label', {for: 'page-size'}, 'Rows per page'), size));
    pager.hidden = total <= PAGE_SIZES[0] && st.offset === 0;
    if (focused) {
      const el = pager.querySelector(`[data-key="${focused}"]`);
      if (el && !el.disabled) el.focus(); else pager.querySelector('button:not([disabled])')?.focus();
    }
  }

  async function load() {
    if (ctrl) ctrl.abort();
    ctrl = new AbortController();
    const mine = ctrl;
    signal.addEventListener('abort', () => mine.abort(), {once: true});
    renderChips();
    renderAsOf();
    tableWrap.setAttribute('aria-busy', 'true');
    tableWrap.classList.add('is-loading');
    const params = {limit: st.limit, offset: st.offset};
    if (st.q) params.q = st.q;
    if (st.sort) params.sort = st.sort;
    if (st.asOf) params.as_of = asOfParam();
    const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
    for (const [k, v] of st.filters) q.append(k, v);
    try {
      const res = await fetchList(q, mine.signal);
      if (mine.signal.aborted) return;
      data = res;
      replace(errBox);
      // Past the end (e.g. after deletions): go to the last page.
      if (!data.items.length && data.total > 0 && st.offset > 0) {
        navigate({...st, offset: Math.max(0, Math.floor((data.total - 1) / st.limit) * st.limit)});
        return;
      }
      renderTable();
      renderPager();
      renderChips();
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(errBox, banner(e));
      if (!data) replace(tableWrap);
    } finally {
      if (ctrl === mine) {
        tableWrap.removeAttribute('aria-busy');
        tableWrap.classList.remove('is-loading');
      }
    }
  }

  async function fetchList(q, sig) {
    // api() takes an object of params; filters may repeat a name, so build the path here.
    return api('GET', `${plural}?${q.toString()}`.replace(/\?$/, ''), {signal: sig});
  }

  await load();
  return {
    update(r) {
      st = parseState(type, r.query);
      if (document.activeElement !== searchInput) searchInput.value = st.q;
      load();
    },
  };
}
