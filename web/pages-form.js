// pages-form.js — creating and editing a record of any type, built from its field list.
import {api, typeOf, titleOf} from './api.js';
import {h, append, replace, cap, banner, spinner, pageTitle, button} from './dom.js';
import {fieldControl, isEmpty} from './fields.js';
import {breadcrumbs, forbidden, unknownType} from './common.js';
import {go, setFlash} from './router.js';

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function formPage(main, route, signal) {
  const {type: plural, id: idPart} = route.params;
  const type = typeOf(plural);
  if (!type || !type.can_read) return unknownType(main, plural);
  const isNew = idPart === undefined;
  const id = isNew ? null : Number(idPart);
  const head = h('div', {class: 'page-head'});
  const body = h('div', {class: 'form-wrap'});
  append(main, breadcrumbs(type, isNew ? null : {id, title: `#${id}`}), head, body);
  document.title = `${isNew ? 'New ' + type.label : 'Edit ' + type.label} · isms`;
  replace(head, pageTitle(isNew ? `New ${type.label}` : `Edit ${type.label}`));
  if (!type.can_write) {
    forbidden(body, `Your role may not change ${type.label_plural}.`);
    return null;
  }

  let rec = null;
  if (!isNew) {
    body.appendChild(spinner());
    rec = await api('GET', `${plural}/${id}`, {signal});
    if (signal.aborted) return null;
    replace(head, h('div', null, pageTitle(`Edit ${titleOf(type, rec)}`),
      h('p', {class: 'lede'}, `${cap(type.label)} #${rec.id}, version ${rec.version}`)));
    document.title = `Edit ${titleOf(type, rec)} · isms`;
    main.querySelector('.breadcrumbs li:last-child a')?.replaceChildren(titleOf(type, rec));
  }

  // A new record may start from values in the address (#/t/requirements/new?party=3), e.g.
  // from "New requirement here" on an interested party.
  let prefill = {};
  let prefillRefs = {};
  if (isNew) {
    for (const f of type.fields) {
      const raw = route.query.get(f.name);
      if (raw === null || f.readonly || f.writeonly) continue;
      if (f.type === 'reference' || f.type === 'integer') {
        if (/^\d+$/.test(raw)) prefill[f.name] = Number(raw);
      } else if (f.type === 'boolean') prefill[f.name] = raw === 'true';
      else if (f.type === 'references') prefill[f.name] = raw.split(',').filter((x) => /^\d+$/.test(x)).map(Number);
      else prefill[f.name] = raw;
    }
    // Titles for prefilled references.
    await Promise.all(type.fields.filter((f) => f.type === 'reference' && prefill[f.name]).map(async (f) => {
      const t = typeOf(f.ref);
      try {
        const r = await api('GET', `${f.ref}/${prefill[f.name]}`, {signal});
        prefillRefs[f.ref] = {...(prefillRefs[f.ref] || {}), [r.id]: titleOf(t, r)};
      } catch (e) {
        if (e.name === 'AbortError') throw e;
      }
    }));
    if (signal.aborted) return null;
  }

  let original = rec; // the version the edit is based on
  const msgs = h('div', {class: 'form-messages', tabindex: '-1'});
  const fields = type.fields.filter((f) => !(isNew && f.readonly));
  const controls = fields.map((f) => fieldControl(type, f, {
    value: rec ? rec[f.name] : prefill[f.name], refs: rec ? rec.refs : prefillRefs, isNew}));
  const submit = h('button', {type: 'submit', class: 'btn btn-primary'}, isNew ? `Create ${type.label}` : 'Save changes');
  const cancel = h('a', {class: 'btn', href: isNew ? `#/t/${plural}` : `#/t/${plural}/${id}`}, 'Cancel');
  const form = h('form', {class: 'form', novalidate: true, 'aria-labelledby': 'form-title'},
    msgs, controls.map((c) => c.row),
    h('div', {class: 'form-buttons'}, submit, cancel));
  replace(body, form);
  const h1 = head.querySelector('h1');
  h1.id = 'form-title';

  // Closing or reloading the tab with unsaved input asks first.
  let dirty = false;
  const warn = (ev) => { if (dirty) { ev.preventDefault(); ev.returnValue = ''; } };
  form.addEventListener('input', () => { dirty = true; });
  form.addEventListener('change', () => { dirty = true; });
  window.addEventListener('beforeunload', warn);
  signal.addEventListener('abort', () => window.removeEventListener('beforeunload', warn), {once: true});

  // The values to send: everything for a new record; only what changed for an edit.
  function collect() {
    const out = {};
    const errors = [];
    for (const c of controls) {
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

  function clearErrors() {
    controls.forEach((c) => c.clearError());
    replace(msgs);
  }

  function showErrors(errors) {
    for (const [c, m] of errors) c.showError(m);
    errors[0][0].focus();
  }

  // After a 412: load the newest version, keep what the user changed, and let them save again.
  async function reloadKeepingInput() {
    replace(msgs, spinner('Loading the newest version…'));
    try {
      const latest = await api('GET', `${plural}/${id}`);
      const mine = collect().out;
      const kept = Object.keys(mine);
      original = latest;
      // Controls the user changed stay as they are; the others show the newest values.
      const fresh = controls.map((c) => (c.f.name in mine && !c.readonly) ? c
        : fieldControl(type, c.f, {value: latest[c.f.name], refs: latest.refs}));
      controls.forEach((c, i) => { if (fresh[i] !== c) c.row.replaceWith(fresh[i].row); });
      controls.splice(0, controls.length, ...fresh);
      rec = latest;
      replace(msgs, banner(kept.length
        ? `Loaded version ${latest.version}. Your changes to ${kept.map((k) => fields.find((f) => f.name === k)?.label || k).join(', ')} are kept; check them and save again.`
        : `Loaded version ${latest.version}.`, 'info'));
      head.querySelector('.lede')?.replaceChildren(`${cap(type.label)} #${latest.id}, version ${latest.version}`);
      msgs.focus();
    } catch (e) {
      replace(msgs, banner(e));
    }
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors();
    const {out, errors} = collect();
    if (errors.length) {
      showErrors(errors);
      return;
    }
    if (!isNew && Object.keys(out).length === 0) {
      setFlash('Nothing changed.', 'info');
      go(`#/t/${plural}/${id}`);
      return;
    }
    submit.disabled = true;
    const label = submit.textContent;
    submit.textContent = isNew ? 'Creating…' : 'Saving…';
    form.setAttribute('aria-busy', 'true');
    try {
      const saved = isNew
        ? await api('POST', plural, {body: out})
        : await api('PATCH', `${plural}/${id}`, {body: out, version: original.version});
      dirty = false;
      setFlash(isNew ? `${cap(type.label)} “${titleOf(type, saved)}” created.` : 'Changes saved.');
      go(`#/t/${plural}/${saved.id}`, {replace: true});
      return;
    } catch (e) {
      submit.disabled = false;
      submit.textContent = label;
      form.removeAttribute('aria-busy');
      const target = e.field && controls.find((c) => c.f.name === e.field && !c.readonly);
      if (e.status === 412) {
        replace(msgs, banner(`Someone else changed this ${type.label} while you were editing it. Your input is still here. Reload the newest version to merge your changes into it, then save again.`,
          'error', button('Reload newest version', reloadKeepingInput, 'btn-primary')));
        msgs.focus();
      } else if (target) {
        target.showError(cap(e.message));
        target.focus();
      } else {
        replace(msgs, banner(e.status === 403 ? `Not allowed: ${e.message}.` : cap(e.message)));
        msgs.focus();
      }
    }
  });

  return null;
}
