// sections.js — the navigation's structure: the standard's clauses in order, then reports
// and administration, each listing the record types the user may read.
import {session} from './api.js';
import {humanize} from './dom.js';

// The standard's order, then reports and administration. Only sections with readable types
// are shown.
export const SECTIONS = [
  {key: '4', num: '4', name: 'Context'},
  {key: '5', num: '5', name: 'Leadership'},
  {key: '6', num: '6', name: 'Planning'},
  {key: '7', num: '7', name: 'Support'},
  {key: '8', num: '8', name: 'Operation'},
  {key: '9', num: '9', name: 'Evaluation'},
  {key: '10', num: '10', name: 'Improvement'},
  {key: 'reports', num: '', name: 'Reports'},
  {key: 'admin', num: '', name: 'Administration'},
];

// An application role by the label the server gives it in /api/v1/meta ("ISMS manager"), or
// its name in words when the server names no label for it.
const roleLabels = () => session.meta?.role_labels || {};
export const roleName = (r) => roleLabels()[r] || humanize(r);

// Whether an enum field takes application roles (a risk method's acceptance role).
export const isRoleField = (f) => !!f.values?.length && f.values.every((v) => Object.hasOwn(roleLabels(), v));

export function sectionOf(key) {
  return SECTIONS.find((s) => s.key === key) || {key, num: '', name: humanize(key)};
}

// Sections in display order, each with its readable types.
export function visibleSections() {
  const keys = [...SECTIONS.map((s) => s.key)];
  for (const t of session.types) if (!keys.includes(t.section)) keys.push(t.section);
  return keys.map((k) => ({...sectionOf(k), types: session.types.filter((t) => t.section === k && t.can_read)}))
    .filter((s) => s.types.length);
}

