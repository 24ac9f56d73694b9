// pages-context.js — clause 4 on one page: internal and external issues, the climate decision
// in force, interested parties with their requirements, the approved scope, the ISMS
// processes, and a short list of what an auditor will check.
import {api, listAll, typeOf, titleOf, refTitle} from './api.js';
import {h, append, replace, humanize, banner, spinner, pageTitle, chip, statusChip} from './dom.js';

function newLink(plural, text) {
  const t = typeOf(plural);
  return t && t.can_write ? h('a', {href: `#/t/${plural}/new`, class: 'btn btn-small'}, text) : null;
}

function allLink(plural, text, params) {
  const q = params ? '?' + new URLSearchParams(params) : '';
  return h('a', {href: `#/t/${plural}${q}`, class: 'more'}, text);
}

function sectionBox(id, clause, title, ...children) {
  return h('section', {class: 'ctx-section panel', 'aria-labelledby': id, id: `sec-${id}`},
    h('div', {class: 'ctx-head'}, h('h2', {id}, h('span', {class: 'clause-num'}, clause), ' ', title)), ...children);
}

async function safe(p) {
  try { return {ok: await p}; } catch (e) { if (e.name === 'AbortError') throw e; return {err: e}; }
}

export async function contextPage(main, route, signal) {
  document.title = 'Context of the organization · isms';
  const boxes = mountContext(main);
  const data = await loadContext(signal);
  if (signal.aborted) return null;
  if (!unavailable(boxes.issues, data.issues)) renderIssues(boxes.issues, data);
  if (!unavailable(boxes.climate, data.climate)) renderClimate(boxes.climate, data);
  if (!unavailable(boxes.parties, data.parties)) renderParties(boxes.parties, data);
  if (!unavailable(boxes.scope, data.scopes)) renderScope(boxes.scope, data);
  if (!unavailable(boxes.processes, data.procs)) renderProcesses(boxes.processes, data);
  renderChecks(boxes.checks, data);
  return null;
}

function mountContext(main) {
  const boxes = {
    checks: h('section', {class: 'panel checks', 'aria-labelledby': 'checks-title'},
      h('h2', {id: 'checks-title'}, 'What an auditor will look for'), spinner()),
    issues: sectionBox('ctx-issues', '4.1', 'Internal and external issues', spinner()),
    climate: sectionBox('ctx-climate', '4.1', 'Climate change', spinner()),
    parties: sectionBox('ctx-parties', '4.2', 'Interested parties and their requirements', spinner()),
    scope: sectionBox('ctx-scope', '4.3', 'Scope of the ISMS', spinner()),
    processes: sectionBox('ctx-processes', '4.4', 'ISMS processes', spinner()),
  };
  append(main,
    h('div', {class: 'page-head'}, h('div', null,
      h('p', {class: 'eyebrow'}, 'Clause 4'),
      pageTitle('Context of the organization'),
      h('p', {class: 'lede'}, 'What shapes the ISMS: the issues around it, who has a stake in it and what they need, where its boundaries are, and how it runs.'))),
    Object.values(boxes));
  return boxes;
}

// Everything the page shows, read at once: each part {ok: answer} or {err}, or null when the
// user may not read it.
async function loadContext(signal) {
  const can = (p) => typeOf(p) && typeOf(p).can_read;
  const [issues, climate, parties, reqs, scopes, drafts, procs] = await Promise.all([
    can('context-issues') ? safe(listAll('context-issues', {}, {signal})) : null,
    can('climate-decisions') ? safe(api('GET', 'climate-decisions', {params: {sort: '-decided_on', limit: 1}, signal})) : null,
    can('interested-parties') ? safe(listAll('interested-parties', {}, {signal})) : null,
    can('requirements') ? safe(listAll('requirements', {}, {signal})) : null,
    can('scopes') ? safe(api('GET', 'scopes', {params: {status: 'approved', sort: '-approved_on', limit: 1}, signal})) : null,
    can('scopes') ? safe(api('GET', 'scopes', {params: {sort: '-id', limit: 10}, signal})) : null,
    can('processes') ? safe(listAll('processes', {}, {signal})) : null,
  ]);
  return {issues, climate, parties, reqs, scopes, drafts, procs};
}

// A section the user may not read goes; one whose data failed shows the error.
function unavailable(box, r) {
  if (!r) { box.remove(); return true; }
  if (r.err) { replace(box, box.firstChild, banner(r.err)); return true; }
  return false;
}

