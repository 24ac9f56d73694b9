// audits.test.mjs — 9.2 internal audit: programmes, audits (scope, impartiality refusal and
// top management's override, workflow), findings (scale, scope, a nonconformity finding opens
// a 10.2 record), the reproducible sample, the coverage matrix, checklist and report, and
// the 9.2 checks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createPerson, expectError, expectStatus, grantAuthority, linkUser, setup, uniq, USERS,
} from './lib.mjs';

let ctx; let adam; let mona; let tom; let audrey; let sam;
let programme; let auditorP; let ownerP; let proc; let raciRole; let raciHolder; let catalog;
let kinds = {};
const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);

async function ok(res, status = 200) { expectStatus(res, status); return res.json; }
const act = (c, id, name, body = {}) => c.post(`/api/v1/audits/${id}/actions/${name}`, body);
const count = async (c, type) => (await ok(await c.get(`/api/v1/${type}?limit=1`))).total;
const checks = async (c) => (await ok(await c.get('/api/v1/reports/policy-checks'))).checks
  .filter((k) => k.clause === '9.2');

async function download(client, pathname) {
  const r = await fetch(ctx.base + pathname, { headers: { Cookie: client.cookie } });
  const body = Buffer.from(await r.arrayBuffer());
  return { status: r.status, headers: r.headers, body, text: body.toString('utf8') };
}

async function audit(fields = {}) {
  return ok(await mona.post('/api/v1/audits', { programme: programme.id, title: uniq('Audit'),
    clauses: ['8.1'], lead_auditor: auditorP.id, planned_start: day(-20), planned_end: day(-10),
    ...fields }), 201);
}

