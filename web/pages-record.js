// pages-record.js — one record: title and status, its actions, fields in a two-column grid,
// the records that refer to it, and its history as a timeline.
import {session, api, typeOf, titleOf} from './api.js';
import {h, append, replace, cap, humanize, banner, spinner, pageTitle, statusChip, timeEl,
  openDialog, button, fmtTime} from './dom.js';
import {displayValue, textValue, fieldControl, isEmpty} from './fields.js';
import {effectiveControls, effectiveNote} from './effective.js';
import {breadcrumbs, unknownType} from './common.js';
import {go, setFlash} from './router.js';
import {filesSection} from './files.js';
import {hooksFor} from './hooks.js';

const META = new Set(['id', 'version', 'created_at', 'updated_at', 'actions', 'refs', 'html']);
const PAST = {
  create: 'Created', update: 'Changed', delete: 'Deleted', approve: 'Approved',
  supersede: 'Superseded', publish: 'Published', accept: 'Accepted', reject: 'Rejected',
  close: 'Closed', reopen: 'Reopened', submit: 'Submitted', retire: 'Retired', verify: 'Verified',
  complete: 'Completed', cancel: 'Cancelled', start: 'Started', review: 'Reviewed', sign: 'Signed',
  follow_version: 'Updated from its versions', withdraw: 'Withdrawn',
};

export async function recordPage(main, route, signal) {
  const type = typeOf(route.params.type);
  if (!type || !type.can_read) return unknownType(main, route.params.type);
  const pg = recordState(type, route, signal);
  mountRecord(main, pg);
  document.title = `${cap(type.label)} #${pg.id} · isms`;
  try {
    pg.rec = await api('GET', `${pg.plural}/${pg.id}`, {signal, params: pg.asOf ? {as_of: pg.asOf} : undefined});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    showMissing(pg, e);
    return null;
  }
  if (signal.aborted) return null;
  renderRecord(pg);
  return null;
}

// ---------------------------------------------------------------------------------------------
// State: the type and its hooks (hooks.js), the record's id and the moment asked for, the
// record as last read, and the page's elements (el).

function recordState(type, route, signal) {
  // ?as_of=2026-06-30 (end of that day, UTC) or a full timestamp: the record as it was then.
  const asOfRaw = route.query.get('as_of') || '';
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(asOfRaw) ? `${asOfRaw}T23:59:59Z` : (/^\d{4}-\d{2}-\d{2}T/.test(asOfRaw) ? asOfRaw : '');
  return {type, plural: type.plural, hooks: hooksFor(type.plural), id: Number(route.params.id), asOfRaw, asOf, signal, rec: null, el: {}};
}

// ---------------------------------------------------------------------------------------------
// Query: reading the record again, its workflow actions, deleting it.

async function reload(pg, message, kind = 'success') {
  const {el} = pg;
  try {
    pg.rec = await api('GET', `${pg.plural}/${pg.id}`);
    renderRecord(pg);
    replace(el.msgs, message ? banner(message, kind) : null);
  } catch (e) {
    replace(el.msgs, banner(e));
  }
}

