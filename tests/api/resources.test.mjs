// resources.test.mjs — 7.1: resources (budget, effort, tools, services) for a period, what
// they serve, approved by top management (authority from the organization's roles, on the
// decision's day); the 7.1 check.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError, expectStatus, grantAuthority, setup, USERS } from './lib.mjs';

let ctx; let adam; let mona; let tom; let sam; let audrey;
const ok = async (res, status = 200) => { expectStatus(res, status); return res.json; };
const check = async () => (await ok(await mona.get('/api/v1/reports/policy-checks'))).checks.find((i) => i.id === 'resources-provided');

before(async () => {
  ctx = await setup({ users: USERS });
  [adam, mona, tom, sam, audrey] = await Promise.all(['adam', 'mona', 'tom', 'sam', 'audrey'].map((u) => ctx.login(u)));
  await grantAuthority(adam, 'tom', { top_management: true });
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('resources', () => {
  test('none recorded: the 7.1 check is not met, in plain words', async () => {
    const c = await check();
    assert.equal(c.ok, false);
    assert.match(c.detail, /no resources are recorded/);
  });

  test('bad input names the field and stores nothing', async () => {
    expectError(await mona.post('/api/v1/resources', { kind: 'budget', period_start: '2026-01-01' }), 400, 'invalid', 'name');
    expectError(await mona.post('/api/v1/resources', { name: 'x', kind: 'money', period_start: '2026-01-01' }), 400, 'invalid', 'kind');
    expectError(await mona.post('/api/v1/resources', { name: 'x', kind: 'budget', period_start: '2026-01-01', period_end: '2025-01-01' }), 400, 'invalid', 'period_end');
    expectError(await mona.post('/api/v1/resources', { name: 'x', kind: 'budget', period_start: '2026-01-01', amount: 5 }), 400, 'invalid', 'unit');
    expectError(await sam.post('/api/v1/resources', { name: 'x', kind: 'budget', period_start: '2026-01-01' }), 403, 'forbidden');
    assert.equal((await ok(await mona.get('/api/v1/resources'))).total, 0);
  });

  test('top management approves (by role, on its day); others may not; auditors never', async () => {
    const r = await ok(await mona.post('/api/v1/resources', { name: 'Security budget', kind: 'budget', amount: 180000,
      unit: 'EUR', period_start: '2026-01-01', period_end: '2099-12-31' }), 201);
    assert.equal(r.status, 'draft');
    expectError(await mona.post(`/api/v1/resources/${r.id}/actions/approve`, {}), 403, 'forbidden');
    expectError(await audrey.post(`/api/v1/resources/${r.id}/actions/approve`, {}), 409, 'conflict');
    assert.equal((await check()).ok, false, 'a draft is not provided yet');
    const a = await ok(await tom.post(`/api/v1/resources/${r.id}/actions/approve`, {}));
    assert.equal(a.status, 'approved');
    assert.equal(a.approved_by, 'tom');
    expectError(await mona.patch(`/api/v1/resources/${r.id}`, { amount: 1 }), 409, 'conflict');
    const c = await check();
    assert.equal(c.ok, true);
    assert.match(c.detail, /1 approved for today/);
  });
});
