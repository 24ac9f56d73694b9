// risk_plan.test.mjs — risk owners approve the treatment plan of their own risks (6.1.3 f),
// and the heat map reports (JSON and SVG) count open risks in the method's cells.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPerson, expectError, expectStatus, grantAuthority, linkUser, setup } from './lib.mjs';

let ctx, mona, tom, rita, adam, sam, riskId;

before(async () => {
  ctx = await setup();
  [mona, tom, rita, adam, sam] = await Promise.all(
    ['mona', 'tom', 'rita', 'adam', 'sam'].map((u) => ctx.login(u)));
  // tom's person holds a top-management role: that is what lets tom approve the method.
  await grantAuthority(adam, 'tom', { top_management: true });
  const methods = await mona.get('/api/v1/risk-methods?status=draft');
  expectStatus(methods, 200);
  expectStatus(await tom.post(`/api/v1/risk-methods/${methods.json.items[0].id}/actions/approve`, {}), 200);
  const owner = await createPerson(mona, { name: 'Rita Owner' });
  await linkUser(adam, 'rita', owner.id);
  const risk = await mona.post('/api/v1/risks', { title: 'Plan risk', owner: owner.id, likelihood: 4, consequence: 2 });
  expectStatus(risk, 201);
  riskId = risk.json.id;
  // L4 x C2 is "medium" in the default matrix; a second risk sits in L4 x C4 ("high").
  expectStatus(await mona.post('/api/v1/risks', { title: 'High risk', owner: owner.id, likelihood: 4, consequence: 4 }), 201);
});
after(async () => { await ctx.expectCleanShutdown(); });

describe('approve_plan', () => {
  test('is refused before the risk is treated (409)', async () => {
    expectError(await rita.post(`/api/v1/risks/${riskId}/actions/approve_plan`, {}), 409, 'conflict');
  });

  test('only the owner account may approve the plan; it is recorded with the approver', async () => {
    for (const a of ['analyse', 'evaluate'])
      expectStatus(await mona.post(`/api/v1/risks/${riskId}/actions/${a}`, {}), 200);
    expectStatus(await mona.patch(`/api/v1/risks/${riskId}`, {
      treatment: 'retain', treatment_justification: 'Cheaper to live with.',
      residual_likelihood: 2, residual_consequence: 2 }), 200);
    const treated = await mona.post(`/api/v1/risks/${riskId}/actions/treat`, {});
    expectStatus(treated, 200);
    assert.ok(!treated.json.actions.includes('approve_plan'), 'not offered to the manager');
    expectError(await mona.post(`/api/v1/risks/${riskId}/actions/approve_plan`, {}), 403, 'forbidden');
    expectError(await tom.post(`/api/v1/risks/${riskId}/actions/approve_plan`, {}), 403, 'forbidden');
    const seen = await rita.get(`/api/v1/risks/${riskId}`);
    assert.ok(seen.json.actions.includes('approve_plan'), seen.describe());
    const ok = await rita.post(`/api/v1/risks/${riskId}/actions/approve_plan`, {});
    expectStatus(ok, 200);
    assert.equal(ok.json.plan_approved_by, 'rita');
    assert.equal(ok.json.plan_approved_on, new Date().toISOString().slice(0, 10));
    assert.equal(ok.json.status, 'treated', 'approving the plan does not move the status');
    const hist = await rita.get(`/api/v1/risks/${riskId}/history`);
    const last = hist.json.items.at(-1);
    assert.deepEqual([last.op, last.actor], ['approve_plan', 'rita']);
  });

  test('the plan approval fields are read-only for clients', async () => {
    expectError(await mona.patch(`/api/v1/risks/${riskId}`, { plan_approved_by: 'mona' }), 400, 'invalid', 'plan_approved_by');
  });
});

describe('heat map reports', () => {
  test('counts open risks per likelihood and consequence cell, with the method labels', async () => {
    const res = await sam.get('/api/v1/reports/heatmap?kind=inherent');
    expectStatus(res, 200);
    const m = res.json;
    assert.equal(m.likelihood.length, 5);
    assert.equal(m.consequence[0], 'Negligible');
    assert.equal(m.cells[3][1].count, 1, 'L4 x C2');
    assert.equal(m.cells[3][3].count, 1, 'L4 x C4');
    assert.equal(m.cells[3][3].level, 'high');
    assert.match(m.cells[3][3].colour, /^#[0-9a-f]{6}$/i);
    assert.equal(m.total, 2);
    const residual = await sam.get('/api/v1/reports/heatmap?kind=residual');
    assert.equal(residual.json.cells[1][1].count, 1, 'residual L2 x C2');
    assert.equal(residual.json.total, 1);
  });

  test('as SVG, each cell links to its filtered list', async () => {
    const res = await sam.get('/api/v1/reports/heatmap.svg?kind=inherent');
    expectStatus(res, 200);
    assert.match(res.headers.get('content-type'), /image\/svg\+xml/);
    const svg = res.text;
    assert.match(svg, /^<svg /);
    assert.match(svg, /likelihood=4&amp;consequence=4/);
    assert.match(svg, />Almost certain</);
  });

  test('an unknown kind is refused with the field', async () => {
    expectError(await sam.get('/api/v1/reports/heatmap?kind=other'), 400, 'invalid', 'kind');
  });
});