// An action's parameters as form controls, in a dialog; the record shown follows.
async function runAction(pg, a) {
  const {type, el} = pg;
  const controls = actionControls(pg, a);
  const from = type.state_field ? pg.rec[type.state_field] : null;
  const eff = effectiveControls(a);
  const body = [
    a.help ? h('p', null, a.help) : null,
    from && a.to ? h('p', {class: 'muted'}, 'Status: ', statusChip(from), ' → ', statusChip(a.to)) : null,
    controls.map(({c}) => c.row),
    eff ? eff.rows : null,
  ];
  let stale = false;
  await openDialog({
    title: `${a.label}: ${titleOf(type, pg.rec)}`,
    body,
    buttons: [{label: a.label, cls: 'btn-primary', value: 'go'}, {label: 'Cancel', value: null}],
    onSubmit: async (value, dlg) => {
      let payload = actionPayload(controls);
      if (eff) {
        eff.clearErrors();
        const when = eff.get();
        if (when.error) { eff.showError(when.error, when.message); payload = null; } else if (payload) Object.assign(payload, when);
      }
      if (!payload) return false;
      try {
        pg.rec = await api('POST', `${pg.plural}/${pg.rec.id}/actions/${a.name}`, {body: payload, version: pg.rec.version});
      } catch (e) {
        if (e.status === 412) { stale = true; return true; }
        const target = e.field && controls.find(({p}) => p.name === e.field || p.field === e.field);
        if (eff && eff.showError(e.field, cap(e.message))) return false;
        if (target) target.c.showError(cap(e.message));
        else dlg.showError(e.status === 409 || e.status === 403 ? `Not possible: ${e.message}.` : cap(e.message));
        return false;
      }
      renderRecord(pg);
      pg.hooks.afterAction?.(pg.rec, a.name);
      replace(el.msgs, banner(`${PAST[a.name] || a.label + ' done'}.`, 'success'));
      setTimeout(() => el.msgs.focus(), 0);
      return true;
    },
  });
  if (stale) staleBanner(pg);
}

function actionControls(pg, a) {
  const {type} = pg;
  return (a.params || []).map((p) => {
    const f = type.fields.find((x) => x.name === p.field) || {name: p.name, label: humanize(p.name), type: 'text', help: ''};
    const c = fieldControl(type, {...f, name: p.name, required: !!p.required, readonly: false}, {refs: pg.rec.refs, idPrefix: 'act'});
    return {p, c};
  });
}

// The action's body from its controls, or null (with the errors shown) when one is wrong.
function actionPayload(controls) {
  const payload = {};
  let bad = false;
  for (const {p, c} of controls) {
    c.clearError();
    const v = c.get();
    if (v && typeof v === 'object' && v.error) { c.showError(v.error); bad = true; continue; }
    if (p.required && isEmpty(v)) { c.showError(`${c.f.label} is required`); bad = true; continue; }
    if (!isEmpty(v)) payload[p.name] = v;
  }
  return bad ? null : payload;
}

