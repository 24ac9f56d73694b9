// pages-documents.js — documented information (7.5) and the policy framework (5.2): the
// framework as a tree (#/framework), and what a document's own page adds to the record page:
// the text in force, the versions with their workflow actions, a new version started from the
// newest text, and a line diff between two versions. Version texts are shown only as the
// server's rendered, sanitized HTML; the Markdown source is only ever text.
import {api, listAll, typeOf, refTitle} from './api.js';
import {effectiveControls} from './effective.js';
import {h, append, replace, cap, humanize, banner, spinner, pageTitle, chip, statusChip, button,
  openDialog} from './dom.js';
import {sectionOf} from './sections.js';
import {unknownType, readOrShow} from './common.js';
import {hashFor} from './router.js';
import {diffLines, hunks} from './diff.js';
import {policyChecksPanel} from './checks.js';
import {serverHtml} from './fields.js';

const DONE = {submit: 'submitted for review', approve: 'approved', publish: 'published', withdraw: 'withdrawn'};
const OPEN = ['draft', 'in_review'];
const PRINTABLE = ['approved', 'published'];
export const printable = (v) => PRINTABLE.includes(v.status);

// Tells the shell that the inbox may have changed (the count in the top bar follows).
const versionsChanged = () => document.dispatchEvent(new CustomEvent('isms:versions-changed'));

const today = () => new Date().toISOString().slice(0, 10); // the server's dates are UTC days
const plusDays = (date, n) => new Date(Date.parse(date + 'T00:00:00Z') + n * 86400000).toISOString().slice(0, 10);

// The printable page of an approved or published version (a report of its own).
export function printLink(v, label = 'Print') {
  return h('a', {href: `/api/v1/reports/document-version.html?version=${encodeURIComponent(v.id)}`, class: 'btn btn-small', target: '_blank', rel: 'noopener',
    'aria-label': `${label} ${v.title || 'version ' + v.number} (opens a new tab)`}, label);
}

// A version's text as the server rendered it (single records carry it as html.body).
export function renderedBody(v) {
  const el = serverHtml(v.html?.body);
  if (!el.firstChild) el.appendChild(h('p', {class: 'none'}, 'This version has no text.'));
  return el;
}

// "POL-001 v2" -> "v2": the current version's number from its title in refs.
function versionLabel(doc, refs) {
  if (!doc.current_version) return null;
  const t = refTitle(refs, 'document-versions', doc.current_version);
  const m = /\bv(\d+)$/.exec(t);
  return m ? `v${m[1]}` : t;
}

// The next review date, with its state in words as well as colour.
function reviewCell(date) {
  if (!date) return h('span', {class: 'none'}, '—');
  const t = today();
  if (date < t) return h('span', {class: 'review review-overdue'}, date, ' ', chip('Overdue', 'bad'));
  if (date <= plusDays(t, 30)) return h('span', {class: 'review'}, date, ' ', chip('Due soon', 'warn'));
  return h('span', {class: 'review'}, date);
}

// What documents and their versions add to the generic record page (hooks.js). A document's
// status follows its versions and is shown like a workflow state; its page shows its text,
// versions and a comparison (only as it is now) instead of the versions as linked records.
// A version's page has a print button once approved, shows its Markdown source, and the
// inbox count follows its actions.
export const documentHooks = {
  state: (doc) => doc.status,
  linkedSkip: 'document-versions',
  decorate: (body, doc, {signal, asOf, reload}) => { if (!asOf) decorateDocument(body, doc, signal, reload); },
};
export const versionHooks = {
  buttons: (v) => (printable(v) ? [printLink(v)] : []),
  decorate: (body, v) => decorateVersion(body, v),
  afterAction: () => versionsChanged(),
};

// ---------------------------------------------------------------------------------------------
// A version's workflow action, confirmed in a dialog; the server's refusal (the author may
// not approve, the wrong role, a stale copy) is shown there in its own words.

