// authority.test.mjs — who may decide (issue: permissions vs authority). Application roles
// are permissions, and an account may hold several; the authority to approve or accept comes
// from the organization's roles (5.3) its person holds on the decision's day: top management
// by assignment (not by account role), named authorities on roles, the role a document or
// risk method names. Auditors never decide (409). Owners write their documents' versions
// whatever their account role. Audiences name organizational roles. Scope and SoA versions
// are prepared by one person and approved by another with the authority.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createPerson, expectError, expectStatus, grantAuthority, linkUser, setup, uniq, USERS,
} from './lib.mjs';

const EXTRA = {
  cto: { role: 'risk_owner', name: 'Cora CTO' },     // top management by assignment only
  hos: { role: 'isms_manager', name: 'Hal Head' },   // approves documents from a date
  ops: { role: 'staff', name: 'Otto Ops' },          // staff account that owns a document
  multi: { role: 'staff', name: 'Milo Multi' },      // staff + control_owner
  judge: { role: 'auditor', name: 'Jude Auditor' },  // auditor holding a top-management role
};
let ctx; let adam; let mona; let tom; let sam; let cto; let hos; let ops; let multi; let judge;
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n) => new Date(Date.now() - n * 86400e3).toISOString().slice(0, 10);

async function ok(res, status = 200) { expectStatus(res, status); return res.json; }
const act = (c, plural, id, name, body = {}) => c.post(`/api/v1/${plural}/${id}/actions/${name}`, body);

before(async () => {
  ctx = await setup({ users: { ...USERS, ...EXTRA } });
  [adam, mona, tom, sam, cto, hos, ops, multi, judge] = await Promise.all(
    ['adam', 'mona', 'tom', 'sam', 'cto', 'hos', 'ops', 'multi', 'judge'].map((u) => ctx.login(u)));
  await grantAuthority(adam, 'cto', { top_management: true });
  await grantAuthority(adam, 'hos', { approves_documents: true, approves_scope_soa: true }, { since: daysAgo(30) });
  await grantAuthority(adam, 'judge', { top_management: true });
  for (const u of ['ops', 'multi', 'mona', 'sam']) {
    const p = await createPerson(adam, { name: uniq(u) });
    await linkUser(adam, u, p.id);
  }
  const users = await ok(await adam.get('/api/v1/users?username=multi'));
  await ok(await adam.patch(`/api/v1/users/${users.items[0].id}`, { more_roles: ['control_owner'] }));
});
after(async () => { if (ctx) await ctx.teardown(); });

async function docInReview(owner = null, extra = {}) {
  const doc = await ok(await mona.post('/api/v1/documents', { identifier: uniq('PRO'), title: uniq('Procedure'),
    kind: 'procedure', owner, ...extra }), 201);
  const v = await ok(await mona.post('/api/v1/document-versions', { document: doc.id, body: 'Text.' }), 201);
  await ok(await act(mona, 'document-versions', v.id, 'submit'));
  return { doc, v };
}

describe('application roles are permissions, several per account', () => {
  test('more_roles adds what another role may use; bad names are refused naming the field', async () => {
    const me = await ok(await multi.get('/api/v1/session'));
    assert.deepEqual([...me.user.roles].sort(), ['control_owner', 'staff']);
    const users = await ok(await adam.get('/api/v1/users?username=sam'));
    expectError(await adam.patch(`/api/v1/users/${users.items[0].id}`, { more_roles: ['boss'] }), 400, 'invalid', 'more_roles');
    expectError(await adam.patch(`/api/v1/users/${users.items[0].id}`, { more_roles: ['staff', 'staff'] }), 400, 'invalid', 'more_roles');
    expectError(await adam.patch(`/api/v1/users/${users.items[0].id}`, { more_roles: 'staff' }), 400, 'invalid', 'more_roles');
    const meta = await ok(await multi.get('/api/v1/meta'));
    const controls = meta.types.find((t) => t.plural === 'controls');
    const metaSam = await ok(await sam.get('/api/v1/meta'));
    const controlsSam = metaSam.types.find((t) => t.plural === 'controls');
    assert.equal(controls.can_write, true, 'control_owner through more_roles may write controls');
    assert.equal(controlsSam.can_write, false, 'staff alone may not');
  });
});

