// risk_rules.test.mjs — the risk workflow of 6.1.3 f: acceptance needs a treatment option
// and, where treatment applies, an approved plan; the plan approval lapses when the plan
// changes (the risk's treatment and controls, or its treatment actions); an acceptance
// expires and is then due; a risk is closed only with a reason.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPerson, expectError, expectStatus, grantAuthority, linkUser, setup, uniq, USERS } from './lib.mjs';

let ctx; let adam; let mona; let rita; let tom; let pRita;
const ok = async (res, status = 200) => { expectStatus(res, status); return res.json; };
const act = (c, id, name, body = {}) => c.post(`/api/v1/risks/${id}/actions/${name}`, body);
const today = () => new Date().toISOString().slice(0, 10);

before(async () => {
  ctx = await setup({ users: USERS });
  [adam, mona, rita, tom] = await Promise.all(['adam', 'mona', 'rita', 'tom'].map((u) => ctx.login(u)));
  await grantAuthority(adam, 'tom', { top_management: true });
  pRita = await createPerson(adam, { name: uniq('Rita') });
  await linkUser(adam, 'rita', pRita.id);
  const m = (await ok(await mona.get('/api/v1/risk-methods'))).items[0];
  if (m.status === 'draft') await ok(await tom.post(`/api/v1/risk-methods/${m.id}/actions/approve`, {}));
});
after(async () => { if (ctx) await ctx.teardown(); });

// A risk of rita's, scored low (acceptable), evaluated; treated with `treatment` if given.
async function riskAt(treatment) {
  const r = await ok(await mona.post('/api/v1/risks', { title: uniq('Risk'), owner: pRita.id, likelihood: 1, consequence: 1 }), 201);
  await ok(await act(mona, r.id, 'analyse'));
  await ok(await act(mona, r.id, 'evaluate'));
  if (!treatment) return r;
  const c = await ok(await mona.post('/api/v1/controls', { name: uniq('Control'), owner: pRita.id }), 201);
  await ok(await mona.patch(`/api/v1/risks/${r.id}`, { treatment, treatment_justification: 'Because.', controls: [c.id],
    residual_likelihood: 1, residual_consequence: 1 }));
  const t = await ok(await act(mona, r.id, 'treat'));
  return { ...t, control: c.id };
}

describe('accepting a risk (6.1.3 f)', () => {
  test('no treatment option decided: 400 naming treatment, nothing changes', async () => {
    const r = await riskAt(null);
    expectError(await act(rita, r.id, 'accept', { justification: 'Fine.' }), 400, 'invalid', 'treatment');
    assert.equal((await ok(await mona.get(`/api/v1/risks/${r.id}`))).status, 'evaluated');
  });

  test('treatment applies: the plan must be approved first (409), then acceptance expires after the interval', async () => {
    const r = await riskAt('modify');
    const refused = await act(rita, r.id, 'accept', { justification: 'Residual is low.' });
    expectError(refused, 409, 'conflict', 'plan_approved_on');
    assert.match(refused.json.error.message, /6\.1\.3 f/);
    await ok(await act(rita, r.id, 'approve_plan'));
    expectError(await act(rita, r.id, 'accept', { justification: 'x', expires_on: today() }), 400, 'invalid', 'expires_on');
    const acc = await ok(await act(rita, r.id, 'accept', { justification: 'Residual is low.' }));
    assert.equal(acc.status, 'accepted');
    const y = Number(today().slice(0, 4)) + 1;
    assert.equal(acc.acceptance_expires, `${y}${today().slice(4)}`.replace(/-02-29$/, '-02-28'));
  });

  test('retaining needs no plan; an explicit expiry is kept and becomes due when it passes', async () => {
    const r = await riskAt('retain');
    const soon = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
    const acc = await ok(await act(rita, r.id, 'accept', { justification: 'Low.', expires_on: soon }));
    assert.equal(acc.acceptance_expires, soon);
    const due = await ok(await mona.get('/api/v1/due?days=60'));
    const mine = due.items.filter((i) => i.id === r.id);
    assert.ok(mine.some((i) => i.what === 'acceptance expiry' && i.date === soon), JSON.stringify(mine));
  });
});

describe('the plan approval lapses when the plan changes', () => {
  test('a changed treatment or control list, or a new treatment action, clears the approval', async () => {
    const r = await riskAt('modify');
    await ok(await act(rita, r.id, 'approve_plan'));
    let got = await ok(await mona.get(`/api/v1/risks/${r.id}`));
    assert.ok(got.plan_approved_on);
    await ok(await mona.patch(`/api/v1/risks/${r.id}`, { treatment_justification: 'Changed reasons.' }));
    got = await ok(await mona.get(`/api/v1/risks/${r.id}`));
    assert.equal(got.plan_approved_on, null, 'a changed treatment needs approval again');
    await ok(await act(rita, r.id, 'approve_plan'));
    const a = await ok(await mona.post('/api/v1/treatment-actions', { risk: r.id, action: 'Do the thing', status: 'planned' }), 201);
    got = await ok(await mona.get(`/api/v1/risks/${r.id}`));
    assert.equal(got.plan_approved_on, null, 'a new action needs approval again');
    await ok(await act(rita, r.id, 'approve_plan'));
    await ok(await mona.patch(`/api/v1/treatment-actions/${a.id}`, { status: 'in_progress' }));
    got = await ok(await mona.get(`/api/v1/risks/${r.id}`));
    assert.ok(got.plan_approved_on, 'progress on an action leaves the approval');
    const hist = await ok(await mona.get(`/api/v1/risks/${r.id}/history`));
    assert.ok(hist.items.some((i) => i.op === 'plan_changed'));
  });
});

describe('closing a risk', () => {
  test('needs a reason (400), which is kept', async () => {
    const r = await riskAt(null);
    expectError(await act(mona, r.id, 'close', {}), 400, 'invalid', 'reason');
    const closed = await ok(await act(mona, r.id, 'close', { reason: 'The system was switched off.' }));
    assert.equal(closed.status, 'closed');
    assert.equal(closed.closed_reason, 'The system was switched off.');
  });
});