async function runVersionAction(v, name, after) {
  const vt = typeOf('document-versions');
  const a = vt.actions.find((x) => x.name === name) || {name, label: humanize(name), help: ''};
  let done = null;
  const eff = effectiveControls(a);
  await openDialog({
    title: `${a.label}: ${v.title}`,
    body: [a.help ? h('p', null, a.help) : null,
      a.to ? h('p', {class: 'muted'}, 'Status: ', statusChip(v.status), ' → ', statusChip(a.to)) : null,
      eff ? eff.rows : null],
    buttons: [{label: a.label, cls: 'btn-primary', value: 'go'}, {label: 'Cancel', value: null}],
    onSubmit: async (value, dlg) => {
      let body = {};
      if (eff) {
        eff.clearErrors();
        body = eff.get();
        if (body.error) { eff.showError(body.error, body.message); return false; }
      }
      try {
        done = await api('POST', `document-versions/${v.id}/actions/${name}`, {body, version: v.version});
        return true;
      } catch (e) {
        if (eff && eff.showError(e.field, cap(e.message))) return false;
        if (e.status === 412) dlg.showError(`Someone else changed ${v.title} since this page was loaded, so nothing was done. Close this and reload the page.`);
        else dlg.showError(e.status === 409 || e.status === 403 ? `Not possible: ${e.message}.` : cap(e.message));
        return false;
      }
    },
  });
  if (done) {
    versionsChanged();
    await after(`${done.title} ${DONE[name] || 'done'}.`);
  }
}

export function actionButtons(v, after) {
  const vt = typeOf('document-versions');
  return (v.actions || []).map((name) => {
    const a = vt.actions.find((x) => x.name === name) || {label: humanize(name)};
    return button(a.label, () => runVersionAction(v, name, after), name === 'withdraw' ? 'btn-small' : 'btn-small btn-primary',
      {dataset: {action: name}, 'aria-label': `${a.label}: ${v.title}`});
  });
}

// ---------------------------------------------------------------------------------------------
// The policy framework

const FILTER_KEYS = ['kind', 'status', 'q'];

export async function frameworkPage(main, route, signal) {
  const type = typeOf('documents');
  if (!type || !type.can_read) return unknownType(main, 'documents');
  document.title = 'Policy framework · isms';
  const pg = frameworkState(type, route.query);
  mountFramework(main, pg, signal);
  const all = await readOrShow(pg.el.box, listAll('documents', {}, {signal}));
  if (!all || signal.aborted) return null;
  ({items: pg.docs, refs: pg.refs} = all);
  buildTree(pg);
  renderFramework(pg);
  return null;
}

// State: the filters (in the address), the documents and the tree they form, and the page's
// elements (el).
function frameworkState(type, query) {
  const filters = {};
  for (const k of FILTER_KEYS) filters[k] = query.get(k) || '';
  return {
    type, filters,
    kinds: type.fields.find((f) => f.name === 'kind').values,
    states: type.fields.find((f) => f.name === 'status').values,
    docs: [], refs: {},
    children: new Map(), roots: [], loose: [],
    el: {},
  };
}

