// pages-form.js — creating and editing a record of any type, built from its field list.
import {api, typeOf, titleOf} from './api.js';
import {h, append, replace, cap, banner, spinner, pageTitle, button} from './dom.js';
import {fieldControl, isEmpty} from './fields.js';
import {breadcrumbs, forbidden, unknownType} from './common.js';
import {go, setFlash} from './router.js';

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function formPage(main, route, signal) {
  const type = typeOf(route.params.type);
  if (!type || !type.can_read) return unknownType(main, route.params.type);
  const pg = formState(type, route.params.id);
  mountForm(main, pg);
  if (!type.can_write) {
    forbidden(pg.el.body, `Your role may not change ${type.label_plural}.`);
    return null;
  }
  if (!pg.isNew) {
    await loadRecord(pg, main, signal);
    if (signal.aborted) return null;
  } else {
    await prefill(pg, route.query, signal);
    if (signal.aborted) return null;
  }
  renderForm(pg, signal);
  return null;
}

// ---------------------------------------------------------------------------------------------
// State: the type, the record edited (null for a new one) and the version the edit is based
// on, the values a new record starts from, the controls, and the page's elements (el).

function formState(type, idPart) {
  const isNew = idPart === undefined;
  return {
    type, plural: type.plural, isNew, id: isNew ? null : Number(idPart),
    rec: null,
    original: null, // the version the edit is based on
    prefill: {}, prefillRefs: {},
    fields: [], controls: [],
    dirty: false,
    el: {},
  };
}

// A new record may start from values in the address (#/t/requirements/new?party=3), e.g.
// from "New requirement here" on an interested party.
function valuesFromAddress(type, query) {
  const out = {};
  for (const f of type.fields) {
    const raw = query.get(f.name);
    if (raw === null || f.readonly || f.writeonly) continue;
    if (f.type === 'reference' || f.type === 'integer') {
      if (/^\d+$/.test(raw)) out[f.name] = Number(raw);
    } else if (f.type === 'boolean') out[f.name] = raw === 'true';
    else if (f.type === 'references') out[f.name] = raw.split(',').filter((x) => /^\d+$/.test(x)).map(Number);
    else out[f.name] = raw;
  }
  return out;
}

// The values to send: everything for a new record; only what changed for an edit.
function collect(pg) {
  const {isNew, original} = pg;
  const out = {};
  const errors = [];
  for (const c of pg.controls) {
    if (c.readonly) continue;
    const v = c.get();
    if (v && typeof v === 'object' && !Array.isArray(v) && v.error) { errors.push([c, v.error]); continue; }
    if (c.f.required && isEmpty(v) && c.f.type !== 'boolean' && !(c.f.writeonly && !isNew)) {
      errors.push([c, `${c.f.label} is required`]);
      continue;
    }
    if (c.f.writeonly) { if (!isEmpty(v)) out[c.f.name] = v; continue; }
    if (isNew) { if (!isEmpty(v) || c.f.type === 'boolean') out[c.f.name] = v; } else if (!same(v, original[c.f.name]) && !(isEmpty(v) && isEmpty(original[c.f.name]))) out[c.f.name] = v;
  }
  return {out, errors};
}

// ---------------------------------------------------------------------------------------------
// Query: the record edited, the titles of prefilled references, saving, and reading the
// newest version after a 412.

async function loadRecord(pg, main, signal) {
  const {type, el} = pg;
  el.body.appendChild(spinner());
  pg.rec = await api('GET', `${pg.plural}/${pg.id}`, {signal});
  if (signal.aborted) return;
  pg.original = pg.rec;
  const title = titleOf(type, pg.rec);
  replace(el.head, h('div', null, pageTitle(`Edit ${title}`),
    h('p', {class: 'lede'}, `${cap(type.label)} #${pg.rec.id}, version ${pg.rec.version}`)));
  document.title = `Edit ${title} · isms`;
  main.querySelector('.breadcrumbs li:last-child a')?.replaceChildren(title);
}

async function prefill(pg, query, signal) {
  const {type} = pg;
  pg.prefill = valuesFromAddress(type, query);
  // Titles for prefilled references.
  await Promise.all(type.fields.filter((f) => f.type === 'reference' && pg.prefill[f.name]).map(async (f) => {
    const t = typeOf(f.ref);
    try {
      const r = await api('GET', `${f.ref}/${pg.prefill[f.name]}`, {signal});
      pg.prefillRefs[f.ref] = {...(pg.prefillRefs[f.ref] || {}), [r.id]: titleOf(t, r)};
    } catch (e) {
      if (e.name === 'AbortError') throw e;
    }
  }));
}

