// actions.test.mjs — the test-widgets workflow: submit, approve, reopen; the actions array;
// roles, states and history entries for actions.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BY_ROLE, createWidget, expectError, expectOk, expectStatus, ROLES, setup,
} from './lib.mjs';

let ctx;
const as = {}; // role -> cookie client
const W = '/api/v1/test-widgets';

before(async () => {
  ctx = await setup();
  for (const [role, username] of Object.entries(BY_ROLE)) as[role] = await ctx.login(username);
});
after(async () => { if (ctx) await ctx.teardown(); });

const act = (client, id, name, body, opts) => client.post(`${W}/${id}/actions/${name}`, body, opts);

async function state(id) {
  const res = await as.staff.get(`${W}/${id}`);
  expectStatus(res, 200);
  return res.json;
}

// What each role may do in each state, per the contract.
const EXPECTED = {
  draft: { admin: ['submit'], isms_manager: ['submit'], risk_owner: ['submit'] },
  review: { top_management: ['approve'] },
  approved: { isms_manager: ['reopen'] },
};

async function expectActions(id, status) {
  for (const role of ROLES) {
    const res = await as[role].get(`${W}/${id}`);
    expectStatus(res, 200);
    assert.equal(res.json.status, status);
    const want = EXPECTED[status][role] || [];
    assert.deepEqual([...res.json.actions].sort(), want, `actions for ${role} on a ${status} widget`);
  }
}

test('the full workflow draft → review → approved → draft with the actions array at each step', async () => {
  const w = await createWidget(as.isms_manager, { title: 'Workflow One' });
  assert.equal(w.status, 'draft');
  assert.deepEqual(w.actions, ['submit'], 'the creator (isms_manager) may submit a draft');
  await expectActions(w.id, 'draft');

  // submit: no body needed.
  const submitted = await as.isms_manager.request('POST', `${W}/${w.id}/actions/submit`);
  expectOk(submitted);
  await expectActions(w.id, 'review');

  const approved = await act(as.top_management, w.id, 'approve', { note: 'Looks good to me' });
  expectOk(approved);
  const a = await state(w.id);
  assert.equal(a.status, 'approved');
  assert.equal(a.approval_note, 'Looks good to me');
  await expectActions(w.id, 'approved');

  const reopened = await act(as.isms_manager, w.id, 'reopen', {});
  expectOk(reopened);
  assert.equal((await state(w.id)).status, 'draft');
  await expectActions(w.id, 'draft');
});

test('each action is its own history entry with op = action and actor = username', async () => {
  const w = await createWidget(as.risk_owner, { title: 'Workflow History' });
  expectOk(await act(as.risk_owner, w.id, 'submit', {}));
  expectOk(await act(as.top_management, w.id, 'approve', { note: 'Approved for history' }));
  expectOk(await act(as.isms_manager, w.id, 'reopen'));
  const res = await as.auditor.get(`${W}/${w.id}/history`);
  expectStatus(res, 200);
  const entries = res.json.items.map((e) => [e.op, e.actor]);
  assert.deepEqual(entries, [
    ['create', BY_ROLE.risk_owner], ['submit', BY_ROLE.risk_owner],
    ['approve', BY_ROLE.top_management], ['reopen', BY_ROLE.isms_manager],
  ]);
  assert.equal(res.json.total, 4);
  const [, sub, app, reo] = res.json.items;
  assert.equal(sub.state.status, 'review');
  assert.equal(app.state.status, 'approved');
  assert.equal(app.state.approval_note, 'Approved for history');
  assert.equal(reo.state.status, 'draft');
});

test('the wrong role for an action gives 403 forbidden and changes nothing', async () => {
  const w = await createWidget(as.admin, { title: 'Workflow Roles' });
  for (const role of ['top_management', 'control_owner', 'auditor', 'staff'])
    expectError(await act(as[role], w.id, 'submit', {}), 403, 'forbidden');
  assert.equal((await state(w.id)).status, 'draft');

  expectOk(await act(as.admin, w.id, 'submit', {}));
  for (const role of ['admin', 'isms_manager', 'risk_owner', 'control_owner', 'auditor', 'staff'])
    expectError(await act(as[role], w.id, 'approve', { note: `by ${role}` }), 403, 'forbidden');
  assert.equal((await state(w.id)).status, 'review');

  expectOk(await act(as.top_management, w.id, 'approve', { note: 'ok' }));
  for (const role of ['admin', 'top_management', 'risk_owner', 'control_owner', 'auditor', 'staff'])
    expectError(await act(as[role], w.id, 'reopen', {}), 403, 'forbidden');
  assert.equal((await state(w.id)).status, 'approved');
});

test('an action not valid from the current state gives 409 conflict', async () => {
  const w = await createWidget(as.isms_manager, { title: 'Workflow States' });
  expectError(await act(as.top_management, w.id, 'approve', { note: 'too early' }), 409, 'conflict');
  expectError(await act(as.isms_manager, w.id, 'reopen', {}), 409, 'conflict');
  expectOk(await act(as.isms_manager, w.id, 'submit', {}));
  expectError(await act(as.isms_manager, w.id, 'submit', {}), 409, 'conflict');
  expectOk(await act(as.top_management, w.id, 'approve', { note: 'fine' }));
  expectError(await act(as.isms_manager, w.id, 'submit', {}), 409, 'conflict');
  expectError(await act(as.top_management, w.id, 'approve', { note: 'again' }), 409, 'conflict');
  const s = await state(w.id);
  assert.equal(s.status, 'approved');
  assert.equal(s.approval_note, 'fine');
});

test('approve needs a note: missing gives 400 field note', async () => {
  const w = await createWidget(as.isms_manager, { title: 'Workflow Note' });
  expectOk(await act(as.isms_manager, w.id, 'submit', {}));
  expectError(await act(as.top_management, w.id, 'approve', {}), 400, 'invalid', 'note');
  expectError(await act(as.top_management, w.id, 'approve'), 400, 'invalid', 'note');
  assert.equal((await state(w.id)).status, 'review');
});

test('an unknown action or widget gives 404 not_found', async () => {
  const w = await createWidget(as.isms_manager, { title: 'Workflow Unknown' });
  expectError(await act(as.isms_manager, w.id, 'launch', {}), 404, 'not_found');
  expectError(await act(as.isms_manager, 999999, 'submit', {}), 404, 'not_found');
  assert.equal((await state(w.id)).status, 'draft');
});

test('actions through a cookie session need the CSRF token', async () => {
  const w = await createWidget(as.isms_manager, { title: 'Workflow Csrf' });
  expectError(await act(as.isms_manager, w.id, 'submit', {}, { csrf: false }), 403, 'csrf');
  assert.equal((await state(w.id)).status, 'draft');
});

test('the server exits 0 on SIGTERM', async () => {
  await ctx.expectCleanShutdown();
});