before(async () => {
  ctx = await setup({ users: USERS });
  [adam, mona, tom, audrey, sam] = await Promise.all(
    ['adam', 'mona', 'tom', 'audrey', 'sam'].map((u) => ctx.login(u)));
  await grantAuthority(adam, 'tom', { top_management: true });
  auditorP = await createPerson(adam, { name: uniq('Ivy Auditor') });
  await linkUser(adam, 'audrey', auditorP.id);
  const monaP = await createPerson(adam, { name: uniq('Mona') });
  await linkUser(adam, 'mona', monaP.id);
  ownerP = await createPerson(adam, { name: uniq('Otto Owner') });
  raciHolder = await createPerson(adam, { name: uniq('Rhea Responsible') });
  proc = await ok(await mona.post('/api/v1/processes', { name: uniq('Change management'), owner: ownerP.id }), 201);
  raciRole = await ok(await adam.post('/api/v1/roles', { name: uniq('Release manager'), responsibilities: 'Releases.' }), 201);
  await ok(await adam.post('/api/v1/role-assignments', { person: raciHolder.id, role: raciRole.id,
    starts_on: '2020-01-01' }), 201);
  await ok(await mona.post('/api/v1/raci', { process: proc.id, role: raciRole.id, assignment: 'responsible' }), 201);
  catalog = (await ok(await mona.get('/api/v1/catalog-controls?limit=1'))).items[0];
  for (const k of (await ok(await mona.get('/api/v1/finding-kinds'))).items) kinds[k.name] = k;
  programme = await ok(await mona.post('/api/v1/audit-programmes', { title: uniq('Programme'),
    period_start: day(-100), period_end: day(900), cycle_years: 3, manager: monaP.id,
    objectives: 'Audit the whole ISMS once in three years.' }), 201);
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('the finding scale', () => {
  test('isms seeds five kinds; major and minor are nonconformities', async () => {
    assert.deepEqual(Object.keys(kinds).sort(), ['conformity', 'major_nc', 'minor_nc', 'observation', 'ofi']);
    assert.equal(kinds.minor_nc.is_nonconformity, true);
    assert.equal(kinds.minor_nc.severity, 'minor');
    assert.equal(kinds.observation.is_nonconformity, false);
  });
  test('a nonconformity kind needs a severity (400), and the scale can grow', async () => {
    expectError(await mona.post('/api/v1/finding-kinds', { name: uniq('k'), label: 'Critical', is_nonconformity: true }),
      400, 'invalid', 'severity');
    await ok(await mona.post('/api/v1/finding-kinds', { name: uniq('k'), label: 'Good practice', rank: 60 }), 201);
  });
});

describe('programmes and audits: 400s naming the field, nothing stored', () => {
  test('a programme ends after it starts', async () => {
    const before = await count(mona, 'audit-programmes');
    expectError(await mona.post('/api/v1/audit-programmes', { title: uniq('P'), period_start: '2027-01-01',
      period_end: '2026-01-01' }), 400, 'invalid', 'period_end');
    expectError(await mona.post('/api/v1/audit-programmes', { title: uniq('P'), period_start: '2027-01-01' }),
      400, 'invalid', 'period_end');
    assert.equal(await count(mona, 'audit-programmes'), before);
  });
  test('clauses are clause numbers from 4 to 10, once each; dates in order', async () => {
    const before = await count(mona, 'audits');
    const base = { programme: programme.id, title: uniq('A'), lead_auditor: auditorP.id,
      planned_start: day(10), planned_end: day(12) };
    expectError(await mona.post('/api/v1/audits', { ...base, clauses: ['11.1'] }), 400, 'invalid', 'clauses');
    expectError(await mona.post('/api/v1/audits', { ...base, clauses: ['A'] }), 400, 'invalid', 'clauses');
    expectError(await mona.post('/api/v1/audits', { ...base, clauses: ['8.1', '8.1'] }), 400, 'invalid', 'clauses');
    expectError(await mona.post('/api/v1/audits', { ...base, clauses: '8.1' }), 400, 'invalid', 'clauses');
    expectError(await mona.post('/api/v1/audits', { ...base, planned_end: day(5) }), 400, 'invalid', 'planned_end');
    expectError(await mona.post('/api/v1/audits', { ...base, lead_auditor: undefined }), 400, 'invalid', 'lead_auditor');
    assert.equal(await count(mona, 'audits'), before);
  });
  test('staff read audits but do not write them', async () => {
    expectError(await sam.post('/api/v1/audits', { programme: programme.id, title: 'x', lead_auditor: auditorP.id,
      planned_start: day(1), planned_end: day(2) }), 403, 'forbidden');
  });
});

describe('impartiality', () => {
  test('the owner of a process in scope may not audit it: 409 naming the person and the rule', async () => {
    const before = await count(mona, 'audits');
    const r = await mona.post('/api/v1/audits', { programme: programme.id, title: uniq('A'), processes: [proc.id],
      lead_auditor: ownerP.id, planned_start: day(10), planned_end: day(12) });
    expectError(r, 409, 'conflict', 'lead_auditor');
    assert.match(r.json.error.message, /impartiality/);
    assert.match(r.json.error.message, new RegExp(ownerP.name));
    assert.match(r.json.error.message, /owns the process/);
    assert.equal(await count(mona, 'audits'), before);
  });
  test('a team member whose role is responsible for a process in scope: 409', async () => {
    const a = await audit();
    const r = await mona.patch(`/api/v1/audits/${a.id}`, { team: [raciHolder.id], processes: [proc.id] });
    expectError(r, 409, 'conflict', 'team');
    assert.match(r.json.error.message, new RegExp(raciHolder.name));
    assert.match(r.json.error.message, /RACI/);
    assert.deepEqual((await ok(await mona.get(`/api/v1/audits/${a.id}`))).team, []);
  });
  test('the owner of an applied control implementing an Annex A control in scope: 409', async () => {
    await ok(await mona.post('/api/v1/controls', { name: uniq('Ctl'), owner: auditorP.id, catalog_controls: [catalog.id] }), 201);
    const r = await mona.post('/api/v1/audits', { programme: programme.id, title: uniq('A'), controls: [catalog.id],
      lead_auditor: auditorP.id, planned_start: day(10), planned_end: day(12) });
    expectError(r, 409, 'conflict');
    assert.match(r.json.error.message, /owns the control/);
  });
  test('an override needs a person holding top management (403) and is not an auditor\'s to record (409)', async () => {
    const fields = { programme: programme.id, title: uniq('A'), processes: [proc.id], lead_auditor: ownerP.id,
      planned_start: day(10), planned_end: day(12), impartiality_override: 'Only one person knows it.' };
    expectError(await mona.post('/api/v1/audits', fields), 400, 'invalid', 'override_by');
    expectError(await mona.post('/api/v1/audits', { ...fields, override_by: ownerP.id }), 403, 'forbidden', 'override_by');
    const tomP = (await ok(await adam.get('/api/v1/users?username=tom'))).items[0].person;
    expectError(await audrey.post('/api/v1/audits', { ...fields, override_by: tomP }), 409, 'conflict');
    const before = await count(mona, 'audits');
    expectError(await sam.post('/api/v1/audits', { ...fields, override_by: tomP }), 403, 'forbidden');
    assert.equal(await count(mona, 'audits'), before);
  });
  test('top management\'s override lets the audit through and stays visible with the conflict', async () => {
    const tomP = (await ok(await adam.get('/api/v1/users?username=tom'))).items[0].person;
    const a = await ok(await mona.post('/api/v1/audits', { programme: programme.id, title: uniq('Overridden'),
      processes: [proc.id], lead_auditor: ownerP.id, planned_start: day(10), planned_end: day(12),
      impartiality_override: 'Only one person knows the process; a second auditor reviews.',
      override_by: tomP }), 201);
    assert.equal(a.override_by, tomP);
    assert.equal(a.override_on, day(0));
    assert.equal(a.conflicts.length, 1);
    assert.match(a.conflicts[0], /owns the process/);
    const html = await download(mona, `/api/v1/reports/audit-report.html?audit=${a.id}`);
    assert.equal(html.status, 200);
    assert.match(html.text, /Impartiality override/);
    assert.match(html.text, /a second auditor reviews/);
    const items = await checks(mona);
    const imp = items.find((k) => k.id === 'audit-impartiality');
    assert.equal(imp.ok, true);
    assert.match(imp.detail, /Overridden/);
  });
});

describe('an audit from plan to close', () => {
  let a;
  test('findings wait for fieldwork (409)', async () => {
    a = await audit({ clauses: ['8.1', '8.2'], controls: [], team: [] });
    expectError(await audrey.post('/api/v1/audit-findings', { audit: a.id, clause: '8.1', kind: kinds.observation.id,
      statement: 'x' }), 409, 'conflict', 'audit');
    const started = await ok(await act(audrey, a.id, 'start_fieldwork', { actual_start: day(-20) }));
    assert.equal(started.status, 'fieldwork');
  });
  test('a finding names a clause or control in scope', async () => {
    const before = await count(mona, 'audit-findings');
    const base = { audit: a.id, kind: kinds.observation.id, statement: 'Seen.' };
    expectError(await audrey.post('/api/v1/audit-findings', base), 400, 'invalid', 'clause');
    expectError(await audrey.post('/api/v1/audit-findings', { ...base, clause: '9.9' }), 400, 'invalid', 'clause');
    expectError(await audrey.post('/api/v1/audit-findings', { ...base, clause: '5.1' }), 400, 'invalid', 'clause');
    expectError(await audrey.post('/api/v1/audit-findings', { ...base, control: catalog.id }), 400, 'invalid', 'control');
    expectError(await audrey.post('/api/v1/audit-findings', { ...base, clause: '8.1', control: catalog.id }), 400, 'invalid', 'control');
    assert.equal(await count(mona, 'audit-findings'), before);
  });
  test('a minor nonconformity opens a 10.2 record; an observation does not', async () => {
    const ncBefore = await count(mona, 'nonconformities');
    const f = await ok(await audrey.post('/api/v1/audit-findings', { audit: a.id, clause: '8.1',
      kind: kinds.minor_nc.id, statement: 'Threat models missing for two of nine epics.', evidence: 'Epics sampled.' }), 201);
    const stored = await ok(await mona.get(`/api/v1/audit-findings/${f.id}`));
    assert.ok(stored.nonconformity > 0, JSON.stringify(stored));
    const nc = await ok(await mona.get(`/api/v1/nonconformities/${stored.nonconformity}`));
    assert.equal(nc.source, 'audit_finding');
    assert.equal(nc.severity, 'minor');
    assert.equal(nc.clause, '8.1');
    assert.match(nc.source_detail, new RegExp(`finding #${f.id}`));
    assert.match(nc.requirement, /Threat models missing/);
    const o = await ok(await audrey.post('/api/v1/audit-findings', { audit: a.id, clause: '8.2',
      kind: kinds.observation.id, statement: 'Risk assessment dates are kept by hand.' }), 201);
    assert.equal(o.nonconformity, null);
    assert.equal(await count(mona, 'nonconformities'), ncBefore + 1);
    // Editing the finding opens no second nonconformity.
    await ok(await audrey.patch(`/api/v1/audit-findings/${f.id}`, { evidence: 'Epics 1-9 sampled.' }));
    assert.equal(await count(mona, 'nonconformities'), ncBefore + 1);
  });
  test('the checklist shows a row per clause with its findings', async () => {
    const cl = await ok(await mona.get(`/api/v1/reports/audit-checklist?audit=${a.id}`));
    assert.deepEqual(cl.rows.map((r) => r.key), ['8.1', '8.2']);
    assert.equal(cl.rows[0].findings.length, 1);
    assert.match(cl.rows[0].question, /8\.1/);
  });
  test('report stamps the date; closing needs the results reported to managers (409)', async () => {
    const rep = await ok(await act(audrey, a.id, 'report', { summary: 'Two findings.' }));
    assert.equal(rep.status, 'reported');
    assert.equal(rep.report_date, day(0));
    assert.equal(rep.reported_by, 'audrey');
    const r = await act(mona, a.id, 'close');
    expectError(r, 409, 'conflict', 'reported_to');
    assert.match(r.json.error.message, /reported to/);
    const tomP = (await ok(await adam.get('/api/v1/users?username=tom'))).items[0].person;
    await ok(await mona.patch(`/api/v1/audits/${a.id}`, { reported_to: [tomP], reported_to_on: day(0) }));
    const closed = await ok(await act(mona, a.id, 'close'));
    assert.equal(closed.status, 'closed');
    expectError(await mona.patch(`/api/v1/audits/${a.id}`, { sites: 'x' }), 409, 'conflict');
  });
  test('the report exports as XLSX and HTML with its findings and who it was reported to', async () => {
    const x = await download(mona, `/api/v1/reports/audit-report.xlsx?audit=${a.id}`);
    assert.equal(x.status, 200);
    assert.equal(x.body.subarray(0, 2).toString(), 'PK');
    const h = await download(mona, `/api/v1/reports/audit-report.html?audit=${a.id}`);
    assert.match(h.text, /Threat models missing/);
    assert.match(h.text, /Results reported to/);
    assert.equal((await download(mona, '/api/v1/reports/audit-report.html?audit=999999')).status, 404);
  });
});

describe('audit_sample: the reproducible sample', () => {
  let a;
  const population = Array.from({ length: 40 }, (_, i) => `EPIC-${i + 1}`);
  before(async () => { a = await audit(); });
  test('the same seed draws the same sample, every time and in a new record', async () => {
    const s = await ok(await audrey.post('/api/v1/audit-samples', { audit: a.id, title: 'Epics',
      population, method: 'random', size: 9, seed: 20260714 }), 201);
    assert.equal(s.drawn.length, 9);
    assert.equal(new Set(s.drawn).size, 9);
    for (const item of s.drawn) assert.ok(population.includes(item));
    const again = await ok(await mona.get(`/api/v1/audit-samples/${s.id}`));
    assert.deepEqual(again.drawn, s.drawn);
    const twin = await ok(await mona.post('/api/v1/audit-samples', { audit: a.id, title: 'Epics again',
      population, method: 'random', size: 9, seed: 20260714 }), 201);
    assert.deepEqual(twin.drawn, s.drawn);
    const other = await ok(await mona.post('/api/v1/audit-samples', { audit: a.id, title: 'Other seed',
      population, method: 'random', size: 9, seed: 7 }), 201);
    assert.notDeepEqual(other.drawn, s.drawn);
  });
  test('a known seed draws a known sample (the same on every store and machine)', async () => {
    const s = await ok(await mona.post('/api/v1/audit-samples', { audit: a.id, title: 'Fixed',
      population: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], method: 'random', size: 3, seed: 1 }), 201);
    const t = await ok(await mona.post('/api/v1/audit-samples', { audit: a.id, title: 'Fixed 2',
      population: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], method: 'random', size: 3, seed: 1 }), 201);
    assert.deepEqual(s.drawn, t.drawn);
    assert.deepEqual(s.drawn, FIXED_SAMPLE);
  });
  test('without a seed isms picks one and keeps it', async () => {
    const s = await ok(await mona.post('/api/v1/audit-samples', { audit: a.id, title: 'Seedless',
      population, method: 'systematic', size: 5 }), 201);
    assert.equal(typeof s.seed, 'number');
    assert.equal(s.drawn.length, 5);
    const again = await ok(await mona.get(`/api/v1/audit-samples/${s.id}`));
    assert.equal(again.seed, s.seed);
    assert.deepEqual(again.drawn, s.drawn);
  });
  test('400s: population and size', async () => {
    const before = await count(mona, 'audit-samples');
    const base = { audit: a.id, title: 'Bad', method: 'random', size: 3 };
    expectError(await mona.post('/api/v1/audit-samples', { ...base, population: [] }), 400, 'invalid', 'population');
    expectError(await mona.post('/api/v1/audit-samples', { ...base, population: 'a,b' }), 400, 'invalid', 'population');
    expectError(await mona.post('/api/v1/audit-samples', { ...base, population: [{}] }), 400, 'invalid', 'population');
    expectError(await mona.post('/api/v1/audit-samples', { ...base, population: ['a', 'b'] }), 400, 'invalid', 'size');
    expectError(await mona.post('/api/v1/audit-samples', { ...base, population: ['a'], size: 0 }), 400, 'invalid', 'size');
    expectError(await mona.post('/api/v1/audit-samples', { ...base, population: ['a'], method: 'dice' }), 400, 'invalid', 'method');
    assert.equal(await count(mona, 'audit-samples'), before);
  });
});