describe('document approval comes from organizational roles held on the day', () => {
  test('top management by assignment approves, whatever the account role', async () => {
    const { v } = await docInReview();
    expectError(await act(sam, 'document-versions', v.id, 'approve'), 403, 'forbidden');
    const refused = await act(tom, 'document-versions', v.id, 'approve');
    expectError(refused, 403, 'forbidden');
    assert.match(refused.json.error.message, /top-management role/);
    const done = await ok(await act(cto, 'document-versions', v.id, 'approve'));
    assert.equal(done.status, 'approved');
    assert.equal(done.approver, 'cto');
  });

  test('a role that approves documents approves, but only from the day it is held', async () => {
    const { v } = await docInReview();
    const early = await act(hos, 'document-versions', v.id, 'approve', { effective_on: daysAgo(40), reason: 'paper' });
    expectError(early, 403, 'forbidden');
    assert.match(early.json.error.message, new RegExp(daysAgo(40)));
    assert.equal((await ok(await mona.get(`/api/v1/document-versions/${v.id}`))).status, 'in_review', 'nothing changed');
    const done = await ok(await act(hos, 'document-versions', v.id, 'approve', { effective_on: daysAgo(10), reason: 'signed on paper' }));
    assert.equal(done.approved_on, daysAgo(10));
  });

  test('a document naming a role is approved by its holders (and top management), not by others', async () => {
    const named = await ok(await adam.post('/api/v1/roles', { name: uniq('Privacy lead'), responsibilities: 'Privacy.' }), 201);
    const { v } = await docInReview(null, { approval_role: named.id });
    const refused = await act(hos, 'document-versions', v.id, 'approve');
    expectError(refused, 403, 'forbidden');
    assert.match(refused.json.error.message, /Privacy lead/);
    const g = await ok(await adam.get('/api/v1/users?username=sam'));
    await ok(await adam.post('/api/v1/role-assignments', { person: g.items[0].person, role: named.id, starts_on: '2020-01-01' }), 201);
    assert.ok((await ok(await sam.get(`/api/v1/document-versions/${v.id}`))).actions.includes('approve'));
    await ok(await act(sam, 'document-versions', v.id, 'approve'));
  });

  test('the top-level policy is approved by top management only', async () => {
    const pol = await ok(await mona.post('/api/v1/documents', { identifier: uniq('POL'), title: 'Information security policy',
      kind: 'information_security_policy' }), 201);
    const v = await ok(await mona.post('/api/v1/document-versions', { document: pol.id, body: 'Policy.' }), 201);
    await ok(await act(mona, 'document-versions', v.id, 'submit'));
    expectError(await act(hos, 'document-versions', v.id, 'approve'), 403, 'forbidden');
    await ok(await act(cto, 'document-versions', v.id, 'approve'));
  });

  test('an auditor never approves (409 naming impartiality), even holding a top-management role', async () => {
    const { v } = await docInReview();
    const r = await act(judge, 'document-versions', v.id, 'approve');
    expectError(r, 409, 'conflict');
    assert.match(r.json.error.message, /impartial/);
    assert.ok(!(await ok(await judge.get(`/api/v1/document-versions/${v.id}`))).actions.includes('approve'));
  });
});

describe('owners write their documents', () => {
  test('a staff account owning a document writes its versions; another staff account gets 403', async () => {
    const opsUser = await ok(await adam.get('/api/v1/users?username=ops'));
    const doc = await ok(await mona.post('/api/v1/documents', { identifier: uniq('PRO'), title: 'Runbook', kind: 'procedure',
      owner: opsUser.items[0].person }), 201);
    const v = await ok(await ops.post('/api/v1/document-versions', { document: doc.id, body: 'Steps.' }), 201);
    assert.equal(v.can_edit, true);
    await ok(await ops.patch(`/api/v1/document-versions/${v.id}`, { body: 'Better steps.' }));
    expectError(await sam.patch(`/api/v1/document-versions/${v.id}`, { body: 'Mine now.' }), 403, 'forbidden');
    assert.equal((await ok(await sam.get(`/api/v1/document-versions/${v.id}`))).can_edit, false);
    expectError(await sam.post('/api/v1/document-versions', { document: doc.id, body: 'x' }), 403, 'forbidden');
  });
});

