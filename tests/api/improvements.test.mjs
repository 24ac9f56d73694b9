// improvements.test.mjs — 10.1 continual improvement: the improvement register (400s naming
// the field, nothing stored), its dated workflow (proposed → approved → in progress → done
// with its result; rejected with the reason), the 10.1 checks and what is due.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPerson, expectError, expectStatus, linkUser, setup, uniq } from './lib.mjs';

let ctx; let adam; let mona; let tom; let sam; let audrey; let owner;
const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);

async function ok(res, status = 200) { expectStatus(res, status); return res.json; }
const act = (c, id, name, body = {}) => c.post(`/api/v1/improvements/${id}/actions/${name}`, body);
const checks = async () => (await ok(await mona.get('/api/v1/reports/policy-checks'))).checks
  .filter((k) => k.clause === '10.1');
const total = async () => (await ok(await mona.get('/api/v1/improvements'))).total;

async function improvement(fields = {}) {
  return ok(await mona.post('/api/v1/improvements', { title: uniq('Improve'),
    opportunity: 'Automate the access review export.', source: 'suggestion', owner: owner.id, ...fields }), 201);
}

before(async () => {
  ctx = await setup();
  [adam, mona, tom, sam, audrey] = await Promise.all(
    ['adam', 'mona', 'tom', 'sam', 'audrey'].map((u) => ctx.login(u)));
  owner = await createPerson(adam, { name: uniq('Owner') });
  await linkUser(adam, 'mona', (await createPerson(adam, { name: uniq('Mona') })).id);
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('10.1 checks on a new organization', () => {
  test('no improvements in the first year is not a gap; the detail says why', async () => {
    const items = await checks();
    assert.deepEqual(items.map((k) => k.id).sort(), ['improvements-followed', 'improvements-recorded']);
    for (const k of items) assert.equal(k.ok, true, k.detail);
    assert.match(items.find((k) => k.id === 'improvements-recorded').detail, /less than a year/);
  });

  test('after a year without any improvement the check says partly met, and does not fail', async () => {
    await ctx.store.sql("UPDATE people SET created_at = '2024-01-15T10:00:00.000Z'");
    const k = (await checks()).find((x) => x.id === 'improvements-recorded');
    assert.equal(k.ok, true);
    assert.match(k.detail, /^Partly met: no improvement has been recorded in more than a year/);
    assert.match(k.detail, /2024-01-15/);
  });
});

describe('recording improvements', () => {
  test('bad input is 400 naming the field, and nothing is stored', async () => {
    const before = await total();
    const base = { title: uniq('i'), opportunity: 'x', source: 'measurement' };
    const bad = [
      [{ ...base, title: undefined }, 'title'],
      [{ ...base, opportunity: '' }, 'opportunity'],
      [{ ...base, source: undefined }, 'source'],
      [{ ...base, source: 'dream' }, 'source'],
      [{ ...base, owner: 999999 }, 'owner'],
      [{ ...base, nonconformity: 999999 }, 'nonconformity'],
      [{ ...base, due_on: '2026-13-01' }, 'due_on'],
      [{ ...base, status: 'done' }, 'status'],
      [{ ...base, result: 'Great' }, 'result'],
      [{ ...base, title: 'x'.repeat(201) }, 'title'],
    ];
    for (const [body, field] of bad)
      expectError(await mona.post('/api/v1/improvements', body), 400, 'invalid', field);
    assert.equal(await total(), before);
    expectError(await sam.post('/api/v1/improvements', base), 403, 'forbidden');
  });

  test('an improvement from a nonconformity links to it', async () => {
    const nc = await ok(await mona.post('/api/v1/nonconformities', { title: uniq('NC'), source: 'monitoring',
      requirement: 'x' }), 201);
    const i = await improvement({ source: 'nonconformity', nonconformity: nc.id });
    assert.equal(i.status, 'proposed');
    assert.equal(i.nonconformity, nc.id);
  });
});

describe('the workflow', () => {
  test('approve, start and complete are dated; done requires the result', async () => {
    const i = await improvement({ due_on: day(30), expected_benefit: 'Two days saved a quarter.' });
    const a = await ok(await act(tom, i.id, 'approve', {}));
    assert.equal(a.status, 'approved');
    assert.equal(a.approved_by, 'tom');
    assert.equal(a.approved_on, day(0));
    const s = await ok(await act(mona, i.id, 'start', { effective_on: day(-1) }));
    assert.equal(s.status, 'in_progress');
    assert.equal(s.started_on, day(-1));
    expectError(await act(mona, i.id, 'complete'), 400, 'invalid', 'result');
    assert.equal((await ok(await mona.get(`/api/v1/improvements/${i.id}`))).status, 'in_progress');
    const d = await ok(await act(mona, i.id, 'complete', { result: 'Saved 2 days in Q3.' }));
    assert.equal(d.status, 'done');
    assert.equal(d.done_on, day(0));
    assert.equal(d.result, 'Saved 2 days in Q3.');
    assert.equal(d.closed_by, 'mona');
    expectError(await mona.patch(`/api/v1/improvements/${i.id}`, { title: 'changed' }), 409, 'conflict');
    expectError(await act(mona, i.id, 'reject', { reason: 'x' }), 409, 'conflict');
  });

  test('an auditor does not approve improvements; staff take no action', async () => {
    const i = await improvement();
    expectError(await act(audrey, i.id, 'approve'), 403, 'forbidden');
    expectError(await act(sam, i.id, 'approve'), 403, 'forbidden');
    expectError(await act(mona, i.id, 'start'), 409, 'conflict');
  });

  test('rejected with the reason, which is required', async () => {
    const i = await improvement();
    expectError(await act(mona, i.id, 'reject'), 400, 'invalid', 'reason');
    const r = await ok(await act(mona, i.id, 'reject', { reason: 'Costs more than it saves.' }));
    assert.equal(r.status, 'rejected');
    assert.equal(r.reject_reason, 'Costs more than it saves.');
  });
});

describe('checks and what is due', () => {
  test('an approved improvement past its due day fails the check, naming it, and is due', async () => {
    const i = await improvement({ due_on: day(-3) });
    await ok(await act(mona, i.id, 'approve'));
    let k = (await checks()).find((x) => x.id === 'improvements-followed');
    assert.equal(k.ok, false);
    assert.match(k.detail, new RegExp(i.title));
    const due = await ok(await mona.get('/api/v1/due?days=10'));
    assert.ok(due.items.some((x) => x.type === 'improvements' && x.id === i.id), JSON.stringify(due.items.slice(0, 5)));
    await ok(await act(mona, i.id, 'complete', { result: 'Done late.' }));
    k = (await checks()).find((x) => x.id === 'improvements-followed');
    assert.equal(k.ok, true, k.detail);
    const rec = (await checks()).find((x) => x.id === 'improvements-recorded');
    assert.match(rec.detail, /improvements? recorded, \d+ done/);
  });

  test('a proposed improvement is not due yet', async () => {
    const i = await improvement({ due_on: day(2) });
    const due = await ok(await mona.get('/api/v1/due?days=10'));
    assert.ok(!due.items.some((x) => x.type === 'improvements' && x.id === i.id));
  });
});