async function confirmDelete(pg) {
  const {type, plural, rec} = pg;
  let stale = false;
  const title = titleOf(type, rec);
  const r = await openDialog({
    title: `Delete ${type.label} “${title}”?`,
    body: [h('p', null, `The ${type.label} disappears from the register. Its history stays in the change log.`)],
    buttons: [{label: `Delete ${type.label}`, cls: 'btn-danger', value: 'delete'}, {label: 'Cancel', value: null, autofocus: true}],
    onSubmit: async (value, dlg) => {
      try {
        await api('DELETE', `${plural}/${pg.rec.id}`, {version: pg.rec.version});
        return true;
      } catch (e) {
        if (e.status === 412) { stale = true; return true; }
        dlg.showError(e.status === 409 ? `It cannot be deleted: ${e.message}.` : cap(e.message));
        return false;
      }
    },
  });
  if (stale) { staleBanner(pg); return; }
  if (r === 'delete') {
    setFlash(`${cap(type.label)} “${title}” deleted.`);
    go(`#/t/${plural}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Render: the frame, then the head, the print header and the body from the record.

function mountRecord(main, pg) {
  const {el} = pg;
  el.crumbs = breadcrumbs(pg.type, null, `#${pg.id}`);
  el.head = h('div', {class: 'page-head record-head'});
  el.msgs = h('div', {class: 'record-messages', tabindex: '-1'});
  el.body = h('div', {class: 'record-body'}, spinner());
  el.printHead = h('div', {class: 'print-header'});
  append(main, el.printHead, el.crumbs, el.head, el.msgs, el.body);
}

// No record to show: why, and for a deleted one its history.
function showMissing(pg, e) {
  const {type, id, el} = pg;
  replace(el.head, pageTitle(e.status === 404 ? `No ${type.label} #${id}` : `${cap(type.label)} #${id}`));
  replace(el.body, banner(e.status === 404 ? (pg.asOf ? `The ${type.label} with id ${id} did not exist at ${pg.asOfRaw}.` : `There is no ${type.label} with id ${id}. It may have been deleted; its history is kept.`) : e.message, e.status === 404 ? 'warning' : 'error'),
    e.status === 404 ? historySection(type, id, {}, pg.signal) : null);
}

function renderRecord(pg) {
  const {type, rec, el} = pg;
  const title = titleOf(type, rec);
  document.title = `${title} · ${cap(type.label)} · isms`;
  el.crumbs.replaceWith(breadcrumbs(type, null, title));
  replace(el.head, ...recordHead(pg, title));
  replace(el.printHead, h('span', null, 'isms'), h('span', null, `${cap(type.label)} #${rec.id}`),
    h('span', null, `Version ${rec.version}`), h('span', null, `Printed ${fmtTime(new Date().toISOString())}`));
  renderBody(pg);
}

function recordHead(pg, title) {
  const {type, rec, hooks} = pg;
  const state = type.state_field ? rec[type.state_field] : (hooks.state ? hooks.state(rec) : null);
  const buttons = headButtons(pg);
  return [
    h('div', {class: 'title-block'},
      h('p', {class: 'eyebrow'}, `${cap(type.label)} #${rec.id} · clause ${type.clause}`),
      h('div', {class: 'title-line'}, pageTitle(title), state ? statusChip(state) : null),
      h('p', {class: 'meta-line'}, `Version ${rec.version} · created `, timeEl(rec.created_at),
        rec.updated_at !== rec.created_at ? [' · last changed ', timeEl(rec.updated_at)] : null)),
    buttons.length ? h('div', {class: 'head-actions', role: 'group', 'aria-label': 'Actions'}, buttons) : null,
  ];
}

// The record's workflow actions, what its type adds, then Edit and Delete where allowed.
function headButtons(pg) {
  const {type, rec, hooks, asOf} = pg;
  const actionButtons = (rec.actions || []).map((name) => {
    const a = type.actions.find((x) => x.name === name) || {name, label: humanize(name), params: []};
    return button(a.label, () => runAction(pg, a), 'btn-primary', {dataset: {action: name}, title: a.help || null});
  });
  const buttons = [...actionButtons, ...(hooks.buttons ? hooks.buttons(rec) : [])];
  // The record says whether this user may change it (frozen approved versions may not).
  if ((rec.can_edit ?? type.can_write) && !asOf) buttons.push(h('a', {href: `#/t/${pg.plural}/${rec.id}/edit`, class: 'btn', id: 'edit-record'}, 'Edit'));
  if ((rec.can_delete ?? type.can_write) && !asOf) buttons.push(button('Delete', () => confirmDelete(pg), 'btn-danger', {id: 'delete-record'}));
  return buttons;
}

function fieldsGrid(type, rec) {
  const grid = h('dl', {class: 'fields-grid'});
  for (const f of type.fields) {
    if (f.writeonly) continue;
    const wide = (f.type === 'markdown' || f.type === 'json') && !isEmpty(rec[f.name]);
    grid.appendChild(h('div', {class: ['kv', wide ? 'wide' : null], dataset: {field: f.name}},
      h('dt', null, f.label),
      h('dd', null, displayValue(type, f, rec[f.name], rec.refs, {html: rec.html?.[f.name]}))));
  }
  return grid;
}

function renderBody(pg) {
  const {type, rec, el, asOf, asOfRaw, signal, hooks} = pg;
  replace(el.body,
    asOf ? banner(`This is how the ${type.label} was at ${asOfRaw.includes('T') ? fmtTime(asOfRaw) : 'the end of ' + asOfRaw + ' (UTC)'}, version ${rec.version}.`, 'info',
      h('a', {href: `#/t/${pg.plural}/${rec.id}`, class: 'btn btn-small'}, 'Show the current version')) : null,
    h('section', {class: 'panel', 'aria-label': 'Details'}, fieldsGrid(type, rec)),
    asOf ? null : filesSection(type, rec, signal),
    asOf ? null : linkedSection(type, rec, signal, hooks.linkedSkip),
    historySection(type, rec.id, rec.refs, signal, rec.version));
  hooks.decorate?.(el.body, rec, {signal, asOf, reload: async (message) => { await reload(pg, message); el.msgs.focus(); }});
}

function staleBanner(pg) {
  const {type, el} = pg;
  replace(el.msgs, banner(`Someone else changed this ${type.label} since you opened it, so nothing was done. Reload to see the newest version, then try again.`,
    'error', button('Reload', async () => {
      await reload(pg);
      if (!el.msgs.firstChild) replace(el.msgs, banner(`Reloaded: this is version ${pg.rec.version}.`, 'info'));
      el.msgs.focus();
    }, 'btn-primary')));
  el.msgs.focus();
}

// Records of other types that point at this one (an interested party's requirements, a
// person's assets), as small tables with a link to the full filtered list; `skip` is a type
// the page shows in its own way (a document's versions).
function linkedSection(type, rec, signal, skip) {
  const links = [];
  for (const t of session.types) {
    if (!t.can_read || t.plural === skip) continue;
    for (const f of t.fields) {
      // Derived fields are computed, not stored, so they cannot be filtered on.
      if ((f.type === 'reference' || f.type === 'references') && f.ref === type.plural && !f.derived) links.push({t, f});
    }
  }
  if (!links.length) return null;
  const box = h('section', {class: 'linked', 'aria-labelledby': 'linked-title'},
    h('h2', {id: 'linked-title'}, 'Linked records'), spinner());
  Promise.all(links.map(({t, f}) => api('GET', t.plural,
    {params: {[f.name]: rec.id, limit: 10}, signal}).then((r) => ({t, f, r}), (e) => ({t, f, e}))))
    .then((results) => {
      if (signal.aborted) return;
      const found = results.filter((x) => x.r && x.r.total > 0);
      const tables = found.map(({t, f, r}) => {
        const cols = t.fields.filter((x) => x.name !== t.title_field && x.name !== f.name &&
          ['enum', 'boolean', 'date', 'reference', 'integer'].includes(x.type)).slice(0, 3);
        if (t.state_field && !cols.some((c) => c.name === t.state_field)) {
          const sf = t.fields.find((x) => x.name === t.state_field);
          if (sf) cols.unshift(sf);
        }
        const titleField = t.fields.find((x) => x.name === t.title_field);
        return h('div', {class: 'linked-table'},
          h('div', {class: 'linked-head'},
            h('h3', null, `${cap(t.label_plural)} `, h('span', {class: 'muted'}, `(${f.label}) · ${r.total}`)),
            t.can_write && f.type === 'reference'
              ? h('a', {href: `#/t/${t.plural}/new?${new URLSearchParams({[f.name]: rec.id})}`, class: 'btn btn-small'}, `New ${t.label} here`) : null),
          h('div', {class: 'table-wrap'}, h('table', {class: 'grid small'},
            h('thead', null, h('tr', null, h('th', {scope: 'col'}, titleField ? titleField.label : 'Title'),
              cols.map((c) => h('th', {scope: 'col'}, c.label)))),
            h('tbody', null, r.items.map((it) => h('tr', null,
              h('th', {scope: 'row'}, h('a', {href: `#/t/${t.plural}/${it.id}`}, titleOf(t, it))),
              cols.map((c) => h('td', null, displayValue(t, c, it[c.name], r.refs, {compact: true})))))))),
          r.total > r.items.length
            ? h('p', null, h('a', {href: `#/t/${t.plural}?${new URLSearchParams({[f.name]: rec.id})}`}, `All ${r.total} →`)) : null);
      });
      const failed = results.find((x) => x.e);
      if (!tables.length && !failed) { box.remove(); return; }
      replace(box, h('h2', {id: 'linked-title'}, 'Linked records'), failed ? banner(failed.e) : null, tables);
    });
  return box;
}

// An action's body as the history shows it: the effective date and reason have their own line.
function detailShown(detail) {
  if (!detail || typeof detail !== 'object') return null;
  const rest = Object.fromEntries(Object.entries(detail).filter(([k]) => k !== 'effective_on' && k !== 'reason'));
  return Object.keys(rest).length ? rest : null;
}

// The change history, newest first: who, when, what, and which fields changed; a decision
// recorded late says "Recorded on … for …".
function historySection(type, id, refs, signal, shownVersion) {
  const box = h('section', {class: 'history', 'aria-labelledby': 'history-title'},
    h('h2', {id: 'history-title'}, 'History'), spinner());
  api('GET', `${type.plural}/${id}/history`, {signal}).then((r) => {
    if (signal.aborted) return;
    const entries = [];
    let prev = null;
    for (const it of r.items) {
      entries.push({it, changes: diff(type, prev, it.state)});
      if (it.state) prev = it.state;
    }
    entries.reverse();
    const list = h('ol', {class: 'timeline'}, entries.map(({it, changes}) => {
      const action = type.actions.find((a) => a.name === it.op);
      const what = PAST[it.op] || (action ? action.label : humanize(it.op));
      return h('li', {class: ['tl-item', `tl-${it.op}`]},
        h('div', {class: 'tl-head'},
          h('strong', {class: 'tl-op'}, what), ' by ', h('span', {class: 'tl-actor'}, it.actor || 'system'),
          ' · ', timeEl(it.at),
          it.state && it.state.version ? h('span', {class: 'muted'}, ` · version ${it.state.version}`) : null,
          it.state && it.op !== 'delete' && shownVersion !== undefined && it.state.version !== shownVersion
            ? [' · ', h('a', {href: `#/t/${type.plural}/${id}?as_of=${encodeURIComponent(it.at)}`, class: 'tl-view'}, 'view this version')] : null,
          it.state && it.state.version === shownVersion && r.items.length > 1 ? h('span', {class: 'chip chip-neutral tl-shown'}, 'shown above') : null),
        effectiveNote(it),
        detailShown(it.detail)
          ? h('p', {class: 'tl-detail'}, Object.entries(detailShown(it.detail)).map(([k, v]) => `${humanize(k)}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' · '))
          : (typeof it.detail === 'string' && it.detail ? h('p', {class: 'tl-detail'}, it.detail) : null),
        changes.length ? renderChanges(it.op, changes, refs) : null);
    }));
    replace(box, h('h2', {id: 'history-title'}, 'History ', h('span', {class: 'muted'}, `· ${r.total} ${r.total === 1 ? 'entry' : 'entries'}`)), list);
  }, (e) => {
    if (e.name === 'AbortError') return;
    replace(box, h('h2', {id: 'history-title'}, 'History'), banner(e));
  });
  return box;
}

function diff(type, before, after) {
  if (!after) return [];
  const out = [];
  for (const f of type.fields) {
    if (META.has(f.name) || f.writeonly) continue;
    const a = before ? before[f.name] : undefined;
    const b = after[f.name];
    if (!before) {
      if (!isEmpty(b)) out.push({f, to: b});
      continue;
    }
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) out.push({f, from: a, to: b});
  }
  return out;
}

function renderChanges(op, changes, refs) {
  const fmt = (f, v) => {
    const s = textValue(f, v, refs);
    return (f.type === 'markdown' || f.type === 'json') && s.length > 160 ? s.slice(0, 159) + '…' : s;
  };
  if (op === 'create') {
    return h('details', {class: 'tl-changes'}, h('summary', null, `${changes.length} ${changes.length === 1 ? 'field' : 'fields'} set`),
      h('ul', null, changes.map(({f, to}) => h('li', null, h('span', {class: 'tl-field'}, f.label), ': ', fmt(f, to)))));
  }
  return h('ul', {class: 'tl-changes'}, changes.map(({f, from, to}) => h('li', null,
    h('span', {class: 'tl-field'}, f.label), ': ',
    h('del', null, fmt(f, from)), h('span', {'aria-hidden': 'true'}, ' → '), h('span', {class: 'sr-only'}, ' changed to '),
    h('ins', null, fmt(f, to)))));
}