describe('audiences name organizational roles', () => {
  test('holders of the named role are the audience, others are not', async () => {
    const role = await ok(await adam.post('/api/v1/roles', { name: uniq('On-call engineer'), responsibilities: 'On call.' }), 201);
    const opsUser = await ok(await adam.get('/api/v1/users?username=ops'));
    await ok(await adam.post('/api/v1/role-assignments', { person: opsUser.items[0].person, role: role.id, starts_on: '2020-01-01' }), 201);
    expectError(await mona.post('/api/v1/documents', { identifier: uniq('PRO'), title: 'x', kind: 'procedure', audience: 'roles' }),
      400, 'invalid', 'audience_roles');
    const doc = await ok(await mona.post('/api/v1/documents', { identifier: uniq('PRO'), title: 'On-call guide', kind: 'procedure',
      audience: 'roles', audience_roles: [role.id] }), 201);
    const v = await ok(await mona.post('/api/v1/document-versions', { document: doc.id, body: 'Be on call.' }), 201);
    await ok(await act(mona, 'document-versions', v.id, 'submit'));
    await ok(await act(cto, 'document-versions', v.id, 'approve'));
    await ok(await act(mona, 'document-versions', v.id, 'publish'));
    const progress = await ok(await mona.get(`/api/v1/reports/acknowledgements?document=${doc.id}`));
    const text = JSON.stringify(progress);
    assert.match(text, /Otto Ops|ops/);
    expectError(await act(sam, 'document-versions', v.id, 'acknowledge'), 403, 'forbidden');
    await ok(await act(ops, 'document-versions', v.id, 'acknowledge'));
  });
});

describe('risk acceptance above the threshold', () => {
  test('the method names an organizational role; top management and "accepts up to" also accept', async () => {
    const methods = await ok(await mona.get('/api/v1/risk-methods'));
    const m = methods.items[0];
    const f = (await ok(await mona.get('/api/v1/meta'))).types.find((t) => t.plural === 'risk-methods').fields;
    assert.ok(f.find((x) => x.name === 'accepting_role' && x.type === 'reference'));
    assert.ok(!f.find((x) => x.name === 'acceptance_role'), 'the application-role field is gone');
    expectError(await act(mona, 'risk-methods', m.id, 'approve'), 403, 'forbidden');
    if (m.status === 'draft') await ok(await act(cto, 'risk-methods', m.id, 'approve'));
    expectError(await adam.post('/api/v1/roles', { name: uniq('Bad'), responsibilities: 'x', accepts_up_to: 'enormous' }),
      400, 'invalid', 'accepts_up_to');
    await ok(await adam.post('/api/v1/roles', { name: uniq('Good'), responsibilities: 'x', accepts_up_to: 'high' }), 201);
  });
});

describe('scope: prepared and submitted by one, approved by another with the authority', () => {
  test('submit, four eyes, authority, return to draft', async () => {
    const s = await ok(await mona.post('/api/v1/scopes', { title: uniq('Scope'), statement: 'All of it.' }), 201);
    assert.deepEqual(s.actions, ['submit']);
    const sub = await ok(await act(mona, 'scopes', s.id, 'submit'));
    assert.equal(sub.status, 'submitted');
    assert.equal(sub.submitted_by, 'mona');
    expectError(await mona.patch(`/api/v1/scopes/${s.id}`, { units: 'x' }), 409, 'conflict');
    expectError(await act(tom, 'scopes', s.id, 'approve'), 403, 'forbidden');
    const back = await ok(await act(cto, 'scopes', s.id, 'return'));
    assert.equal(back.status, 'draft');
    assert.equal(back.submitted_by, null);
    await ok(await act(hos, 'scopes', s.id, 'submit'));
    const self = await act(hos, 'scopes', s.id, 'approve');
    expectError(self, 409, 'conflict');
    assert.match(self.json.error.message, /four eyes/);
    const done = await ok(await act(cto, 'scopes', s.id, 'approve'));
    assert.equal(done.status, 'approved');
    assert.equal(done.approved_by, 'cto');
    expectError(await act(judge, 'scopes', s.id, 'approve'), 409, 'conflict');
  });
});

