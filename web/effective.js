// effective.js — the "effective on" part of a decision's dialog: the day the decision was
// taken when that is not today, and the reason it is recorded late. Shown only for actions
// the server marks as decisions (meta: effective) and to roles that may record an earlier
// day (meta: backdate_roles); the server checks the same rules and names the field it refuses.
import {h} from './dom.js';
import {session, typeOf} from './api.js';
import {refPicker} from './picker.js';

let uid = 0;
const utcToday = () => new Date().toISOString().slice(0, 10);
function daysBack(date) {
  return Math.round((Date.parse(utcToday()) - Date.parse(date)) / 86400e3);
}

export function mayBackdate(action) {
  const roles = session.meta?.backdate_roles || [];
  return !!(action && action.effective && session.user &&
    (session.user.roles || [session.user.role]).some((r) => roles.includes(r)));
}

// The controls for an action, or null when it takes none: {rows, get(), showError(field,
// msg) → bool, clearErrors()}. get() gives {effective_on, reason} to add to the body, or
// {error} when the form is not filled in right.
export function effectiveControls(action) {
  if (!mayBackdate(action)) return null;
  const late = session.meta.late_days ?? 7;
  const n = ++uid;
  const dateId = `eff-on-${n}`; const reasonId = `eff-reason-${n}`;
  const dateErr = h('p', {class: 'field-error', id: `${dateId}-error`, hidden: true});
  const reasonErr = h('p', {class: 'field-error', id: `${reasonId}-error`, hidden: true});
  const date = h('input', {id: dateId, name: 'effective_on', type: 'date', class: 'narrow-input',
    min: '1900-01-01', max: utcToday(), 'aria-describedby': `${dateId}-help ${dateId}-error`});
  const reason = h('textarea', {id: reasonId, name: 'reason', rows: '3', maxLength: 1000,
    'aria-describedby': `${reasonId}-help ${reasonId}-error`});
  const reasonRow = h('div', {class: 'field field-text', dataset: {field: 'reason'}, hidden: true},
    h('label', {for: reasonId}, 'Why it is recorded late', h('span', {class: 'req', hidden: true}, ' (required)')),
    h('p', {class: 'help', id: `${reasonId}-help`}, `Needed when the decision was taken more than ${late} days ago, e.g. "signed at the board meeting; moved in from the old register".`),
    reason, reasonErr);
  const dateRow = h('div', {class: 'field field-date', dataset: {field: 'effective_on'}},
    h('label', {for: dateId}, 'Effective on'),
    h('p', {class: 'help', id: `${dateId}-help`}, 'The day the decision was taken, if not today (UTC). It is recorded today, for that day.'),
    date, dateErr);
  // Whose decision it is, when it is recorded for someone else (their signature on paper).
  const byId = `eff-by-${n}`;
  const byErr = h('p', {class: 'field-error', id: `${byId}-error`, hidden: true});
  const byPicker = typeOf('people')?.can_read
    ? refPicker({id: byId, plural: 'people', value: null, label: 'Decided by', describedBy: `${byId}-help ${byId}-error`})
    : null;
  const byRow = byPicker ? h('div', {class: 'field field-reference', dataset: {field: 'decided_by'}},
    h('label', {for: byId}, 'Decided by'),
    h('p', {class: 'help', id: `${byId}-help`}, 'The person whose decision this is, when you record it for them (e.g. their signature on paper). Their authority on that day is what counts. Empty: you.'),
    byPicker.el, byErr) : null;
  const sync = () => {
    const back = date.value ? daysBack(date.value) : 0;
    reasonRow.hidden = !(back > 0);
    reasonRow.querySelector('.req').hidden = !(back > late);
  };
  date.addEventListener('input', sync);
  date.addEventListener('change', sync);
  const show = (err, input, row, msg) => {
    err.textContent = msg; err.hidden = false; row.classList.add('has-error');
    input.setAttribute('aria-invalid', 'true');
  };
  return {
    rows: [dateRow, reasonRow, byRow].filter(Boolean),
    get() {
      const by = byPicker && byPicker.value ? {decided_by: byPicker.value} : {};
      const on = date.value;
      if (!on) {
        if (date.validity && date.validity.badInput) return {error: 'effective_on', message: 'Effective on is not a complete date'};
        return by;
      }
      if (on > utcToday()) return {error: 'effective_on', message: 'Effective on cannot be in the future'};
      const why = reason.value.trim();
      if (daysBack(on) > late && !why) return {error: 'reason', message: `Say why a decision taken more than ${late} days ago is recorded only now`};
      return why ? {effective_on: on, reason: why, ...by} : {effective_on: on, ...by};
    },
    showError(field, msg) {
      if (field === 'effective_on') { show(dateErr, date, dateRow, msg); date.focus(); return true; }
      if (field === 'reason') { reasonRow.hidden = false; show(reasonErr, reason, reasonRow, msg); reason.focus(); return true; }
      if (field === 'decided_by' && byRow) { show(byErr, byPicker.input, byRow, msg); byPicker.input.focus(); return true; }
      return false;
    },
    clearErrors() {
      for (const [err, input, row] of [[dateErr, date, dateRow], [reasonErr, reason, reasonRow]]) {
        err.hidden = true; row.classList.remove('has-error'); input.removeAttribute('aria-invalid');
      }
    },
  };
}

// "recorded on 2 Dec 2026 for 14 Oct 2025": the history's words for a late decision.
export function effectiveNote(item) {
  if (!item.effective_on || item.effective_on === String(item.at || '').slice(0, 10)) return null;
  return h('p', {class: 'tl-effective'}, `Recorded on ${String(item.at).slice(0, 10)} for ${item.effective_on}`,
    item.decided_by ? `, decided by ${item.decided_by}` : '', item.reason ? ` — ${item.reason}` : '');
}