// The tree: children by parent; roots are the top-level policies; documents whose parent is
// missing (or that have none) and are not top-level policies form a group of their own.
function buildTree(pg) {
  const {docs, kinds, children, roots, loose} = pg;
  const byId = new Map(docs.map((d) => [d.id, d]));
  const order = (a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || String(a.identifier).localeCompare(String(b.identifier), undefined, {numeric: true});
  for (const d of docs) {
    if (d.parent && byId.has(d.parent)) {
      if (!children.has(d.parent)) children.set(d.parent, []);
      children.get(d.parent).push(d);
    } else (d.kind === 'information_security_policy' ? roots : loose).push(d);
  }
  for (const list of [roots, loose, ...children.values()]) list.sort(order);
}

function matchesFilters(pg, d) {
  const {filters} = pg;
  if (filters.kind && d.kind !== filters.kind) return false;
  if (filters.status && d.status !== filters.status) return false;
  if (filters.q) {
    const owner = d.owner ? refTitle(pg.refs, 'people', d.owner) : '';
    const text = [d.identifier, d.title, humanize(d.kind), owner].join(' ').toLowerCase();
    if (!filters.q.toLowerCase().split(/\s+/).every((w) => text.includes(w))) return false;
  }
  return true;
}

// A document is shown if it matches or something beneath it does (then as context).
function shownDocuments(pg) {
  const shown = new Map();
  const visit = (d) => {
    let any = matchesFilters(pg, d);
    for (const c of pg.children.get(d.id) || []) any = visit(c) || any;
    shown.set(d.id, any);
    return any;
  };
  [...pg.roots, ...pg.loose].forEach(visit);
  return shown;
}

function mountFramework(main, pg, signal) {
  const {type, el} = pg;
  const section = sectionOf(type.section);
  el.summary = h('p', {class: 'list-summary', role: 'status', 'aria-live': 'polite'});
  el.box = h('div', {class: 'fw-groups'}, spinner('Loading the document register…'));
  const reg = '/api/v1/reports/document-register';
  append(main,
    h('div', {class: 'page-head'},
      h('div', null,
        h('p', {class: 'eyebrow'}, `${section.num} ${section.name} · clauses 5.2 and 7.5`),
        pageTitle('Policy framework'),
        h('p', {class: 'lede'}, 'The top-level information security policy, the topic-specific policies beneath it, and the procedures and other documents under those, with the version in force and when each is next reviewed.')),
      h('div', {class: 'head-actions'},
        h('span', {class: 'muted'}, 'Export register:'),
        h('span', {class: 'export-links', role: 'group', 'aria-label': 'Export the document register'},
          h('a', {href: `${reg}.xlsx`, class: 'btn btn-small', download: ''}, 'XLSX'),
          h('a', {href: `${reg}.csv`, class: 'btn btn-small', download: ''}, 'CSV')),
        type.can_write ? h('a', {href: '#/t/documents/new', class: 'btn btn-primary', id: 'new-document'}, 'New document') : null)),
    policyChecksPanel(signal), filterForm(pg), el.summary, el.box);
}

function filtersChanged(pg) {
  history.replaceState(null, '', hashFor('/framework', pg.filters));
  renderFramework(pg);
}

function filterForm(pg) {
  const {filters} = pg;
  const sel = (key, label, values) => {
    const id = `fw-f-${key}`;
    const s = h('select', {id, name: key, onchange: () => { filters[key] = s.value; filtersChanged(pg); }},
      h('option', {value: ''}, key === 'kind' ? 'All kinds' : 'Any status'),
      values.map((v) => h('option', {value: v, selected: filters[key] === v}, humanize(v))));
    return h('div', {class: 'soa-filter'}, h('label', {for: id}, label), s);
  };
  const q = h('input', {type: 'search', id: 'fw-f-q', value: filters.q, placeholder: 'Identifier, title, owner…', autocomplete: 'off'});
  let typing = null;
  q.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => { filters.q = q.value.trim(); filtersChanged(pg); }, 200);
  });
  return h('form', {class: 'soa-filters', role: 'search', 'aria-label': 'Filter the documents', onsubmit: (ev) => ev.preventDefault()},
    h('div', {class: 'soa-filter soa-filter-q'}, h('label', {for: 'fw-f-q'}, 'Search'), q),
    sel('kind', 'Kind', pg.kinds), sel('status', 'Status', pg.states));
}

function renderFramework(pg) {
  const {docs, type, el} = pg;
  const shown = shownDocuments(pg);
  const hits = docs.filter((d) => matchesFilters(pg, d)).length;
  const filtering = FILTER_KEYS.some((k) => pg.filters[k]);
  el.summary.textContent = filtering ? `${hits} of ${docs.length} documents match.` : `${docs.length} ${docs.length === 1 ? 'document' : 'documents'}.`;
  if (!docs.length) {
    replace(el.box, h('div', {class: 'panel empty-state'},
      h('p', null, 'No documents recorded yet. Start with the top-level information security policy; topic-specific policies and procedures go beneath it.'),
      type.can_write ? h('a', {href: '#/t/documents/new?kind=information_security_policy', class: 'btn btn-primary'}, 'New information security policy') : null));
    return;
  }
  const group = (id, title, help, list, empty) => {
    const body = treeRows(pg, shown, list, 0, [], null);
    return h('section', {class: 'panel fw-group', 'aria-labelledby': id},
      h('h2', {id}, title), help ? h('p', {class: 'muted'}, help) : null,
      body.length ? h('div', {class: 'table-wrap'}, h('table', {class: 'grid fw-table', 'aria-labelledby': id},
        h('thead', null, h('tr', null, ['Identifier', 'Title', 'Kind', 'Status', 'Version', 'Owner', 'Next review']
          .map((c) => h('th', {scope: 'col'}, c)))),
        h('tbody', null, body)))
        : h('p', {class: 'empty'}, filtering ? 'No document here matches the filters.' : empty));
  };
  replace(el.box,
    group('fw-tree', 'The framework', null, pg.roots,
      'There is no top-level information security policy yet: every other policy sits under it.'),
    pg.loose.length ? group('fw-loose', 'Not placed in the framework', 'Documents that sit under no other document.', pg.loose, '') : null);
}

// The rows of list and, beneath each, its children, depth first.
function treeRows(pg, shown, list, depth, out, parent) {
  for (const d of list) {
    if (!shown.get(d.id)) continue;
    out.push(documentRow(pg, d, depth, parent, matchesFilters(pg, d)));
    treeRows(pg, shown, pg.children.get(d.id) || [], depth + 1, out, d);
  }
  return out;
}

