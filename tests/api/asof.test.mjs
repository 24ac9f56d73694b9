// asof.test.mjs — "as of" views rebuilt from the change log: GET /api/v1/<type>?as_of=T and
// GET /api/v1/<type>/<id>?as_of=T return records as they stood at T (old values, deleted
// records present, later ones absent), with filters, search, sort and paging applied to the old
// values and no actions; `isms list TYPE --as-of T --json` agrees.
//
// T1 is taken from the server (the updated_at of the last write before it); the test then waits
// until the clock has passed T1 so that every later change is stamped after it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BY_ROLE, createPerson, expectError, expectStatus, RFC3339_UTC, setup } from './lib.mjs';

let ctx;
const as = {};
let mona;
const P = '/api/v1/people';
const R = '/api/v1/risks';

// The people as they stand at T1 (by key) and later.
const before1 = {};
const later = {};
let T1;
let liveAtT1; // GET /api/v1/people at T1, every item
let risksAtT1; // GET /api/v1/risks at T1
let riskOld; // a risk as it stood at T1
let riskLate; // a risk created after T1

const PERSON_FIELDS = ['id', 'version', 'name', 'email', 'department', 'job_title', 'manager',
  'active', 'created_at', 'updated_at'];
const project = (rec, fields = PERSON_FIELDS) => Object.fromEntries(fields.map((f) => [f, rec[f] ?? null]));
const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id);
const q = (params) => new URLSearchParams(params).toString();

async function listAll(client, path, params = {}) {
  const res = await client.get(`${path}?${q({ limit: '500', ...params })}`);
  expectStatus(res, 200);
  assert.ok(Array.isArray(res.json?.items), res.describe());
  return res.json;
}

const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });
async function waitPast(ts) {
  const t = Date.parse(ts);
  for (let i = 0; Date.now() <= t + 1; i++) {
    assert.ok(i < 200, `the clock did not pass ${ts}`);
    await sleep(5);
  }
}

// Expresses an RFC 3339 UTC time with a +02:00 offset (the same instant).
function withOffset(ts) {
  const d = new Date(Date.parse(ts) + 2 * 3600_000);
  return `${d.toISOString().slice(0, 23)}+02:00`;
}

