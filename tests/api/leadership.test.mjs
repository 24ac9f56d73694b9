// leadership.test.mjs — roles and leadership (5.1, 5.3): roles with the two ISMS duties and
// reporting lines without cycles, role assignments (dates, no overlaps, current holders),
// the RACI (one row = one process or applied control, one entry per role, exactly one
// accountable; the matrix report shows gaps), and leadership evidence by top management only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createPerson, expectError, expectStatus, linkUser, setup, uniq, USERS,
} from './lib.mjs';

const R = '/api/v1/roles';
const RA = '/api/v1/role-assignments';
const X = '/api/v1/raci';
const L = '/api/v1/leadership-evidence';

let ctx;
let mona; let adam; let sam; let tom; let audrey;
let pAnn; let pBob; let pTom;

const today = () => new Date().toISOString().slice(0, 10);
async function role(fields = {}) {
  const r = await mona.post(R, { name: uniq('Role'), responsibilities: 'Keeps things safe.', ...fields });
  expectStatus(r, 201);
  return r.json;
}
async function process(name = uniq('Process')) {
  const r = await mona.post('/api/v1/processes', { name });
  expectStatus(r, 201);
  return r.json;
}

before(async () => {
  ctx = await setup({ users: USERS });
  adam = await ctx.login('adam');
  mona = await ctx.login('mona');
  sam = await ctx.login('sam');
  tom = await ctx.login('tom');
  audrey = await ctx.login('audrey');
  pAnn = await createPerson(adam, { name: uniq('Ann') });
  pBob = await createPerson(adam, { name: uniq('Bob') });
  pTom = await createPerson(adam, { name: uniq('Tom') });
  await linkUser(adam, 'tom', pTom.id);
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('roles', () => {
  test('fields, duties and defaults; names are unique; responsibilities required', async () => {
    const r = await role({ ensures_conformity: true, reports_performance: true, competences: 'ISO 27001 lead implementer' });
    assert.equal(r.ensures_conformity, true);
    assert.equal(r.reports_performance, true);
    assert.equal(r.top_management, false);
    assert.deepEqual(r.holders, []);
    expectError(await mona.post(R, { name: r.name, responsibilities: 'x' }), 409, 'conflict', 'name');
    expectError(await mona.post(R, { name: uniq('Role') }), 400, 'invalid', 'responsibilities');
  });

  test('reporting lines cannot loop', async () => {
    const a = await role();
    const b = await role({ reports_to: a.id });
    const res = await mona.patch(`${R}/${a.id}`, { reports_to: b.id });
    expectError(res, 400, 'invalid', 'reports_to');
    expectError(await mona.patch(`${R}/${a.id}`, { reports_to: a.id }), 400, 'invalid', 'reports_to');
  });

  test('only ISMS managers and admins write roles; everyone reads them', async () => {
    expectError(await sam.post(R, { name: uniq('Role'), responsibilities: 'x' }), 403, 'forbidden');
    expectError(await tom.post(R, { name: uniq('Role'), responsibilities: 'x' }), 403, 'forbidden');
    expectStatus(await sam.get(R), 200);
  });
});

describe('role assignments', () => {
  test('current holders come from assignments that hold today', async () => {
    const r = await role();
    const a = await mona.post(RA, { person: pAnn.id, role: r.id, starts_on: '2020-01-01' });
    expectStatus(a, 201);
    assert.equal(a.json.current, true);
    assert.match(a.json.title, new RegExp(`${pAnn.name} — ${r.name}`));
    const past = await mona.post(RA, { person: pBob.id, role: r.id, starts_on: '2019-01-01', ends_on: '2019-12-31' });
    expectStatus(past, 201);
    assert.equal(past.json.current, false);
    const got = await sam.get(`${R}/${r.id}`);
    assert.deepEqual(got.json.holders, [pAnn.id]);
  });

  test('until before from, and overlapping assignments of the same person and role, are refused', async () => {
    const r = await role();
    expectError(await mona.post(RA, { person: pAnn.id, role: r.id, starts_on: '2024-02-01', ends_on: '2024-01-01' }),
      400, 'invalid', 'ends_on');
    expectStatus(await mona.post(RA, { person: pAnn.id, role: r.id, starts_on: '2024-01-01', ends_on: '2024-06-30' }), 201);
    expectError(await mona.post(RA, { person: pAnn.id, role: r.id, starts_on: '2024-06-01' }), 409, 'conflict', 'starts_on');
    expectStatus(await mona.post(RA, { person: pAnn.id, role: r.id, starts_on: '2024-07-01' }), 201);
    expectError(await mona.post(RA, { person: pAnn.id, role: r.id }), 400, 'invalid', 'starts_on');
  });

  test('a role with assignments cannot be deleted', async () => {
    const r = await role();
    expectStatus(await mona.post(RA, { person: pBob.id, role: r.id, starts_on: '2024-01-01' }), 201);
    expectError(await mona.del(`${R}/${r.id}`), 409, 'in_use');
  });
});

describe('RACI', () => {
  test('one entry per role and row; exactly one accountable; neither or both subjects refused', async () => {
    const p = await process();
    const r1 = await role(); const r2 = await role();
    const a = await mona.post(X, { process: p.id, role: r1.id, assignment: 'accountable' });
    expectStatus(a, 201);
    assert.equal(a.json.title, `${p.name} — ${r1.name} — accountable`, 'derived from the row, the role and the letter');
    expectError(await mona.post(X, { process: p.id, role: r1.id, assignment: 'informed' }), 409, 'conflict', 'role');
    const second = await mona.post(X, { process: p.id, role: r2.id, assignment: 'accountable' });
    expectError(second, 409, 'conflict', 'assignment');
    assert.match(second.json.error.message, /exactly one/);
    const b = await mona.post(X, { process: p.id, role: r2.id, assignment: 'responsible' });
    expectStatus(b, 201);
    // Handing over accountability: first make the old one responsible, then the new one accountable.
    expectStatus(await mona.patch(`${X}/${a.json.id}`, { assignment: 'responsible' }), 200);
    expectStatus(await mona.patch(`${X}/${b.json.id}`, { assignment: 'accountable' }), 200);
    expectError(await mona.post(X, { role: r1.id, assignment: 'informed' }), 400, 'invalid', 'process');
    const c = await mona.post('/api/v1/controls', { name: uniq('Control'), owner: pAnn.id });
    expectStatus(c, 201);
    expectError(await mona.post(X, { process: p.id, control: c.json.id, role: r1.id, assignment: 'informed' }),
      400, 'invalid', 'control');
    expectStatus(await mona.post(X, { control: c.json.id, role: r1.id, assignment: 'consulted' }), 201);
  });

  test('the matrix lists every process and applied control, with cells and gaps', async () => {
    const p = await process();
    const q = await process();
    const r1 = await role();
    expectStatus(await mona.post(X, { process: p.id, role: r1.id, assignment: 'accountable' }), 201);
    const m = await audrey.get('/api/v1/reports/raci');
    expectStatus(m, 200);
    assert.ok(m.json.roles.some((r) => r.id === r1.id));
    const rowP = m.json.rows.find((r) => r.kind === 'process' && r.id === p.id);
    const rowQ = m.json.rows.find((r) => r.kind === 'process' && r.id === q.id);
    assert.equal(rowP.cells[String(r1.id)].value, 'accountable');
    assert.equal(rowP.accountable, 1);
    assert.deepEqual(rowQ.cells, {});
    assert.equal(rowQ.accountable, 0);
    assert.ok(m.json.without_accountable >= 1);
    const c = await mona.post('/api/v1/controls', { name: uniq('Control'), owner: pAnn.id });
    const m2 = await mona.get('/api/v1/reports/raci');
    assert.ok(m2.json.rows.some((r) => r.kind === 'control' && r.id === c.json.id));
    assert.equal(m2.json.without_accountable, m.json.without_accountable + 1);
  });
});

describe('leadership evidence', () => {
  test('must be by someone holding a top-management role on the day (by assignment, not by account role)', async () => {
    const base = { occurred_on: today(), kind: 'decision', summary: 'Approved the ISMS budget',
      description: 'Two more engineers for 2027.' };
    const no = await mona.post(L, { ...base, by_person: pBob.id });
    expectError(no, 400, 'invalid', 'by_person');
    assert.match(no.json.error.message, /top-management role/);
    // Tom's account has the top-management application role: that is a permission, not a
    // place in top management. Once he holds a top-management role, his evidence is accepted.
    expectError(await mona.post(L, { ...base, by_person: pTom.id }), 400, 'invalid', 'by_person');
    const ceo = await role({ top_management: true });
    expectStatus(await mona.post(RA, { person: pTom.id, role: ceo.id, starts_on: '2000-01-01' }), 201);
    expectStatus(await mona.post(L, { ...base, by_person: pTom.id }), 201);
    // Bob becomes the holder of a top-management role from a date: accepted on and after it only.
    const board = await role({ top_management: true });
    expectStatus(await mona.post(RA, { person: pBob.id, role: board.id, starts_on: '2025-01-01' }), 201);
    expectError(await mona.post(L, { ...base, by_person: pBob.id, occurred_on: '2024-12-31' }), 400, 'invalid', 'by_person');
    const ok = await mona.post(L, { ...base, by_person: pBob.id, occurred_on: '2025-03-01', kind: 'communication' });
    expectStatus(ok, 201);
    expectError(await mona.post(L, { ...base, by_person: pTom.id, kind: 'speech' }), 400, 'invalid', 'kind');
  });

  test('top management records its own evidence; staff cannot; links to documents', async () => {
    const d = await mona.post('/api/v1/documents', { identifier: uniq('MIN'), title: 'Board minutes', kind: 'record' });
    expectStatus(d, 201);
    const ev = await tom.post(L, { occurred_on: today(), kind: 'review_participation', summary: 'Chaired the management review',
      description: 'See the minutes.', by_person: pTom.id, documents: [d.json.id] });
    expectStatus(ev, 201);
    assert.deepEqual(ev.json.documents, [d.json.id]);
    expectError(await sam.post(L, { occurred_on: today(), kind: 'decision', summary: 'x', description: 'x', by_person: pTom.id }),
      403, 'forbidden');
    const list = await sam.get(`${L}?kind=review_participation`);
    expectStatus(list, 200);
    assert.ok(list.json.items.some((i) => i.id === ev.json.id));
  });
});

describe('policy checks (clauses 5 and 7.5)', () => {
  const checks = async (client = sam) => {
    const r = await client.get('/api/v1/reports/policy-checks');
    expectStatus(r, 200);
    assert.equal(r.json.total, r.json.checks.length);
    assert.equal(r.json.passed, r.json.checks.filter((c) => c.ok).length);
    return Object.fromEntries(r.json.checks.map((c) => [c.id, c]));
  };

  test('each check fails with a reason, and passes once the records are there', async () => {
    let c = await checks();
    assert.equal(c['policy-published'].ok, false);
    assert.match(c['policy-published'].detail, /no top-level information security policy/);
    assert.equal(c['duty-conformity'].ok, false);
    const r = await role({ ensures_conformity: true });
    expectStatus(await mona.post(RA, { person: pAnn.id, role: r.id, starts_on: '2024-01-01' }), 201);
    c = await checks();
    assert.equal(c['duty-conformity'].ok, true);
    assert.match(c['duty-conformity'].detail, new RegExp(r.name));
    // A process without an accountable role is named.
    const p = await process();
    c = await checks();
    assert.equal(c['raci-accountable'].ok, false);
    assert.ok(c['raci-accountable'].detail.includes(p.name) || /more/.test(c['raci-accountable'].detail));
    // Leadership evidence from the last 12 months counts (tom's earlier items are today).
    assert.equal(c['leadership-evidence'].ok, true);
    // The CLI exits 1 while a check fails, naming how many.
    const cli = await ctx.cli(['--as', 'audrey', 'checks']);
    assert.equal(cli.code, 1);
    assert.match(cli.stdout, /FAIL\s+5\.2/);
    assert.match(cli.stderr, /checks fail/);
  });
});