function documentRow(pg, d, depth, parent, hit) {
  const {refs} = pg;
  const owner = d.owner ? h('a', {href: `#/t/people/${d.owner}`}, refTitle(refs, 'people', d.owner)) : h('span', {class: 'none'}, '—');
  return h('tr', {class: ['fw-row', hit ? null : 'fw-context'], dataset: {id: d.id, depth, parent: parent ? parent.id : ''}},
    h('td', {class: 'nowrap'}, d.identifier),
    h('th', {scope: 'row', class: `fw-title fw-depth-${Math.min(depth, 6)}`},
      depth ? h('span', {class: 'fw-branch', 'aria-hidden': 'true'}, '└ ') : null,
      h('a', {href: `#/t/documents/${d.id}`}, d.title),
      parent ? h('span', {class: 'sr-only'}, ` (under ${parent.identifier})`) : null),
    h('td', null, humanize(d.kind)),
    h('td', null, statusChip(d.status)),
    h('td', {class: 'nowrap'}, versionLabel(d, refs) || h('span', {class: 'none'}, '—')),
    h('td', null, owner),
    h('td', {class: 'nowrap'}, reviewCell(d.next_review)));
}

// ---------------------------------------------------------------------------------------------
// A document's page: the record page with its text, versions and comparison added below the
// administrative details. reload(message) loads the document again and redraws the page.

function decorateDocument(container, doc, signal, reload) {
  const vt = typeOf('document-versions');
  if (!vt || !vt.can_read) return;
  const current = h('section', {class: 'panel doc-current', 'aria-labelledby': 'doc-current-title'},
    h('h2', {id: 'doc-current-title'}, 'Text in force'), spinner());
  const versions = h('section', {class: 'panel doc-versions', 'aria-labelledby': 'doc-versions-title'},
    h('h2', {id: 'doc-versions-title'}, 'Versions'), spinner());
  const compare = h('section', {class: 'panel doc-compare', 'aria-labelledby': 'doc-compare-title'},
    h('h2', {id: 'doc-compare-title'}, 'Compare versions'));
  const details = container.querySelector('section.panel');
  if (details) details.after(current, versions, compare);
  else container.append(current, versions, compare);

  listAll('document-versions', {document: doc.id, sort: '-number'}, {signal}).then(({items}) => {
    if (signal.aborted) return;
    showCurrent(current, items, doc);
    showVersions(versions, doc, items, reload);
    showCompare(compare, items);
  }, (e) => {
    if (e.name === 'AbortError') return;
    replace(versions, h('h2', {id: 'doc-versions-title'}, 'Versions'), banner(e));
    current.remove();
    compare.remove();
  });
}

// How much of the audience acknowledged the version in force, linking to who has not.
function ackLine(doc) {
  const pct = doc.acknowledged_percent;
  if (pct === null || pct === undefined) return null;
  const text = `${pct} % of the audience acknowledged this version`;
  return h('p', {class: 'meta-line doc-ack', id: 'doc-ack'},
    typeOf('acknowledgements')?.can_read
      ? h('a', {href: `#/acknowledgements/${doc.id}`}, `${text} — see who has not`) : text);
}

// The rendered text of a version from the list: lists carry no HTML, so it is read whole.
function textOf(v) {
  const box = h('div', null, spinner('Loading the text…'));
  api('GET', `document-versions/${v.id}`).then((full) => replace(box, renderedBody(full)),
    (e) => replace(box, banner(e)));
  return box;
}

function showCurrent(box, items, doc) {
  const title = h('h2', {id: 'doc-current-title'}, 'Text in force');
  const pub = items.find((v) => v.status === 'published');
  if (pub) {
    replace(box, h('div', {class: 'doc-current-head'}, title, printLink(pub)),
      h('p', {class: 'meta-line doc-current-meta'}, `Version ${pub.number}`, ' ', statusChip(pub.status),
        pub.approver ? ` · approved by ${pub.approver}${pub.approved_on ? ' on ' + pub.approved_on : ''}` : ''),
      ackLine(doc), textOf(pub));
    return;
  }
  const newest = items[0];
  if (!newest) {
    replace(box, title, h('p', {class: 'empty'}, 'This document has no versions yet, so nothing is in force.'));
    return;
  }
  // Nothing in force: the newest text, clearly marked as not in force.
  replace(box, title,
    banner(`No version is published, so nothing is in force. Below is the newest text, version ${newest.number} (${humanize(newest.status).toLowerCase()}).`, 'warning'),
    h('details', {class: 'doc-draft-text'}, h('summary', null, `Show the text of version ${newest.number}`), textOf(newest)));
}

