// fields.js — how each field type is shown (read) and edited (form controls), driven by the
// field descriptions in /api/v1/meta.
import {refTitle, typeOf} from './api.js';
import {h, append, humanize, statusChip, chip} from './dom.js';
import {refPicker, refsPicker} from './picker.js';
import {roleName, isRoleField} from './sections.js';

// An enum value for people: roles by their labels ("ISMS manager"), the rest humanized.
const enumLabel = (f, v) => (isRoleField(f) ? roleName(v) : humanize(v));

export const none = () => h('span', {class: 'none'}, '—');

export function isEmpty(v) {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

// Markdown the server rendered (libcmark, raw HTML and unsafe links left out): the one way
// server HTML goes into a page as HTML.
export function serverHtml(html) {
  const el = h('div', {class: 'md-body'});
  el.innerHTML = html || '';
  return el;
}

// A field's value for reading. refs: the {plural: {id: title}} map of the response; html:
// the server's rendering of a Markdown value (single records carry it as rec.html).
export function displayValue(type, f, value, refs, {compact = false, html} = {}) {
  if (f.type === 'boolean') {
    if (value === null || value === undefined) return none();
    // Computed flags such as "overdue" and "due" use the status colours.
    if (value && f.name === 'overdue') return chip('Yes, overdue', 'bad');
    if (value && f.name === 'due') return chip('Yes, due', 'warn');
    return value ? 'Yes' : 'No';
  }
  if (isEmpty(value)) return none();
  switch (f.type) {
  case 'enum':
    // The workflow state and any status field use the same status colours everywhere.
    return type && (type.state_field === f.name || /status/.test(f.name)) ? statusChip(value) : enumLabel(f, value);
  case 'reference':
    return refLink(f, value, refs);
  case 'references': {
    const out = h('span', {class: 'ref-list'});
    value.forEach((id, i) => {
      if (i) out.appendChild(document.createTextNode(', '));
      out.appendChild(refLink(f, id, refs));
    });
    return out;
  }
  case 'json':
    if (f.values && Array.isArray(value)) return value.length ? value.map((x) => enumLabel(f, x)).join(', ') : '—';
    if (compact) {
      const s = JSON.stringify(value);
      return s.length > 80 ? s.slice(0, 79) + '…' : s;
    }
    return jsonView(value);
  case 'markdown':
    if (compact) {
      const s = String(value);
      return s.length > 120 ? s.slice(0, 119) + '…' : s;
    }
    return html ? serverHtml(html) : h('pre', {class: 'md'}, String(value));
  case 'email':
    return compact ? String(value) : h('a', {href: `mailto:${value}`}, String(value));
  case 'integer':
    // Scales (1–5) read better as "3 of 5"; other numbers stay plain.
    return f.max !== undefined && f.min >= 0 && f.max <= 10 && !compact ? `${value} of ${f.max}` : String(value);
  default:
    return String(value);
  }
}

// Structured (JSON) values as readable tables and lists, with the exact JSON one click away.
const isPlain = (v) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const COLOUR = /^#[0-9a-f]{6}$/i;

function plainCell(v) {
  if (v === null || v === undefined) return none();
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'string' && COLOUR.test(v)) {
    const sw = h('span', {class: 'swatch', 'aria-hidden': 'true'});
    sw.style.backgroundColor = v;
    return h('span', {class: 'colour'}, sw, v);
  }
  return String(v);
}

function anyCell(v) {
  if (isPlain(v)) return plainCell(v);
  if (Array.isArray(v) && v.every(isPlain)) return v.map(String).join(', ');
  if (!Array.isArray(v)) {
    return h('dl', {class: 'json-dl'}, Object.entries(v).map(([k, x]) => [h('dt', null, humanize(k)), h('dd', null, anyCell(x))]));
  }
  return h('code', null, JSON.stringify(v));
}

function jsonTable(value) {
  if (Array.isArray(value) && value.length && value.every(isPlain)) {
    return h('ol', {class: 'json-list'}, value.map((v) => h('li', null, plainCell(v))));
  }
  if (Array.isArray(value) && value.length && value.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
    const keys = [];
    for (const r of value) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
    keys.sort((a, b) => ['label', 'name', 'title'].includes(b) - ['label', 'name', 'title'].includes(a));
    return h('table', {class: 'grid small json-table'},
      h('thead', null, h('tr', null, h('th', {scope: 'col'}, '#'), keys.map((k) => h('th', {scope: 'col'}, humanize(k))))),
      h('tbody', null, value.map((r, i) => h('tr', null, h('td', null, String(i + 1)), keys.map((k) => h('td', null, anyCell(r[k])))))));
  }
  if (Array.isArray(value) && value.length && value.every((r) => Array.isArray(r) && r.every(isPlain))) {
    const width = Math.max(...value.map((r) => r.length));
    return h('table', {class: 'grid small json-table json-matrix'},
      h('thead', null, h('tr', null, h('td', null), Array.from({length: width}, (_, j) => h('th', {scope: 'col'}, String(j + 1))))),
      h('tbody', null, value.map((r, i) => h('tr', null, h('th', {scope: 'row'}, String(i + 1)), r.map((c) => h('td', null, plainCell(c)))))));
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return h('dl', {class: 'json-dl'}, Object.entries(value).map(([k, x]) => [h('dt', null, humanize(k)), h('dd', null, anyCell(x))]));
  }
  return null;
}

