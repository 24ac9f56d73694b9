// picker.js — searchable selects for reference fields: a combobox (ARIA 1.2 pattern) that
// asks the server with ?q= as you type, and a multi-pick variant with removable chips.
import {api, typeOf, titleOf} from './api.js';
import {h, replace, cap} from './dom.js';

let seq = 0;

// One reference. opts: {id, plural, value, title, label, required, onChange, describedBy}
// Returns {el, input, value, setValue(id, title), focus()}.
export function refPicker(opts) {
  const n = ++seq;
  const listId = `picker-list-${n}`;
  const target = typeOf(opts.plural);
  const noun = target ? target.label : 'record';
  let value = opts.value ?? null;
  let title = value !== null ? (opts.title ?? `#${value}`) : '';
  let options = [];
  let active = -1;
  let timer = null;
  let ctrl = null;
  let lastQuery = null;

  const input = h('input', {
    type: 'text', id: opts.id, role: 'combobox', autocomplete: 'off', spellcheck: 'false',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
    placeholder: opts.placeholder || `Type to search ${target ? target.label_plural : ''}`,
    value: title,
  });
  if (opts.describedBy) input.setAttribute('aria-describedby', opts.describedBy);
  if (opts.required) input.setAttribute('aria-required', 'true');
  const list = h('ul', {class: 'picker-list', role: 'listbox', id: listId, hidden: true,
    'aria-label': `${cap(noun)} choices`});
  const status = h('span', {class: 'sr-only', 'aria-live': 'polite'});
  const clearBtn = h('button', {type: 'button', class: 'picker-clear', hidden: value === null || opts.required,
    'aria-label': `Clear ${opts.label || noun}`, title: 'Clear', onclick: () => {
      setValue(null, '');
      input.focus();
      fire();
    }}, '×');
  const el = h('div', {class: 'picker'}, h('div', {class: 'picker-box'}, input, clearBtn), list, status);

  function fire() { if (opts.onChange) opts.onChange(value, title); }

  function setValue(id, t) {
    value = id;
    title = id === null ? '' : (t ?? `#${id}`);
    input.value = title;
    clearBtn.hidden = id === null || !!opts.required;
  }

  function open() {
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }
  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function highlight(i) {
    const items = [...list.querySelectorAll('[role=option]:not([aria-disabled])')];
    items.forEach((li, k) => li.setAttribute('aria-selected', String(k === i)));
    active = i;
    if (i >= 0 && items[i]) {
      input.setAttribute('aria-activedescendant', items[i].id);
      items[i].scrollIntoView({block: 'nearest'});
    } else input.removeAttribute('aria-activedescendant');
  }

  function pick(i) {
    const o = options[i];
    if (!o) return;
    if (opts.multi) {
      opts.onPick(o.id, o.title);
      input.value = '';
      title = '';
    } else {
      setValue(o.id, o.title);
      fire();
    }
    close();
  }

  async function search(q) {
    if (ctrl) ctrl.abort();
    ctrl = new AbortController();
    lastQuery = q;
    replace(list, h('li', {class: 'picker-note', role: 'option', 'aria-disabled': 'true', id: `${listId}-busy`}, 'Searching…'));
    open();
    try {
      const params = {limit: 10};
      if (q) params.q = q;
      const r = await api('GET', opts.plural, {params, signal: ctrl.signal});
      const skip = new Set(opts.exclude ? opts.exclude() : []);
      options = r.items.filter((rec) => !skip.has(rec.id)).map((rec) => ({id: rec.id, title: target ? titleOf(target, rec) : `#${rec.id}`}));
      replace(list, options.map((o, i) => h('li', {
        role: 'option', id: `${listId}-${i}`, 'aria-selected': 'false', class: o.id === value ? 'current' : null,
        onmousedown: (ev) => ev.preventDefault(),
        onclick: () => pick(i),
      }, o.title, h('span', {class: 'picker-id'}, ` #${o.id}`))));
      if (!options.length)
        list.appendChild(h('li', {class: 'picker-note', role: 'option', 'aria-disabled': 'true', id: `${listId}-none`},
          q ? `No ${target ? target.label_plural : 'records'} match “${q}”.` : `No ${target ? target.label_plural : 'records'} yet.`));
      else if (r.total > options.length)
        list.appendChild(h('li', {class: 'picker-note', role: 'option', 'aria-disabled': 'true', id: `${listId}-more`},
          `${r.total - options.length} more — type to narrow`));
      status.textContent = options.length ? `${options.length} ${options.length === 1 ? 'choice' : 'choices'}` : 'no choices';
      highlight(-1);
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(list, h('li', {class: 'picker-note error', role: 'option', 'aria-disabled': 'true', id: `${listId}-err`}, e.message));
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    timer = setTimeout(() => search(q), 180);
  });
  input.addEventListener('click', () => {
    // A click offers the first choices straight away.
    if (list.hidden) search(input.value === title ? '' : input.value.trim());
  });
  input.addEventListener('keydown', (ev) => {
    const count = options.length;
    if (ev.key === 'ArrowDown') {
      ev.preventDefault();
      if (list.hidden) search(input.value === title ? '' : input.value.trim());
      else if (count) highlight((active + 1) % count);
    } else if (ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (!list.hidden && count) highlight((active - 1 + count) % count);
    } else if (ev.key === 'Enter') {
      if (!list.hidden) {
        ev.preventDefault();
        if (active >= 0) pick(active);
        else if (options.length === 1) pick(0);
      }
    } else if (ev.key === 'Escape') {
      if (!list.hidden) {
        ev.preventDefault();
        ev.stopPropagation();
        close();
      } else if (input.value !== title) {
        ev.preventDefault();
        input.value = title;
      }
    }
  });
  el.addEventListener('focusout', (ev) => {
    if (el.contains(ev.relatedTarget)) return;
    // Leaving with text that names exactly one choice picks it; anything else reverts.
    const typed = input.value.trim();
    if (typed && typed !== title) {
      const exact = options.filter((o) => o.title.toLowerCase() === typed.toLowerCase());
      if (exact.length === 1 && lastQuery !== null) {
        if (opts.multi) { opts.onPick(exact[0].id, exact[0].title); input.value = ''; } else { setValue(exact[0].id, exact[0].title); fire(); }
      } else input.value = title;
    } else if (!typed && !opts.multi && value !== null && !opts.required) {
      setValue(null, '');
      fire();
    } else if (!typed && value !== null) {
      input.value = title;
    }
    clearTimeout(timer);
    if (ctrl) ctrl.abort();
    close();
  });

  return {
    el, input,
    get value() { return value; },
    get title() { return title; },
    setValue, focus: () => input.focus(),
  };
}