describe('the coverage matrix and the 9.2 checks', () => {
  test('rows for every clause 4–10 and applicable control; cells per audit; what is not covered', async () => {
    const m = await ok(await mona.get(`/api/v1/reports/audit-coverage?programme=${programme.id}`));
    assert.equal(m.programme.id, programme.id);
    const clauseRows = m.rows.filter((r) => r.kind === 'clause');
    assert.ok(clauseRows.some((r) => r.key === '4.1') && clauseRows.some((r) => r.key === '10.2'));
    assert.ok(!clauseRows.some((r) => r.key === 'A' || r.key.startsWith('A.')));
    const r81 = m.rows.find((r) => r.key === '8.1');
    assert.equal(r81.status, 'covered');
    assert.ok(r81.findings.minor_nc >= 1);
    assert.ok(Object.values(r81.cells).includes('covered'));
    assert.ok(m.not_covered.includes('4.1'));
    assert.ok(m.rows.some((r) => r.kind === 'control'));
    const x = await download(mona, `/api/v1/reports/audit-coverage.xlsx?programme=${programme.id}`);
    assert.equal(x.status, 200);
    expectError(await mona.get('/api/v1/reports/audit-coverage'), 400, 'invalid', 'programme');
  });
  test('checks: the programme covers today; coverage is not met while clauses are left out', async () => {
    const items = await checks(mona);
    const byId = Object.fromEntries(items.map((k) => [k.id, k]));
    assert.equal(byId['audit-programme'].ok, true);
    assert.equal(byId['audit-coverage'].ok, false);
    assert.match(byId['audit-coverage'].detail, /clause 4\.1/);
    assert.equal(byId['audit-recent'].ok, true);
  });
  test('the CLI prints the matrix', async () => {
    const r = await ctx.cli(['audit-coverage', String(programme.id)], { as: 'mona' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /NOT COVERED/);
  });
});

// Seed 1 over a–h, three items: fixed by libsodium's deterministic generator and Fisher–Yates.
const FIXED_SAMPLE = ['d', 'g', 'c'];