function showVersions(box, doc, items, reload) {
  const vt = typeOf('document-versions');
  const open = items.find((v) => OPEN.includes(v.status));
  const form = h('div', {class: 'doc-new-version'});
  let newBtn = null;
  if (vt.can_write && doc.can_version !== false && !open) {
    newBtn = button('New version', () => {
      newBtn.hidden = true;
      replace(form, newVersionForm(doc, items[0], reload, () => { replace(form); newBtn.hidden = false; newBtn.focus(); }));
      form.querySelector('textarea')?.focus();
    }, 'btn-primary', {id: 'new-version'});
  }
  const note = open && vt.can_write
    ? h('p', {class: 'muted'}, `Version ${open.number} is ${humanize(open.status).toLowerCase()}; finish or delete it before starting another.`) : null;
  const rows = items.map((v) => h('tr', {dataset: {version: v.number, status: v.status}},
    h('th', {scope: 'row', class: 'nowrap'}, h('a', {href: `#/t/document-versions/${v.id}`}, `v${v.number}`)),
    h('td', null, statusChip(v.status)),
    h('td', null, v.author || h('span', {class: 'none'}, '—')),
    h('td', null, v.approver || h('span', {class: 'none'}, '—')),
    h('td', {class: 'nowrap'}, v.approved_on || h('span', {class: 'none'}, '—')),
    h('td', {class: 'doc-summary'}, v.change_summary || h('span', {class: 'none'}, '—')),
    h('td', {class: 'doc-actions'}, h('div', {class: 'row-actions'},
      actionButtons(v, reload),
      v.can_edit ? h('a', {href: `#/t/document-versions/${v.id}/edit`, class: 'btn btn-small', 'aria-label': `Edit ${v.title}`}, 'Edit') : null,
      printable(v) ? printLink(v) : null))));
  replace(box,
    h('div', {class: 'linked-head'}, h('h2', {id: 'doc-versions-title'}, 'Versions ', h('span', {class: 'muted'}, `· ${items.length}`)), newBtn),
    note, form,
    items.length
      ? h('div', {class: 'table-wrap'}, h('table', {class: 'grid small doc-version-table', 'aria-labelledby': 'doc-versions-title'},
        h('thead', null, h('tr', null, ['Version', 'Status', 'Author', 'Approved by', 'Approved on', 'What changed', 'Actions']
          .map((c) => h('th', {scope: 'col'}, c)))),
        h('tbody', null, rows)))
      : h('p', {class: 'empty'}, 'No versions yet. A new version starts as a draft; it is then submitted, approved by someone other than its author, and published.'));
}

// A new draft, starting from the newest version's text so editing begins from what is there.
function newVersionForm(doc, newest, reload, close) {
  const vt = typeOf('document-versions');
  const fBody = vt.fields.find((f) => f.name === 'body');
  const fSum = vt.fields.find((f) => f.name === 'change_summary');
  const msgs = h('div', {class: 'form-messages', tabindex: '-1'});
  const body = h('textarea', {id: 'nv-body', name: 'body', rows: '16', class: 'code', 'aria-describedby': 'nv-body-help',
    value: newest && newest.body ? newest.body : ''});
  if (fBody.max_len) body.maxLength = fBody.max_len;
  const summary = h('input', {type: 'text', id: 'nv-summary', name: 'change_summary', 'aria-describedby': 'nv-summary-help'});
  if (fSum.max_len) summary.maxLength = fSum.max_len;
  const submit = h('button', {type: 'submit', class: 'btn btn-primary'}, 'Create draft');
  const form = h('form', {class: 'form doc-version-form', novalidate: true, 'aria-labelledby': 'nv-title'},
    h('h3', {id: 'nv-title'}, `New version of ${doc.identifier}`),
    msgs,
    h('div', {class: 'field'}, h('label', {for: 'nv-body'}, fBody.label),
      h('p', {class: 'help', id: 'nv-body-help'}, newest
        ? `Markdown. Starts from the text of version ${newest.number}.`
        : 'Markdown. Left empty, a policy starts from a template of the usual sections.'),
      body),
    h('div', {class: 'field'}, h('label', {for: 'nv-summary'}, fSum.label),
      h('p', {class: 'help', id: 'nv-summary-help'}, fSum.help), summary),
    h('div', {class: 'form-buttons'}, submit, button('Cancel', close)));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    const payload = {document: doc.id};
    if (body.value.trim()) payload.body = body.value;
    if (summary.value.trim()) payload.change_summary = summary.value.trim();
    try {
      const v = await api('POST', 'document-versions', {body: payload});
      versionsChanged();
      await reload(`Version ${v.number} created as a draft. Submit it for review when it is ready.`);
    } catch (e) {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
      replace(msgs, banner(e.status === 403 || e.status === 409 ? `Not possible: ${e.message}.` : cap(e.message)));
      msgs.focus();
    }
  });
  return form;
}

