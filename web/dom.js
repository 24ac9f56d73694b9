// dom.js — building elements safely (text only, never HTML), formatting values, and the
// small shared pieces of UI: chips, banners, spinners, dialogs.

// h('a', {href: '#/', class: 'x', onclick: fn}, 'text', child, [more]) -> element.
// Strings become text nodes; attributes are set one by one; there is no way to pass HTML.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'style') throw new Error('inline styles are not allowed (CSP)');
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      else if (k === 'for') el.htmlFor = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'value' && 'value' in el) el.value = v;
      else if (k === 'checked' || k === 'disabled' || k === 'selected' || k === 'hidden' ||
               k === 'required' || k === 'readOnly' || k === 'multiple' || k === 'open') el[k] = !!v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, ...children);
  return el;
}

// append(el, child, [children], …): nodes, strings (as text) and nested arrays.
export function append(el, ...children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, ...c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  return append(el, ...children);
}

// "context issues" -> "Context issues"; keeps "ISMS processes".
export function cap(s) {
  s = String(s ?? '');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// Enum values as words: "not_started" -> "Not started".
export function humanize(v) {
  return cap(String(v ?? '').replace(/_/g, ' '));
}

const pad = (n) => String(n).padStart(2, '0');

// An RFC 3339 timestamp in the viewer's local time: "2026-11-27 23:06".
export function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function timeEl(iso) {
  return h('time', {datetime: iso, title: iso}, fmtTime(iso));
}

// "3 minutes ago" style, for recent changes.
export function fmtAgo(iso) {
  const d = new Date(iso);
  const s = (Date.now() - d.getTime()) / 1000;
  if (Number.isNaN(s)) return '';
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  if (s < 86400 * 30) return `${Math.floor(s / 86400)} d ago`;
  return fmtTime(iso).slice(0, 10);
}

// Status colours, the same everywhere (UI.md): green met, amber partial/due, red overdue or
// not met, grey not started or out of play.
const TONES = {
  ok: ['approved', 'implemented', 'effective', 'met', 'done', 'closed', 'accepted', 'active',
    'published', 'addressed', 'yes', 'relevant', 'completed', 'passed', 'in_force', 'achieved'],
  warn: ['draft', 'partial', 'partially_implemented', 'due', 'due_soon', 'planned',
    'in_progress', 'open', 'pending', 'review', 'in_review', 'proposed', 'submitted'],
  bad: ['overdue', 'not_met', 'ineffective', 'rejected', 'failed', 'missing', 'expired',
    'nonconformity', 'major', 'not_achieved'],
  off: ['superseded', 'not_started', 'not_applicable', 'retired', 'withdrawn', 'archived',
    'inactive', 'no', 'cancelled', 'not_relevant', 'none'],
};
export function tone(value) {
  const v = String(value ?? '').toLowerCase();
  for (const [t, list] of Object.entries(TONES)) if (list.includes(v)) return t;
  return 'neutral';
}

export function chip(text, t = 'neutral', extra) {
  return h('span', {class: ['chip', `chip-${t}`, extra]}, text);
}

export function statusChip(value) {
  return chip(humanize(value), tone(value), 'status');
}

export function yesNoChip(yes, yesText = 'Yes', noText = 'No') {
  return chip(yes ? yesText : noText, yes ? 'ok' : 'off');
}

export function spinner(text = 'Loading…') {
  return h('p', {class: 'loading', role: 'status'}, h('span', {class: 'spin', 'aria-hidden': 'true'}), text);
}

// An error banner. err may be an ApiError, an Error or a string; extra nodes (a Reload
// button) go after the message.
export function banner(err, kind = 'error', ...extra) {
  const msg = typeof err === 'string' ? err : (err && err.message) || 'Something went wrong.';
  return h('div', {class: ['banner', `banner-${kind}`], role: kind === 'error' ? 'alert' : 'status'},
    h('p', null, msg), extra.length ? h('div', {class: 'banner-actions'}, extra) : null);
}

export function button(label, onclick, cls = '', attrs = {}) {
  return h('button', {type: 'button', class: ['btn', cls], onclick, ...attrs}, label);
}

export function linkButton(label, href, cls = '', attrs = {}) {
  return h('a', {href, class: ['btn', cls], ...attrs}, label);
}

// A modal dialog built on <dialog>: keyboard, focus trapping and Escape come with it.
// body: nodes; buttons: [{label, cls, value}] — resolves with the chosen value (or null on
// Escape/cancel). onSubmit(value, dialog) may return false to keep it open (e.g. to show an
// error) — it may be async.
export function openDialog({title, body = [], buttons, onSubmit, labelledBy}) {
  return new Promise((resolve) => {
    const id = 'dlg-' + Math.random().toString(36).slice(2);
    const errBox = h('div', {class: 'dialog-error'});
    const form = h('form', {method: 'dialog', class: 'dialog-form', novalidate: true});
    const dlg = h('dialog', {class: 'dialog', 'aria-labelledby': labelledBy || id});
    const btns = buttons.map((b) => h('button', {
      type: b.value === null ? 'button' : 'submit', class: ['btn', b.cls], value: b.value ?? '', autofocus: b.autofocus,
      onclick: b.value === null ? () => { dlg.close(); } : undefined,
    }, b.label));
    append(form, [h('h2', {id}, title), body, errBox, h('div', {class: 'dialog-buttons'}, btns)]);
    dlg.appendChild(form);
    let result = null;
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const value = ev.submitter ? ev.submitter.value : (buttons.find((b) => b.value !== null) || {}).value;
      if (onSubmit) {
        btns.forEach((b) => { b.disabled = true; });
        form.setAttribute('aria-busy', 'true');
        let ok;
        try {
          ok = await onSubmit(value, {showError: (e) => replace(errBox, banner(e))});
        } catch (e) {
          replace(errBox, banner(e));
          ok = false;
        }
        btns.forEach((b) => { b.disabled = false; });
        form.removeAttribute('aria-busy');
        if (ok === false) return;
      }
      result = value;
      dlg.close();
    });
    dlg.addEventListener('close', () => { dlg.remove(); resolve(result); });
    document.body.appendChild(dlg);
    dlg.showModal();
  });
}

// Sets the page <h1>, focusable so that route changes move focus there.
export function pageTitle(text, ...extra) {
  return h('h1', {tabindex: '-1', class: 'page-title'}, text, ...extra);
}