// Several references: chips for the chosen ones (each removable) and a picker to add more.
// opts: {id, plural, value: [ids], titles: {id: title}, label, onChange, describedBy}
export function refsPicker(opts) {
  let values = [...(opts.value || [])];
  const titles = {...(opts.titles || {})};
  const chips = h('ul', {class: 'pick-chips', 'aria-label': `Chosen ${opts.label || 'records'}`});
  const picker = refPicker({
    id: opts.id, plural: opts.plural, multi: true, label: opts.label, describedBy: opts.describedBy,
    placeholder: 'Type to add…',
    exclude: () => values,
    onPick: (id, t) => {
      if (!values.includes(id)) { values.push(id); titles[id] = t; render(); change(); }
    },
  });
  function change() { if (opts.onChange) opts.onChange(values); }
  function render() {
    replace(chips, values.map((id) => h('li', {class: 'pick-chip'},
      h('span', null, titles[id] ?? `#${id}`),
      h('button', {type: 'button', class: 'chip-x', 'aria-label': `Remove ${titles[id] ?? '#' + id}`, onclick: () => {
        values = values.filter((v) => v !== id);
        render();
        change();
        picker.focus();
      }}, '×'))));
    chips.hidden = values.length === 0;
  }
  render();
  const el = h('div', {class: 'refs-picker'}, chips, picker.el);
  return {el, input: picker.input, get value() { return [...values]; }, focus: () => picker.focus()};
}