// 4.1 issues, internal and external side by side.
function renderIssues(box, {issues}) {
  const it = typeOf('context-issues');
  const col = (origin, title, hint) => {
    const items = issues.ok.items.filter((x) => x.origin === origin);
    return h('div', {class: 'ctx-col'},
      h('h3', null, title, ' ', h('span', {class: 'count'}, String(items.length))),
      h('p', {class: 'help'}, hint),
      items.length
        ? h('ul', {class: 'issue-list'}, items.map((x) => h('li', null,
          h('a', {href: `#/t/context-issues/${x.id}`}, titleOf(it, x)),
          h('span', {class: 'issue-meta'}, chip(humanize(x.category)),
            x.climate_related ? chip('Climate', 'warn') : null,
            x.next_review && x.next_review < today() ? chip(`Review overdue since ${x.next_review}`, 'bad') : null))))
        : h('p', {class: 'empty warn-text'}, `No ${origin} issues recorded yet.`));
  };
  replace(box, box.firstChild,
    h('div', {class: 'ctx-cols'},
      col('internal', 'Internal issues', 'Governance, structure, culture, resources, systems, contracts, standards.'),
      col('external', 'External issues', 'Political, economic, social, technological, legal, environmental.')),
    h('p', {class: 'ctx-foot'}, allLink('context-issues', `All ${issues.ok.total} issues →`), ' ', newLink('context-issues', 'New issue')));
}

// 4.1 climate decision: the newest one is in force.
function renderClimate(box, {climate}) {
  const d = climate.ok.items[0];
  if (!d) {
    replace(box, box.firstChild,
      banner('No climate decision is recorded yet. Since the 2024 amendment the organization must decide whether climate change is a relevant issue.', 'warning'),
      h('p', {class: 'ctx-foot'}, newLink('climate-decisions', 'Record the climate decision')));
    return;
  }
  const decidedBy = d.decided_by ? h('a', {href: `#/t/people/${d.decided_by}`}, refTitle(climate.ok.refs, 'people', d.decided_by)) : null;
  replace(box, box.firstChild,
    h('p', {class: 'climate-verdict'},
      d.relevant ? chip('Climate change is relevant', 'warn') : chip('Climate change is not relevant', 'off'),
      ' ', h('span', null, 'decided on ', h('a', {href: `#/t/climate-decisions/${d.id}`}, d.decided_on)),
      decidedBy ? [' by ', decidedBy] : null),
    h('pre', {class: 'md'}, d.rationale || ''),
    h('p', {class: 'ctx-foot'}, climate.ok.total > 1 ? allLink('climate-decisions', `Earlier decisions (${climate.ok.total - 1}) →`) : null,
      ' ', newLink('climate-decisions', 'Record a new decision')));
}

// 4.2 parties with their requirements.
function renderParties(box, {parties, reqs}) {
  const byParty = new Map();
  for (const r of reqs && reqs.ok ? reqs.ok.items : []) {
    if (!byParty.has(r.party)) byParty.set(r.party, []);
    byParty.get(r.party).push(r);
  }
  const list = parties.ok.items.map((p) => partyItem(p, byParty.get(p.id) || []));
  replace(box, box.firstChild,
    reqs && reqs.err ? banner(reqs.err) : null,
    list.length ? h('ul', {class: 'party-list'}, list)
      : banner('No interested parties recorded yet.', 'warning'),
    h('p', {class: 'ctx-foot'}, allLink('interested-parties', 'All parties →'), ' ', allLink('requirements', 'All requirements →'),
      ' ', newLink('interested-parties', 'New party'), ' ', newLink('requirements', 'New requirement')));
}

function partyItem(p, mine) {
  const rt = typeOf('requirements');
  const addressed = mine.filter((r) => r.addressed).length;
  return h('li', {class: 'party'},
    h('div', {class: 'party-head'},
      h('h3', null, h('a', {href: `#/t/interested-parties/${p.id}`}, p.name)),
      h('span', {class: 'party-meta'}, chip(humanize(p.origin)), ' ', chip(humanize(p.kind))),
      mine.length ? h('span', {class: 'muted'}, `${addressed} of ${mine.length} addressed`) : null),
    mine.length
      ? h('ul', {class: 'req-list'}, mine.map((r) => h('li', null,
        r.addressed ? chip('Addressed', 'ok') : chip('Not addressed', 'off'),
        ' ', h('a', {href: `#/t/requirements/${r.id}`}, titleOf(rt, r)),
        h('span', {class: 'muted'}, ` · ${humanize(r.source)}${r.reference ? ' · ' + r.reference : ''}`))))
      : h('p', {class: 'empty warn-text'}, 'No requirements recorded for this party.',
        rt && rt.can_write ? [' ', h('a', {href: `#/t/requirements/new?party=${p.id}`}, 'Add one')] : null));
}