export function jsonView(value) {
  const pretty = jsonTable(value);
  const raw = h('pre', {class: 'json'}, JSON.stringify(value, null, 2));
  if (!pretty) return raw;
  return h('div', {class: 'json-view'}, h('div', {class: 'table-wrap'}, pretty),
    h('details', {class: 'json-raw'}, h('summary', null, 'Show as JSON'), raw));
}

// A link to a referenced record, or just its title when its type is not readable here.
function refLink(f, id, refs) {
  const t = typeOf(f.ref);
  const title = refTitle(refs, f.ref, id);
  return t && t.can_read ? h('a', {href: `#/t/${f.ref}/${id}`}, title) : h('span', null, title);
}

// A short text form of a value (history diffs, chips).
export function textValue(f, value, refs) {
  if (f && f.type === 'boolean') return value === null || value === undefined ? '—' : (value ? 'Yes' : 'No');
  if (isEmpty(value)) return '—';
  if (!f) return typeof value === 'object' ? JSON.stringify(value) : String(value);
  switch (f.type) {
  case 'enum': return enumLabel(f, value);
  case 'reference': return refTitle(refs, f.ref, value);
  case 'references': return value.map((id) => refTitle(refs, f.ref, id)).join(', ');
  case 'json': return f.values && Array.isArray(value) ? value.map((x) => enumLabel(f, x)).join(', ') : JSON.stringify(value);
  default: return String(value);
  }
}

let uid = 0;

