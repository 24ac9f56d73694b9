// pages-audits.js — internal audit (clause 9.2): on a programme's page its coverage matrix
// (every clause 4–10 and applicable Annex A control against the programme's audits, what is
// not yet covered, earlier findings and the highest risk beside each row), and on an audit's
// page its workspace: the impartiality override if any, the checklist with the findings
// recorded against each row, the samples with "Draw again" (the same seed draws the same
// items), and the report as a printable page or a spreadsheet.
import {api, listAll, refTitle} from './api.js';
import {h, replace, banner, spinner, chip, pageTitle, append} from './dom.js';

const CELL = {covered: ['Covered', 'ok'], planned: ['Planned', 'warn'], not_covered: ['Not covered', 'bad']};
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function findingsText(per) {
  const parts = Object.entries(per || {}).map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`);
  return parts.length ? parts.join(', ') : '—';
}

export function coverageView(m) {
  const audits = m.audits;
  const missing = m.not_covered.length;
  return [
    h('p', {class: 'muted', id: 'coverage-summary', role: 'status'}, missing
      ? `${plural(missing, 'clause or control', 'clauses and controls')} not yet in any audit's scope: ${m.not_covered.slice(0, 12).join(', ')}${missing > 12 ? ' …' : ''}.`
      : 'Every clause and applicable control is in the scope of an audit of this programme.'),
    h('p', null,
      h('a', {href: `/api/v1/reports/audit-coverage.xlsx?programme=${m.programme.id}`, class: 'btn', download: '', id: 'coverage-xlsx'}, 'Download XLSX'), ' ',
      h('a', {href: `/api/v1/reports/audit-coverage.html?programme=${m.programme.id}`, class: 'btn', target: '_blank', rel: 'noopener'}, 'Printable page')),
    h('p', {class: 'scroll-hint', id: 'coverage-hint'}, 'The table is wider than the screen: scroll it sideways.'),
    h('div', {class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'coverage-caption', 'aria-describedby': 'coverage-hint'},
      h('table', {class: 'grid small', id: 'coverage-matrix'},
        h('caption', {id: 'coverage-caption', class: 'sr-only'}, 'Coverage matrix: rows are clauses and controls, columns are audits'),
        h('thead', null, h('tr', null,
          h('th', {scope: 'col'}, 'Requirement'),
          audits.map((a) => h('th', {scope: 'col'}, h('a', {href: `#/t/audits/${a.id}`}, a.title), h('br'), h('span', {class: 'muted'}, `${a.planned_start} · ${a.status}`))),
          h('th', {scope: 'col'}, 'Status'),
          h('th', {scope: 'col'}, 'Earlier findings'),
          h('th', {scope: 'col'}, 'Highest risk'))),
        h('tbody', null, m.rows.map((r) => h('tr', {dataset: {key: r.key, status: r.status}},
          h('th', {scope: 'row'}, r.id ? h('a', {href: `#/t/catalog-controls/${r.id}`}, r.key) : r.key, ' ', h('span', {class: 'muted'}, r.title)),
          audits.map((a) => {
            const v = r.cells[String(a.id)];
            return h('td', null, v ? chip(CELL[v][0], CELL[v][1]) : h('span', {class: 'muted', 'aria-label': 'not in scope'}, '·'));
          }),
          h('td', null, chip(CELL[r.status][0], CELL[r.status][1])),
          h('td', null, findingsText(r.findings)),
          h('td', null, r.risk_level || (r.kind === 'clause' ? 'n/a' : '—')))))))];
}

async function decorateProgramme(container, rec, {signal, asOf}) {
  if (asOf) return;
  const box = h('section', {class: 'panel audit-coverage', 'aria-labelledby': 'coverage-h'},
    h('h2', {id: 'coverage-h'}, 'Coverage matrix'), spinner());
  const details = container.querySelector('section.panel');
  if (details) details.after(box); else container.appendChild(box);
  try {
    const m = await api('GET', 'reports/audit-coverage', {params: {programme: rec.id}, signal});
    replace(box, box.firstChild, ...coverageView(m));
  } catch (e) {
    if (e.name === 'AbortError') return;
    replace(box, box.firstChild, banner(e));
  }
}

function findingItem(f, kinds) {
  return h('li', {dataset: {finding: String(f.id)}},
    chip(kinds.get(f.kind) || `kind ${f.kind}`, /nonconformity/i.test(kinds.get(f.kind) || '') ? 'bad' : 'neutral'), ' ',
    h('a', {href: `#/t/audit-findings/${f.id}`}, (f.statement || '').slice(0, 160)),
    f.nonconformity ? [' ', h('a', {href: `#/t/nonconformities/${f.nonconformity}`, class: 'muted'}, `→ nonconformity #${f.nonconformity}`)] : null);
}

function sampleCard(s) {
  const list = h('ol', {class: 'sample-drawn', dataset: {sample: String(s.id)}}, (s.drawn || []).map((x) => h('li', null, String(x))));
  const status = h('p', {class: 'muted', role: 'status', 'aria-live': 'polite'});
  const again = h('button', {type: 'button', class: 'btn', dataset: {draw: String(s.id)}, onclick: async () => {
    status.textContent = 'Drawing…';
    try {
      const fresh = await api('GET', `audit-samples/${s.id}`);
      replace(list, ...(fresh.drawn || []).map((x) => h('li', null, String(x))));
      const same = JSON.stringify(fresh.drawn) === JSON.stringify(s.drawn);
      status.textContent = same ? `Drawn again with seed ${fresh.seed}: the same ${fresh.drawn.length} items.` : 'Drawn again: the sample differs (its population, size or seed changed).';
    } catch (e) { status.textContent = e.message; }
  }}, 'Draw again');
  return h('section', {class: 'card', dataset: {sampleCard: String(s.id)}},
    h('h3', null, h('a', {href: `#/t/audit-samples/${s.id}`}, s.title)),
    h('p', {class: 'muted'}, `${s.method}, ${s.size} of ${(s.population || []).length} · seed ${s.seed}`),
    list, again, status);
}