async function submitForm(pg) {
  const {type, plural, isNew, id, el} = pg;
  clearErrors(pg);
  const {out, errors} = collect(pg);
  if (errors.length) {
    showErrors(errors);
    return;
  }
  if (!isNew && Object.keys(out).length === 0) {
    setFlash('Nothing changed.', 'info');
    go(`#/t/${plural}/${id}`);
    return;
  }
  el.submit.disabled = true;
  const label = el.submit.textContent;
  el.submit.textContent = isNew ? 'Creating…' : 'Saving…';
  el.form.setAttribute('aria-busy', 'true');
  try {
    const saved = isNew
      ? await api('POST', plural, {body: out})
      : await api('PATCH', `${plural}/${id}`, {body: out, version: pg.original.version});
    pg.dirty = false;
    setFlash(isNew ? `${cap(type.label)} “${titleOf(type, saved)}” created.` : 'Changes saved.');
    go(`#/t/${plural}/${saved.id}`, {replace: true});
  } catch (e) {
    el.submit.disabled = false;
    el.submit.textContent = label;
    el.form.removeAttribute('aria-busy');
    showSaveError(pg, e);
  }
}

// After a 412: load the newest version, keep what the user changed, and let them save again.
async function reloadKeepingInput(pg) {
  const {type, el} = pg;
  replace(el.msgs, spinner('Loading the newest version…'));
  try {
    const latest = await api('GET', `${pg.plural}/${pg.id}`);
    const mine = collect(pg).out;
    const kept = Object.keys(mine);
    pg.original = latest;
    // Controls the user changed stay as they are; the others show the newest values.
    const fresh = pg.controls.map((c) => (c.f.name in mine && !c.readonly) ? c
      : fieldControl(type, c.f, {value: latest[c.f.name], refs: latest.refs}));
    pg.controls.forEach((c, i) => { if (fresh[i] !== c) c.row.replaceWith(fresh[i].row); });
    pg.controls.splice(0, pg.controls.length, ...fresh);
    pg.rec = latest;
    replace(el.msgs, banner(kept.length
      ? `Loaded version ${latest.version}. Your changes to ${kept.map((k) => pg.fields.find((f) => f.name === k)?.label || k).join(', ')} are kept; check them and save again.`
      : `Loaded version ${latest.version}.`, 'info'));
    el.head.querySelector('.lede')?.replaceChildren(`${cap(type.label)} #${latest.id}, version ${latest.version}`);
    el.msgs.focus();
  } catch (e) {
    replace(el.msgs, banner(e));
  }
}

// ---------------------------------------------------------------------------------------------
// Render

function mountForm(main, pg) {
  const {type, isNew, id, el} = pg;
  el.head = h('div', {class: 'page-head'});
  el.body = h('div', {class: 'form-wrap'});
  append(main, breadcrumbs(type, isNew ? null : {id, title: `#${id}`}), el.head, el.body);
  document.title = `${isNew ? 'New ' + type.label : 'Edit ' + type.label} · isms`;
  replace(el.head, pageTitle(isNew ? `New ${type.label}` : `Edit ${type.label}`));
}

function renderForm(pg, signal) {
  const {type, plural, isNew, id, rec, el} = pg;
  el.msgs = h('div', {class: 'form-messages', tabindex: '-1'});
  pg.fields = type.fields.filter((f) => !(isNew && f.readonly));
  pg.controls = pg.fields.map((f) => fieldControl(type, f, {
    value: rec ? rec[f.name] : pg.prefill[f.name], refs: rec ? rec.refs : pg.prefillRefs, isNew}));
  el.submit = h('button', {type: 'submit', class: 'btn btn-primary'}, isNew ? `Create ${type.label}` : 'Save changes');
  const cancel = h('a', {class: 'btn', href: isNew ? `#/t/${plural}` : `#/t/${plural}/${id}`}, 'Cancel');
  el.form = h('form', {class: 'form', novalidate: true, 'aria-labelledby': 'form-title'},
    el.msgs, pg.controls.map((c) => c.row),
    h('div', {class: 'form-buttons'}, el.submit, cancel));
  replace(el.body, el.form);
  el.head.querySelector('h1').id = 'form-title';
  warnBeforeLeaving(pg, signal);
  el.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitForm(pg);
  });
}

// Closing or reloading the tab with unsaved input asks first.
function warnBeforeLeaving(pg, signal) {
  const warn = (ev) => { if (pg.dirty) { ev.preventDefault(); ev.returnValue = ''; } };
  pg.el.form.addEventListener('input', () => { pg.dirty = true; });
  pg.el.form.addEventListener('change', () => { pg.dirty = true; });
  window.addEventListener('beforeunload', warn);
  signal.addEventListener('abort', () => window.removeEventListener('beforeunload', warn), {once: true});
}

function clearErrors(pg) {
  pg.controls.forEach((c) => c.clearError());
  replace(pg.el.msgs);
}

function showErrors(errors) {
  for (const [c, m] of errors) c.showError(m);
  errors[0][0].focus();
}

function showSaveError(pg, e) {
  const {type, el} = pg;
  const target = e.field && pg.controls.find((c) => c.f.name === e.field && !c.readonly);
  if (e.status === 412) {
    replace(el.msgs, banner(`Someone else changed this ${type.label} while you were editing it. Your input is still here. Reload the newest version to merge your changes into it, then save again.`,
      'error', button('Reload newest version', () => reloadKeepingInput(pg), 'btn-primary')));
    el.msgs.focus();
  } else if (target) {
    target.showError(cap(e.message));
    target.focus();
  } else {
    replace(el.msgs, banner(e.status === 403 ? `Not allowed: ${e.message}.` : cap(e.message)));
    el.msgs.focus();
  }
}