// A form row for field f: label, help, control, error. value/refs: the current record's.
// Returns {f, row, focus(), get() -> JSON value, showError(msg), clearError(), readonly}.
export function fieldControl(type, f, {value, refs, isNew = false, idPrefix = 'f'} = {}) {
  const id = `${idPrefix}-${f.name}-${++uid}`;
  const helpId = `${id}-help`;
  const errId = `${id}-error`;
  const help = f.help ? h('p', {class: 'help', id: helpId}, f.help) : null;
  const err = h('p', {class: 'field-error', id: errId, hidden: true});
  const describedBy = [help && helpId, errId].filter(Boolean).join(' ');
  const req = f.required && f.type !== 'boolean'
    ? h('span', {class: 'req'}, ' (required)') : null;
  const row = h('div', {class: ['field', `field-${f.type}`], dataset: {field: f.name}});

  if (f.readonly) {
    row.classList.add('field-readonly');
    append(row, h('span', {class: 'label', id}, f.label), help,
      h('div', {class: 'readonly-value', 'aria-labelledby': id}, isNew ? h('span', {class: 'none'}, 'Set by the system') : displayValue(type, f, value, refs)));
    return {f, row, readonly: true, focus() {}, get: () => undefined, showError() {}, clearError() {}};
  }

  let control;
  let input;
  let get;
  const v = value === undefined ? (isNew && f.default !== undefined ? f.default : null) : value;
  const common = {id, name: f.name, 'aria-describedby': describedBy};
  if (f.required) common['aria-required'] = 'true';

  switch (f.type) {
  case 'markdown':
    input = h('textarea', {...common, rows: '6', value: v ?? ''});
    if (f.max_len) input.maxLength = f.max_len;
    get = () => (input.value.trim() === '' ? null : input.value);
    control = input;
    break;
  case 'integer':
    input = h('input', {...common, type: 'number', step: '1', inputmode: 'numeric', value: v ?? '',
      min: f.min, max: f.max, class: 'narrow-input'});
    get = () => {
      const s = input.value.trim();
      if (s === '') {
        if (input.validity && input.validity.badInput) return {error: `${f.label} must be a whole number`};
        return null;
      }
      const n = Number(s);
      if (!Number.isInteger(n)) return {error: `${f.label} must be a whole number`};
      return n;
    };
    control = input;
    break;
  case 'boolean':
    if (f.nullable) {
      // Yes, no, or not decided yet: null stays null.
      input = h('select', {...common},
        h('option', {value: ''}, '— not decided —'), h('option', {value: 'true'}, 'Yes'), h('option', {value: 'false'}, 'No'));
      input.value = v === true ? 'true' : v === false ? 'false' : '';
      get = () => (input.value === '' ? null : input.value === 'true');
    } else {
      input = h('input', {...common, type: 'checkbox', checked: !!v});
      get = () => input.checked;
    }
    control = input;
    break;
  case 'date':
    input = h('input', {...common, type: 'date', value: v ?? '', class: 'narrow-input',
      min: '1900-01-01', max: f.past ? new Date().toISOString().slice(0, 10) : '2200-12-31'});
    get = () => {
      if (input.value === '' && input.validity && input.validity.badInput) return {error: `${f.label} is not a complete date`};
      return input.value || null;
    };
    control = input;
    break;
  case 'enum': {
    input = h('select', {...common});
    input.appendChild(h('option', {value: ''}, f.required ? '— choose —' : '— none —'));
    for (const val of f.values || []) input.appendChild(h('option', {value: val}, enumLabel(f, val)));
    input.value = v ?? '';
    get = () => input.value || null;
    control = input;
    break;
  }
  case 'json':
    if (f.values) { // a list of names from a fixed set (e.g. application roles): checkboxes
      const boxes = f.values.map((val, i) => h('input', {type: 'checkbox', id: `${id}-${i}`, value: val,
        checked: Array.isArray(v) && v.includes(val)}));
      input = boxes[0];
      control = h('div', {class: 'check-group', role: 'group', id, 'aria-labelledby': `${id}-label`, 'aria-describedby': describedBy},
        boxes.map((b, i) => h('div', {class: 'check'}, b, h('label', {for: b.id}, enumLabel(f, f.values[i])))));
      get = () => boxes.filter((b) => b.checked).map((b) => b.value);
      break;
    }
    input = h('textarea', {...common, rows: '8', class: 'code', spellcheck: 'false',
      value: v === null || v === undefined ? '' : JSON.stringify(v, null, 2)});
    get = () => {
      if (input.value.trim() === '') return null;
      try { return JSON.parse(input.value); } catch (e) {
        return {error: `${f.label} is not valid JSON: ${e.message}`};
      }
    };
    control = input;
    break;
  case 'reference':
  case 'references':
    if (!typeOf(f.ref) || !typeOf(f.ref).can_read) {
      // The target register is not available to this user: take record ids as numbers.
      input = h('input', {...common, type: 'text', inputmode: 'numeric', class: 'narrow-input',
        value: Array.isArray(v) ? v.join(', ') : (v ?? ''), placeholder: f.type === 'references' ? 'ids, e.g. 3, 7' : 'id'});
      get = () => {
        const parts = input.value.split(',').map((x) => x.trim()).filter(Boolean);
        if (parts.some((x) => !/^\d+$/.test(x))) return {error: `${f.label}: enter record ids (whole numbers)`};
        const ids = parts.map(Number);
        return f.type === 'references' ? ids : (ids[0] ?? null);
      };
      control = input;
      break;
    }
    if (f.type === 'references') {
      const titles = {};
      for (const rid of v || []) titles[rid] = refTitle(refs, f.ref, rid);
      const p = refsPicker({id, plural: f.ref, value: v || [], titles, label: f.label, describedBy});
      input = p.input;
      get = () => p.value;
      control = p.el;
    } else {
      const p = refPicker({id, plural: f.ref, value: v, title: v !== null ? refTitle(refs, f.ref, v) : '',
        label: f.label, required: f.required, describedBy});
      input = p.input;
      get = () => p.value;
      control = p.el;
    }
    break;
  default: {
    const t = f.type === 'email' ? 'email' : (f.writeonly ? 'password' : 'text');
    input = h('input', {...common, type: t, value: f.writeonly ? '' : (v ?? ''),
      autocomplete: f.writeonly ? 'new-password' : 'off'});
    if (f.max_len) input.maxLength = f.max_len;
    if (f.type === 'email') input.setAttribute('spellcheck', 'false');
    get = () => {
      const s = input.value.trim();
      return s === '' ? null : s;
    };
    control = input;
  }
  }

  if (f.type === 'boolean' && !f.nullable) {
    append(row, h('div', {class: 'check'}, control, h('label', {for: id}, f.label)), help, err);
  } else if (f.type === 'json' && f.values) {
    append(row, h('span', {class: 'label', id: `${id}-label`}, f.label, req), help, control, err);
  } else {
    append(row, h('label', {for: id}, f.label, req), help, control, err);
  }
  return {
    f, row, readonly: false,
    focus: () => input.focus(),
    get,
    showError(msg) {
      err.textContent = msg;
      err.hidden = false;
      row.classList.add('has-error');
      input.setAttribute('aria-invalid', 'true');
    },
    clearError() {
      err.textContent = '';
      err.hidden = true;
      row.classList.remove('has-error');
      input.removeAttribute('aria-invalid');
    },
  };
}

export {chip};