async function decorateAudit(container, rec, {signal, asOf}) {
  if (asOf) return;
  const box = h('section', {class: 'panel audit-workspace', 'aria-labelledby': 'workspace-h'},
    h('h2', {id: 'workspace-h'}, 'Audit workspace'), spinner());
  const details = container.querySelector('section.panel');
  if (details) details.after(box); else container.appendChild(box);
  try {
    const [cl, kindList, samples] = await Promise.all([
      api('GET', 'reports/audit-checklist', {params: {audit: rec.id}, signal}),
      listAll('finding-kinds', {}, {signal}).then((r) => r.items),
      listAll('audit-samples', {audit: rec.id}, {signal}).then((r) => r.items)]);
    const kinds = new Map(kindList.map((k) => [k.id, k.label]));
    const parts = [];
    if (rec.impartiality_override) {
      parts.push(h('div', {class: 'banner warn', id: 'override-notice', role: 'note'},
        h('strong', null, 'Impartiality override. '),
        `Allowed by ${refTitle(rec.refs, 'people', rec.override_by) || 'top management'} on ${rec.override_on || '?'}: ${rec.impartiality_override}`,
        (rec.conflicts || []).length ? h('ul', null, rec.conflicts.map((c) => h('li', null, c))) : null));
    }
    const canFind = rec.status === 'fieldwork' || rec.status === 'reported';
    parts.push(h('h3', {id: 'checklist-h'}, 'Checklist'),
      cl.rows.length ? h('ol', {class: 'audit-checklist', 'aria-labelledby': 'checklist-h'}, cl.rows.map((r) => h('li', {dataset: {row: r.key}},
        h('p', null, h('strong', null, r.key), ' ', r.title),
        h('p', {class: 'muted'}, r.question),
        r.findings.length ? h('ul', {class: 'audit-findings'}, r.findings.map((f) => findingItem(f, kinds))) : h('p', {class: 'muted'}, 'No finding yet.'),
        canFind ? h('a', {class: 'btn btn-small', href: `#/t/audit-findings/new?audit=${rec.id}&${r.kind === 'clause' ? `clause=${encodeURIComponent(r.key)}` : `control=${r.id}`}`,
          'aria-label': `Add a finding for ${r.key}`}, 'Add finding') : null)))
        : h('p', {class: 'muted'}, 'Nothing in scope yet: add clauses or controls to the audit.'));
    parts.push(h('h3', null, 'Samples'),
      samples.length ? h('div', {class: 'cards'}, samples.map(sampleCard)) : h('p', {class: 'muted'}, 'No sample recorded.'),
      h('p', null, h('a', {class: 'btn btn-small', href: `#/t/audit-samples/new?audit=${rec.id}`}, 'Record a sample')));
    parts.push(h('h3', null, 'Report'),
      h('p', null, rec.report_date ? `Reported on ${rec.report_date} by ${rec.reported_by}.` : 'Not reported yet.', ' ',
        rec.reported_to_on ? `Results presented to managers on ${rec.reported_to_on}.` : ''),
      h('p', null,
        h('a', {href: `/api/v1/reports/audit-report.html?audit=${rec.id}`, class: 'btn', target: '_blank', rel: 'noopener', id: 'report-html'}, 'Printable report'), ' ',
        h('a', {href: `/api/v1/reports/audit-report.xlsx?audit=${rec.id}`, class: 'btn', download: '', id: 'report-xlsx'}, 'Report (XLSX)')));
    replace(box, box.firstChild, ...parts);
  } catch (e) {
    if (e.name === 'AbortError') return;
    replace(box, box.firstChild, banner(e));
  }
}

// #/audit-coverage?programme=ID — the matrix on its own page (the view's web address).
export async function auditCoveragePage(main, route, signal) {
  document.title = 'Audit coverage · isms';
  const id = route.query.get('programme');
  const box = h('div', null, spinner());
  append(main, h('div', {class: 'page-head'}, h('div', null, h('p', {class: 'eyebrow'}, '9 Performance evaluation · clause 9.2'), pageTitle('Audit coverage matrix'))), box);
  try {
    let pid = id;
    if (!pid) {
      const progs = (await listAll('audit-programmes', {}, {signal})).items;
      if (!progs.length) { replace(box, h('p', null, 'No audit programme yet: ', h('a', {href: '#/t/audit-programmes/new'}, 'plan one'), '.')); return null; }
      pid = progs[0].id;
    }
    const m = await api('GET', 'reports/audit-coverage', {params: {programme: pid}, signal});
    replace(box, h('p', null, h('a', {href: `#/t/audit-programmes/${m.programme.id}`}, m.programme.title), ` · ${m.programme.period_start} to ${m.programme.period_end}`), ...coverageView(m));
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(box, banner(e));
  }
  return null;
}

// #/audit-workspace?audit=ID — an audit's workspace lives on its record page.
export async function auditWorkspacePage(main, route) {
  const id = route.query.get('audit');
  location.replace(id ? `#/t/audits/${id}` : '#/t/audits');
  return null;
}

export const programmeHooks = {decorate: decorateProgramme};
export const auditHooks = {decorate: decorateAudit, navLabel: 'Internal audits'};