before(async () => {
  ctx = await setup();
  for (const [role, username] of Object.entries(BY_ROLE)) as[role] = await ctx.login(username);
  mona = as.isms_manager;

  // Before T1.
  before1.alice = await createPerson(mona, { name: 'Asof Alice', department: 'Ops',
    email: 'alice@example.com' });
  before1.bob = await createPerson(mona, { name: 'Asof Bob', department: 'Ops' });
  before1.carol = await createPerson(mona, { name: 'Asof Carol', department: 'Sales' });
  before1.dave = await createPerson(mona, { name: 'Asof Dave', department: 'Ops',
    manager: before1.alice.id });
  const rr = await mona.post(R, { title: 'Asof risk old title', owner: before1.alice.id });
  expectStatus(rr, 201);
  riskOld = rr.json;
  // The last write before T1: Bob's job title.
  const b = await mona.patch(`${P}/${before1.bob.id}`, { job_title: 'Engineer' });
  expectStatus(b, 200);
  before1.bob = b.json;
  T1 = b.json.updated_at;
  assert.match(T1, RFC3339_UTC);
  for (const p of Object.values(before1))
    assert.ok(p.updated_at <= T1, `${p.name} written before T1`);
  liveAtT1 = await listAll(mona, P, { sort: 'id' });
  risksAtT1 = await listAll(mona, R, { sort: 'id' });
  assert.ok(risksAtT1.items.find((r) => r.id === riskOld.id).actions.length > 0,
    'the live risk offers actions to the ISMS manager');

  await waitPast(T1);

  // After T1.
  const a = await mona.patch(`${P}/${before1.alice.id}`, { name: 'Asof Alice Renamed',
    department: 'Sales', email: 'alice.renamed@example.com' });
  expectStatus(a, 200);
  assert.ok(a.json.updated_at > T1, `the first change after T1 is stamped after it: ${a.json.updated_at}`);
  later.alice = a.json;
  const c = await mona.patch(`${P}/${before1.carol.id}`, { department: 'Ops' });
  expectStatus(c, 200);
  later.carol = c.json;
  // Dave leaves the directory.
  expectStatus(await mona.del(`${P}/${before1.dave.id}`), 204);
  later.eve = await createPerson(mona, { name: 'Asof Eve', department: 'Ops' });
  const r2 = await mona.patch(`${R}/${riskOld.id}`, { title: 'Asof risk new title' });
  expectStatus(r2, 200);
  const r3 = await mona.post(R, { title: 'Asof risk created later', owner: later.eve.id });
  expectStatus(r3, 201);
  riskLate = r3.json;
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('list as of T1', () => {
  test('the register as it stood at T1: old values, deleted present, later absent', async () => {
    const res = await listAll(as.auditor, P, { as_of: T1 });
    assert.equal(res.total, liveAtT1.total, 'total as at T1');
    assert.equal(res.items.length, liveAtT1.total);
    assert.equal(res.as_of, T1);
    const want = liveAtT1.items.map((p) => project(p)).sort(byName);
    assert.deepEqual(res.items.map((p) => project(p)), want,
      'the same records with the same values, in the default order (name)');
    const names = res.items.map((p) => p.name);
    assert.ok(names.includes('Asof Alice'), 'the old name');
    assert.ok(!names.includes('Asof Alice Renamed'), 'not the new name');
    assert.ok(names.includes('Asof Dave'), 'a record deleted after T1 is present');
    assert.ok(!names.includes('Asof Eve'), 'a record created after T1 is absent');
    const alice = res.items.find((p) => p.id === before1.alice.id);
    assert.equal(alice.department, 'Ops');
    assert.equal(alice.email, 'alice@example.com');
    assert.equal(alice.version, before1.alice.version);
    for (const p of res.items) assert.deepEqual(p.actions, [], `no actions on ${p.name}`);
  });

  test('the live list differs: the changes after T1 show', async () => {
    const live = await listAll(as.auditor, P);
    assert.equal(live.total, liveAtT1.total, 'one deleted, one created');
    const names = live.items.map((p) => p.name);
    assert.ok(names.includes('Asof Alice Renamed'));
    assert.ok(!names.includes('Asof Dave'));
    assert.ok(names.includes('Asof Eve'));
  });

  test('filters apply to the old values', async () => {
    const ops = await listAll(as.auditor, P, { as_of: T1, department: 'Ops' });
    assert.deepEqual(ops.items.map((p) => p.name), ['Asof Alice', 'Asof Bob', 'Asof Dave']);
    assert.equal(ops.total, 3);
    const sales = await listAll(as.auditor, P, { as_of: T1, department: 'Sales' });
    assert.deepEqual(sales.items.map((p) => p.name), ['Asof Carol']);
    assert.equal(sales.total, 1);
    const liveOps = await listAll(as.auditor, P, { department: 'Ops' });
    assert.deepEqual(liveOps.items.map((p) => p.name), ['Asof Bob', 'Asof Carol', 'Asof Eve']);
    const managed = await listAll(as.auditor, P, { as_of: T1, manager: String(before1.alice.id) });
    assert.deepEqual(managed.items.map((p) => p.id), [before1.dave.id]);
    const byId = await listAll(as.auditor, P, { as_of: T1, id: String(before1.dave.id) });
    assert.deepEqual(byId.items.map((p) => p.name), ['Asof Dave']);
  });

  test('search (q) applies to the old values', async () => {
    const liveRenamed = await listAll(as.auditor, P, { q: 'renamed' });
    assert.deepEqual(liveRenamed.items.map((p) => p.id), [before1.alice.id]);
    const alice = await listAll(as.auditor, P, { as_of: T1, q: 'ALICE' });
    assert.deepEqual(alice.items.map((p) => p.name), ['Asof Alice']);
    const engineer = await listAll(as.auditor, P, { as_of: T1, q: 'engineer' });
    assert.deepEqual(engineer.items.map((p) => p.id), [before1.bob.id]);
    const both = await listAll(as.auditor, P, { as_of: T1, q: 'asof', department: 'Ops' });
    assert.equal(both.total, 3);
  });

  test('sort and paging apply to the old values', async () => {
    const desc = await listAll(as.auditor, P, { as_of: T1, sort: '-name', q: 'asof' });
    assert.deepEqual(desc.items.map((p) => p.name),
      ['Asof Dave', 'Asof Carol', 'Asof Bob', 'Asof Alice']);
    const dept = await listAll(as.auditor, P, { as_of: T1, sort: 'department', q: 'asof' });
    assert.deepEqual(dept.items.map((p) => p.department), ['Ops', 'Ops', 'Ops', 'Sales']);
    const page = await as.auditor.get(`${P}?${q({ as_of: T1, q: 'asof', sort: 'name', limit: '2',
      offset: '1' })}`);
    expectStatus(page, 200);
    assert.equal(page.json.total, 4);
    assert.deepEqual(page.json.items.map((p) => p.name), ['Asof Bob', 'Asof Carol']);
  });

  test('the same instant with a UTC offset gives the same view', async () => {
    const utc = await listAll(as.auditor, P, { as_of: T1 });
    const off = await listAll(as.auditor, P, { as_of: withOffset(T1) });
    assert.deepEqual(off.items.map((p) => project(p)), utc.items.map((p) => project(p)));
    assert.equal(off.total, utc.total);
  });

  test('as of a time after the last change it is the live register', async () => {
    const now = new Date(Date.now() + 60_000).toISOString();
    const cur = await listAll(as.auditor, P, { as_of: now });
    const live = await listAll(as.auditor, P);
    assert.deepEqual(cur.items.map((p) => project(p)), live.items.map((p) => project(p)));
  });

  test('risks as of T1: old title, later risk absent, no actions', async () => {
    const res = await listAll(mona, R, { as_of: T1 });
    assert.equal(res.total, risksAtT1.total);
    const old = res.items.find((r) => r.id === riskOld.id);
    assert.ok(old, 'the risk existed at T1');
    assert.equal(old.title, 'Asof risk old title');
    assert.equal(old.version, riskOld.version);
    assert.ok(!res.items.some((r) => r.id === riskLate.id), 'the later risk is absent');
    for (const r of res.items) assert.deepEqual(r.actions, [], 'no actions in the past');
    const filtered = await listAll(mona, R, { as_of: T1, owner: String(before1.alice.id),
      status: 'identified' });
    assert.deepEqual(filtered.items.map((r) => r.id), [riskOld.id]);
    const searched = await listAll(mona, R, { as_of: T1, q: 'old title' });
    assert.deepEqual(searched.items.map((r) => r.id), [riskOld.id]);
  });
});

describe('one record as of T1', () => {
  test('returns the old state with no actions', async () => {
    const res = await as.auditor.get(`${P}/${before1.alice.id}?as_of=${encodeURIComponent(T1)}`);
    expectStatus(res, 200);
    assert.deepEqual(project(res.json), project(before1.alice));
    assert.deepEqual(res.json.actions, []);
    assert.equal(res.json.as_of, T1);
    const bob = await as.auditor.get(`${P}/${before1.bob.id}?as_of=${encodeURIComponent(T1)}`);
    expectStatus(bob, 200);
    assert.equal(bob.json.job_title, 'Engineer', 'the change stamped exactly T1 is included');
    assert.equal(bob.json.version, before1.bob.version);
    const risk = await mona.get(`${R}/${riskOld.id}?as_of=${encodeURIComponent(T1)}`);
    expectStatus(risk, 200);
    assert.equal(risk.json.title, 'Asof risk old title');
    assert.deepEqual(risk.json.actions, []);
  });

  test('a record deleted after T1 is returned as it stood', async () => {
    const res = await as.auditor.get(`${P}/${before1.dave.id}?as_of=${encodeURIComponent(T1)}`);
    expectStatus(res, 200);
    assert.equal(res.json.name, 'Asof Dave');
    assert.equal(res.json.manager, before1.alice.id);
    expectError(await as.auditor.get(`${P}/${before1.dave.id}`), 404, 'not_found');
  });

  test('a record created after T1 is 404', async () => {
    expectError(await as.auditor.get(`${P}/${later.eve.id}?as_of=${encodeURIComponent(T1)}`), 404,
      'not_found');
    expectError(await mona.get(`${R}/${riskLate.id}?as_of=${encodeURIComponent(T1)}`), 404,
      'not_found');
    expectStatus(await as.auditor.get(`${P}/${later.eve.id}`), 200);
  });
});

describe('invalid as_of', () => {
  for (const bad of ['yesterday', '2026-01-01', '2026-13-01T00:00:00Z', '2026-02-30T10:00:00Z',
    '2026-01-01T25:00:00Z', '2026-01-01T10:00:00', '']) {
    test(`as_of=${JSON.stringify(bad)} is 400 field as_of`, async () => {
      const enc = encodeURIComponent(bad);
      expectError(await as.auditor.get(`${P}?as_of=${enc}`), 400, 'invalid', 'as_of');
      expectError(await as.auditor.get(`${P}/${before1.alice.id}?as_of=${enc}`), 400, 'invalid',
        'as_of');
    });
  }
});

describe('the command line', () => {
  test('isms list people --as-of T1 --json matches the API', async () => {
    const api = await listAll(as.auditor, P, { as_of: T1, limit: '50' });
    const r = await ctx.cli(['list', 'people', '--as-of', T1, '--json'], { as: BY_ROLE.auditor });
    assert.equal(r.code, 0, r.describe);
    const cli = JSON.parse(r.stdout);
    assert.equal(cli.total, api.total);
    assert.deepEqual(cli.items.map((p) => project(p)), api.items.map((p) => project(p)));
    const names = cli.items.map((p) => p.name);
    assert.ok(names.includes('Asof Alice') && names.includes('Asof Dave'));
    assert.ok(!names.includes('Asof Eve') && !names.includes('Asof Alice Renamed'));
    const f = await ctx.cli(['list', 'people', 'department=Ops', '--as-of', T1, '--json'],
      { as: BY_ROLE.auditor });
    assert.equal(f.code, 0, f.describe);
    assert.deepEqual(JSON.parse(f.stdout).items.map((p) => p.name),
      ['Asof Alice', 'Asof Bob', 'Asof Dave']);
  });

  test('isms list --as-of before anything existed prints an empty list', async () => {
    const r = await ctx.cli(['list', 'people', '--as-of', '2000-01-01T00:00:00Z', '--json'],
      { as: BY_ROLE.auditor });
    assert.equal(r.code, 0, r.describe);
    const out = JSON.parse(r.stdout);
    assert.deepEqual([out.items, out.total], [[], 0]);
  });

  test('isms list --as-of with a bad time is a usage error', async () => {
    const r = await ctx.cli(['list', 'people', '--as-of', 'yesterday', '--json'],
      { as: BY_ROLE.auditor });
    assert.equal(r.code, 2, r.describe);
  });

  test('isms verify exits 0', async () => {
    const r = await ctx.cli(['verify']);
    assert.equal(r.code, 0, r.describe);
  });
});

// Last, because a server that mishandles an empty as-of result may not survive it.
describe('as-of lists that match nothing', () => {
  test('a search that matched nothing at T1 gives an empty page', async () => {
    const renamed = await listAll(as.auditor, P, { as_of: T1, q: 'renamed' });
    assert.equal(renamed.total, 0, 'the new name did not exist at T1');
    assert.deepEqual(renamed.items, []);
    assert.equal(renamed.as_of, T1);
    const risks = await listAll(mona, R, { as_of: T1, q: 'new title' });
    assert.equal(risks.total, 0);
  });

  test('before anything existed the register is empty', async () => {
    const empty = await listAll(as.auditor, P, { as_of: '2000-01-01T00:00:00Z' });
    assert.equal(empty.total, 0);
    assert.deepEqual(empty.items, []);
  });

  test('the server is still up', async () => {
    expectStatus(await as.auditor.get(`${P}?as_of=${encodeURIComponent(T1)}`), 200);
  });
});