// ---------------------------------------------------------------------------------------------
// Comparing two versions line by line

function showCompare(box, items) {
  const title = h('h2', {id: 'doc-compare-title'}, 'Compare versions');
  if (items.length < 2) {
    replace(box, title, h('p', {class: 'empty'}, 'Comparing needs at least two versions.'));
    return;
  }
  const byNum = new Map(items.map((v) => [String(v.number), v]));
  const sel = (id, label, value) => h('div', {class: 'soa-filter'}, h('label', {for: id}, label),
    h('select', {id, onchange: show}, items.map((v) =>
      h('option', {value: String(v.number), selected: v.number === value}, `v${v.number} · ${humanize(v.status)}`))));
  const from = sel('cmp-from', 'Older version', items[1].number);
  const to = sel('cmp-to', 'Newer version', items[0].number);
  const out = h('div', {class: 'diff-out', 'aria-live': 'polite'});
  replace(box, title, h('div', {class: 'soa-filters diff-pick'}, from, to), out);
  show();

  function show() {
    const a = byNum.get(from.querySelector('select').value);
    const b = byNum.get(to.querySelector('select').value);
    replace(out, diffView(a, b));
  }
}

function diffView(a, b) {
  if (a === b) return h('p', {class: 'muted'}, 'Choose two different versions.');
  const lines = diffLines(a.body, b.body);
  const added = lines.filter((l) => l.op === '+').length;
  const removed = lines.filter((l) => l.op === '-').length;
  const head = h('p', {class: 'diff-summary'}, `From v${a.number} to v${b.number}: `,
    h('span', {class: 'diff-count-add'}, `${added} ${added === 1 ? 'line' : 'lines'} added`), ', ',
    h('span', {class: 'diff-count-del'}, `${removed} ${removed === 1 ? 'line' : 'lines'} removed`), '.');
  if (!added && !removed) return h('p', {class: 'muted'}, `v${a.number} and v${b.number} have the same text.`);
  const rows = hunks(lines).map((l) => {
    if (l.skip) return h('tr', {class: 'diff-skip'}, h('td', {colspan: '4'}, `… ${l.skip} unchanged ${l.skip === 1 ? 'line' : 'lines'} …`));
    const kind = l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'same';
    const text = l.text === '' ? '\u00a0' : l.text;
    return h('tr', {class: `diff-${kind}`},
      h('td', {class: 'diff-ln'}, l.a ? String(l.a) : ''),
      h('td', {class: 'diff-ln'}, l.b ? String(l.b) : ''),
      h('td', {class: 'diff-mark', 'aria-hidden': 'true'}, l.op === '+' ? '+' : l.op === '-' ? '−' : ''),
      h('td', {class: 'diff-text'},
        kind === 'add' ? h('ins', null, h('span', {class: 'sr-only'}, 'Added: '), text)
          : kind === 'del' ? h('del', null, h('span', {class: 'sr-only'}, 'Removed: '), text) : text));
  });
  return [head, h('div', {class: 'table-wrap diff-wrap'}, h('table', {class: 'diff'},
    h('caption', {class: 'sr-only'}, `Changes from version ${a.number} to version ${b.number}`),
    h('thead', {class: 'sr-only'}, h('tr', null, ['Old line', 'New line', 'Change', 'Text'].map((c) => h('th', {scope: 'col'}, c)))),
    h('tbody', null, rows)))];
}

// ---------------------------------------------------------------------------------------------
// A version's own (generic) record page shows its text rendered; the Markdown source follows
// it, as text.

function decorateVersion(container, v) {
  const kv = container.querySelector('.kv[data-field="body"]');
  if (!kv || !v.body) return;
  kv.after(h('div', {class: 'kv wide', dataset: {field: 'body-source'}},
    h('dt', null, 'Markdown source'), h('dd', null, h('pre', {class: 'md'}, v.body))));
}