describe('SoA versions: frozen only when every entry is decided, then approved by another', () => {
  test('409 lists undecided entries; prepared, approved and numbered; approved ones stay', async () => {
    const first = await mona.post('/api/v1/soa-versions', {});
    expectError(first, 409, 'conflict', 'entries');
    assert.match(first.json.error.message, /applicable but no reason for inclusion/);
    const entries = await ok(await mona.get('/api/v1/soa?limit=200'));
    assert.equal(entries.items.length, 93);
    for (const e of entries.items)
      await ok(await mona.patch(`/api/v1/soa/${e.id}`, { inclusion_reasons: ['good_practice'] }));
    expectError(await mona.patch(`/api/v1/soa/${entries.items[0].id}`, { status_override: 'implemented' }), 400, 'invalid', 'note');
    const prepared = await ok(await mona.post('/api/v1/soa-versions', { note: 'First.' }), 201);
    assert.equal(prepared.status, 'prepared');
    assert.equal(prepared.number, null);
    assert.equal(prepared.prepared_by, 'mona');
    assert.match(prepared.content_hash, /^[0-9a-f]{64}$/);
    expectError(await act(mona, 'soa-versions', prepared.id, 'approve'), 403, 'forbidden');
    const self = await ok(await adam.post('/api/v1/soa-versions', {}), 201);
    const selfApprove = await act(hos, 'soa-versions', prepared.id, 'approve', { effective_on: today() });
    const approved = await ok(selfApprove);
    assert.equal(approved.status, 'approved');
    assert.equal(approved.number, 1);
    assert.equal(approved.title, 'SoA version 1');
    expectError(await adam.del(`/api/v1/soa-versions/${prepared.id}`), 409, 'conflict');
    expectStatus(await adam.del(`/api/v1/soa-versions/${self.id}`), 204);
    expectError(await mona.patch(`/api/v1/soa-versions/${prepared.id}`, { note: 'x' }), 409, 'conflict');
  });
});

describe('decisions recorded for someone else (a signature on paper)', () => {
  test('a recorder names the decider; their authority on the day counts; others may not', async () => {
    const ctoUser = (await ok(await adam.get('/api/v1/users?username=cto'))).items[0];
    const samUser = (await ok(await adam.get('/api/v1/users?username=sam'))).items[0];
    const { v } = await docInReview();
    const notMine = await act(sam, 'document-versions', v.id, 'approve', { decided_by: ctoUser.person });
    expectError(notMine, 403, 'forbidden', 'decided_by');
    const noAuthority = await act(mona, 'document-versions', v.id, 'approve',
      { decided_by: samUser.person, effective_on: daysAgo(20), reason: 'signed at the board meeting' });
    expectError(noAuthority, 403, 'forbidden');
    assert.match(noAuthority.json.error.message, /sam/);
    expectError(await act(mona, 'document-versions', v.id, 'approve', { decided_by: 999999 }), 400, 'invalid', 'decided_by');
    const done = await ok(await act(mona, 'document-versions', v.id, 'approve',
      { decided_by: ctoUser.person, effective_on: daysAgo(20), reason: 'signed at the board meeting' }));
    assert.equal(done.approver, 'cto');
    assert.equal(done.approved_on, daysAgo(20));
    const hist = await ok(await mona.get(`/api/v1/document-versions/${v.id}/history`));
    const last = hist.items.at(-1);
    assert.equal(last.actor, 'mona', 'the log names who keyed it in');
    assert.equal(last.decided_by, 'cto');
    assert.equal(last.effective_on, daysAgo(20));
  });
});

describe('four eyes means four eyes: whoever changed the content does not approve it', () => {
  test('an approver who edits a version in review may no longer approve it', async () => {
    const { v } = await docInReview();
    await ok(await hos.patch(`/api/v1/document-versions/${v.id}`, { body: 'My own text now.' }));
    const r = await act(hos, 'document-versions', v.id, 'approve');
    expectError(r, 409, 'conflict');
    assert.match(r.json.error.message, /four eyes/);
    await ok(await act(cto, 'document-versions', v.id, 'approve'));
  });

  test('any earlier editor of a scope is excluded, not only the last one', async () => {
    const s = await ok(await hos.post('/api/v1/scopes', { title: uniq('Scope'), statement: 'First text.' }), 201);
    await ok(await adam.patch(`/api/v1/scopes/${s.id}`, { statement: 'Second text.' }));
    await ok(await mona.post(`/api/v1/scopes/${s.id}/actions/submit`, {}));
    const r = await act(hos, 'scopes', s.id, 'approve');
    expectError(r, 409, 'conflict');
    assert.match(r.json.error.message, /wrote or changed this scope/);
    await ok(await act(cto, 'scopes', s.id, 'approve'));
  });
});