// 4.3 the approved scope, and the versions being prepared or waiting for approval.
function renderScope(box, {scopes, drafts}) {
  const s = scopes.ok.items[0];
  const open = drafts && drafts.ok ? drafts.ok.items.filter((d) => d.status === 'draft' || d.status === 'submitted') : [];
  const draftList = open.length
    ? h('p', {class: 'muted'}, 'Versions in preparation: ', open.map((d, i) => [i ? ', ' : '',
      h('a', {href: `#/t/scopes/${d.id}`}, d.title), d.status === 'submitted' ? ' (submitted for approval)' : ' (draft)']))
    : null;
  const foot = h('p', {class: 'ctx-foot'}, allLink('scopes', 'All scope versions →'), ' ', newLink('scopes', 'New scope draft'));
  if (!s) {
    replace(box, box.firstChild,
      banner('There is no approved scope. Clause 4.3 needs a documented scope, approved and current.', 'warning'),
      draftList, foot);
    return;
  }
  replace(box, box.firstChild,
    h('p', {class: 'scope-title'}, h('a', {href: `#/t/scopes/${s.id}`}, s.title), ' ', statusChip(s.status),
      h('span', {class: 'muted'}, ` approved${s.approved_on ? ' on ' + s.approved_on : ''}${s.approved_by ? ' by ' + s.approved_by : ''}`)),
    h('pre', {class: 'md scope-statement'}, s.statement || ''),
    s.exclusions ? [h('h3', null, 'Exclusions and justification'), h('pre', {class: 'md'}, s.exclusions)] : null,
    draftList, foot);
}

// 4.4 processes.
function renderProcesses(box, {procs}) {
  const pt = typeOf('processes');
  replace(box, box.firstChild,
    procs.ok.items.length
      ? h('div', {class: 'table-wrap'}, h('table', {class: 'grid small'},
        h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Process'), h('th', {scope: 'col'}, 'Owner'), h('th', {scope: 'col'}, 'Related processes'))),
        h('tbody', null, procs.ok.items.map((p) => h('tr', null,
          h('th', {scope: 'row'}, h('a', {href: `#/t/processes/${p.id}`}, titleOf(pt, p))),
          h('td', null, p.owner ? h('a', {href: `#/t/people/${p.owner}`}, refTitle(procs.ok.refs, 'people', p.owner)) : chip('No owner', 'bad')),
          h('td', null, (p.related || []).length ? (p.related || []).map((id) => refTitle(procs.ok.refs, 'processes', id)).join(', ') : '—'))))))
      : h('p', {class: 'empty warn-text'}, 'No ISMS processes recorded yet.'),
    h('p', {class: 'ctx-foot'}, allLink('processes', 'All processes →'), ' ', newLink('processes', 'New process')));
}

// The checks, from the same data: [met, text, in-page link].
function contextChecks({issues, climate, parties, reqs, scopes, procs}) {
  const out = [];
  if (issues && issues.ok) {
    out.push([issues.ok.items.some((x) => x.origin === 'internal'), 'At least one internal issue', '#sec-ctx-issues']);
    out.push([issues.ok.items.some((x) => x.origin === 'external'), 'At least one external issue', '#sec-ctx-issues']);
    const cutoff = new Date(Date.now() - 365 * 86400000).toISOString().slice(0, 10);
    const stale = issues.ok.items.filter((x) => !x.last_reviewed || x.last_reviewed < cutoff).length;
    if (issues.ok.items.length) out.push([stale === 0, stale ? `Issues reviewed in the last 12 months (${stale} not)` : 'Issues reviewed in the last 12 months']);
  }
  if (climate && climate.ok) out.push([climate.ok.items.length > 0, 'Climate decision recorded']);
  if (parties && parties.ok && reqs && reqs.ok) {
    const withReq = new Set(reqs.ok.items.map((r) => r.party));
    const missing = parties.ok.items.filter((p) => !withReq.has(p.id)).length;
    out.push([parties.ok.items.length > 0 && missing === 0,
      missing ? `Every interested party has a requirement (${missing} without)` : 'Every interested party has a requirement']);
  }
  if (scopes && scopes.ok) out.push([scopes.ok.items.length > 0, 'An approved, current scope']);
  if (procs && procs.ok) {
    const noOwner = procs.ok.items.filter((p) => !p.owner).length;
    out.push([procs.ok.items.length > 0 && noOwner === 0, noOwner ? `ISMS processes listed with owners (${noOwner} without)` : 'ISMS processes listed with owners']);
  }
  return out;
}

function renderChecks(box, data) {
  replace(box, box.firstChild, h('ul', {class: 'check-list'}, contextChecks(data).map(([ok, text, href]) =>
    h('li', null, ok ? chip('Met', 'ok') : chip('Not met', 'bad'), ' ', href ? h('a', {href}, text) : text))));
  // In-page links (#sec-…) would change the route; scroll instead.
  box.addEventListener('click', (ev) => {
    const a = ev.target.closest('a[href^="#sec-"]');
    if (!a) return;
    ev.preventDefault();
    const target = document.getElementById(a.getAttribute('href').slice(1));
    if (target) { target.scrollIntoView({behavior: 'smooth', block: 'start'}); target.querySelector('h2')?.setAttribute('tabindex', '-1'); target.querySelector('h2')?.focus({preventScroll: true}); }
  });
}

function today() {
  return new Date().toISOString().slice(0, 10);
}
