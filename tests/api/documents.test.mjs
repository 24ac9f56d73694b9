// documents.test.mjs — documented information (7.5) and the policy framework (5.2): the
// document register (validation field by field, the framework tree, computed fields) and
// document versions (numbering, one draft at a time, the policy template, safe Markdown
// rendering, and the submit → approve → publish → withdraw workflow with its rules: roles,
// the document owner's account, four eyes, top management for the top-level policy,
// immutability once approved, publishing withdraws the previous version), history, verify.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  actionName, BY_ROLE, createPerson, expectError, expectRecord, expectStatus, grantAuthority, setup,
  uniq, linkUser, USERS,
} from './lib.mjs';

const D = '/api/v1/documents';
const V = '/api/v1/document-versions';
const EXTRA_USERS = { mia: { role: 'isms_manager', name: 'Mia Manager' },
  tia: { role: 'top_management', name: 'Tia Top' } };

let ctx;
const as = {};
let mona; let mia; let tom; let tia; let adam; let carl; let sam;
let pCarl; // the person linked to carl's account
let pTom; // the person linked to tom's account (holding a top-management role)
let privacy; let champions; // organizational roles (not application roles)
let isp; // the top-level policy

async function createDoc(client, body) {
  const res = await client.post(D, body);
  expectStatus(res, 201);
  expectRecord(res.json, 'document');
  return res.json;
}
const getDoc = async (id) => { const r = await mona.get(`${D}/${id}`); expectStatus(r, 200); return r.json; };
const getVer = async (id) => { const r = await mona.get(`${V}/${id}`); expectStatus(r, 200); return r.json; };
async function newVersion(client, document, body = {}) {
  const res = await client.post(V, { document, ...body });
  expectStatus(res, 201);
  expectRecord(res.json, 'document version');
  return res.json;
}
const act = (client, id, name, body) => (body === undefined
  ? client.request('POST', `${V}/${id}/actions/${name}`)
  : client.post(`${V}/${id}/actions/${name}`, body));
async function actOk(client, id, name) {
  const res = await act(client, id, name);
  assert.ok(res.status >= 200 && res.status < 300, `${name}: ${res.describe()}`);
  return res.json;
}
const docBody = (over = {}) => ({ identifier: uniq('PRO'), title: uniq('Backup procedure'),
  kind: 'procedure', ...over });
const utcToday = () => new Date().toISOString().slice(0, 10);
function addMonths(date, months) {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12); const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

before(async () => {
  ctx = await setup({ users: { ...USERS, ...EXTRA_USERS } });
  for (const [username, u] of Object.entries(USERS)) as[u.role] = await ctx.login(username);
  ({ isms_manager: mona, top_management: tom, admin: adam, control_owner: carl, staff: sam } = as);
  mia = await ctx.login('mia');
  tia = await ctx.login('tia');
  pCarl = await createPerson(adam, { name: 'Carl Control (person)' });
  await linkUser(adam, BY_ROLE.control_owner, pCarl.id);
  // Authority to approve comes from the organization's roles the account's person holds:
  // tom and tia are top management, mia and mona hold a role that approves documents.
  ({ person: pTom } = await grantAuthority(adam, 'tom', { top_management: true }));
  await grantAuthority(adam, 'tia', { top_management: true });
  await grantAuthority(adam, 'mia', { approves_documents: true });
  await grantAuthority(adam, 'mona', { approves_documents: true });
  for (const name of ['Privacy lead', 'Security champion']) {
    const r = await adam.post('/api/v1/roles', { name: uniq(name), responsibilities: `${name}.` });
    expectStatus(r, 201);
    if (name === 'Privacy lead') privacy = r.json; else champions = r.json;
  }
  isp = await createDoc(mona, { identifier: uniq('POL'), title: 'Information security policy',
    kind: 'information_security_policy' });
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('documents: creation and validation', () => {
  test('defaults and computed fields on create', async () => {
    const d = await createDoc(mona, docBody());
    assert.equal(d.classification, 'internal');
    assert.equal(d.audience, 'all_staff');
    assert.equal(d.review_months, 12);
    assert.equal(d.approval_role, null, 'no named role: a role that approves documents approves');
    assert.ok(!('approver_role' in d), 'the application-role field is gone');
    assert.equal(d.status, 'draft');
    assert.equal(d.current_version, null);
    assert.equal(d.next_review, null);
  });

  test('required fields are named', async () => {
    for (const f of ['identifier', 'title', 'kind']) {
      const body = docBody();
      delete body[f];
      expectError(await mona.post(D, body), 400, 'invalid', f);
    }
  });

  test('identifier is unique', async () => {
    const d = await createDoc(mona, docBody());
    expectError(await mona.post(D, docBody({ identifier: d.identifier })), 409, 'conflict', 'identifier');
  });

  test('bad values are refused naming the field', async () => {
    const bad = [['kind', 'poem'], ['classification', 'secret'], ['audience', 'everyone'],
      ['review_months', 0], ['review_months', 61], ['approval_role', 'king'], ['approval_role', 999999],
      ['approver_role', 'isms_manager'],
      ['owner', 999999], ['parent', 999999], ['audience_roles', 'staff'],
      ['audience_roles', ['staff']], ['audience_roles', [999999]]];
    for (const [field, value] of bad)
      expectError(await mona.post(D, docBody({ [field]: value })), 400, 'invalid', field);
  });

  test('audience "roles" needs organizational roles; valid ones are kept', async () => {
    expectError(await mona.post(D, docBody({ audience: 'roles' })), 400, 'invalid', 'audience_roles');
    expectError(await mona.post(D, docBody({ audience: 'roles', audience_roles: [] })), 400, 'invalid', 'audience_roles');
    expectError(await mona.post(D, docBody({ audience: 'roles', audience_roles: ['isms_manager', 'staff'] })),
      400, 'invalid', 'audience_roles');
    const d = await createDoc(mona, docBody({ audience: 'roles', audience_roles: [champions.id, privacy.id, champions.id] }));
    assert.deepEqual(d.audience_roles, [privacy.id, champions.id].sort((a, b) => a - b), 'one of each, in order');
  });

  test('external documents need origin and origin version', async () => {
    expectError(await mona.post(D, docBody({ kind: 'external' })), 400, 'invalid', 'origin');
    expectError(await mona.post(D, docBody({ kind: 'external', origin: 'Vendor' })), 400, 'invalid', 'origin_version');
    const d = await createDoc(mona, docBody({ kind: 'external', origin: 'Vendor', origin_version: '3.1' }));
    assert.equal(d.origin_version, '3.1');
  });

  test('read-only fields cannot be sent', async () => {
    for (const [f, v] of [['status', 'published'], ['next_review', '2030-01-01'], ['current_version', 1]])
      expectError(await mona.post(D, docBody({ [f]: v })), 400, 'invalid', f);
  });

  test('roles: staff and auditors cannot write documents', async () => {
    expectError(await sam.post(D, docBody()), 403, 'forbidden');
    expectError(await as.auditor.post(D, docBody()), 403, 'forbidden');
    expectStatus(await sam.get(D), 200);
  });

  test('the top-level policy is always approved by top management: it names no other role', async () => {
    assert.equal(isp.approval_role, null);
    const res = await mona.patch(`${D}/${isp.id}`, { approval_role: privacy.id });
    expectStatus(res, 200);
    assert.equal(res.json.approval_role, null);
  });
});

describe('documents: the policy framework tree', () => {
  test('a topic-specific policy must sit under an information security policy', async () => {
    const body = { identifier: uniq('POL'), title: 'Access control policy', kind: 'topic_specific_policy' };
    expectError(await mona.post(D, body), 400, 'invalid', 'parent');
    const proc = await createDoc(mona, docBody());
    expectError(await mona.post(D, { ...body, parent: proc.id }), 400, 'invalid', 'parent');
    const tsp = await createDoc(mona, { ...body, parent: isp.id });
    assert.equal(tsp.parent, isp.id);
    // moving it under a procedure later is refused too
    expectError(await mona.patch(`${D}/${tsp.id}`, { parent: proc.id }), 400, 'invalid', 'parent');
    // the top-level policy cannot lose its kind while policies sit under it
    expectError(await mona.patch(`${D}/${isp.id}`, { kind: 'procedure' }), 409, 'conflict', 'kind');
  });

  test('the top-level policy sits under nothing; no document sits under itself', async () => {
    const other = await createDoc(mona, docBody());
    expectError(await mona.post(D, { identifier: uniq('POL'), title: 'x',
      kind: 'information_security_policy', parent: other.id }), 400, 'invalid', 'parent');
    const a = await createDoc(mona, docBody());
    const b = await createDoc(mona, docBody({ parent: a.id }));
    expectError(await mona.patch(`${D}/${a.id}`, { parent: b.id }), 400, 'invalid', 'parent');
    expectError(await mona.patch(`${D}/${a.id}`, { parent: a.id }), 400, 'invalid', 'parent');
  });
});

describe('document versions', () => {
  test('numbers, author, title; a policy starts from the template', async () => {
    const pol = await createDoc(mona, { identifier: uniq('POL'), title: 'Cryptography policy',
      kind: 'topic_specific_policy', parent: isp.id });
    const v1 = await newVersion(mona, pol.id);
    assert.equal(v1.number, 1);
    assert.equal(v1.status, 'draft');
    assert.equal(v1.author, BY_ROLE.isms_manager);
    assert.equal(v1.title, `${pol.identifier} v1`);
    for (const h of ['Administrative data', 'Summary', 'Introduction', 'Scope',
      'Objectives and principles', 'Responsibilities', 'Key outcomes', 'Related policies',
      'Requirements', 'References', 'Glossary'])
      assert.ok(v1.body.includes(`# ${h}`), `template has ${h}: ${v1.body}`);
    assert.ok(v1.html.body.includes('<h1>Scope</h1>'), v1.html.body);
    const doc = await getDoc(pol.id);
    assert.equal(doc.current_version, v1.id);
    assert.equal(doc.status, 'draft');
    // one draft at a time
    expectError(await mona.post(V, { document: pol.id, body: 'again' }), 409, 'conflict');
    // a procedure gets no template
    const proc = await createDoc(mona, docBody());
    const pv = await newVersion(mona, proc.id);
    assert.equal(pv.body, null);
  });

  test('Markdown is rendered safely', async () => {
    const proc = await createDoc(mona, docBody());
    const v = await newVersion(mona, proc.id, {
      body: 'Some **bold** text\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2)) <img src=x onerror=alert(3)>' });
    assert.ok(v.html.body.includes('<strong>bold</strong>'), v.html.body);
    assert.ok(!/<script/i.test(v.html.body), v.html.body);
    assert.ok(!/javascript:/i.test(v.html.body), v.html.body);
    assert.ok(!/<img/i.test(v.html.body), v.html.body);
    const again = await getVer(v.id);
    assert.equal(again.html.body, v.html.body);
    const list = await mona.get(`${V}?document=${proc.id}`);
    expectStatus(list, 200);
    assert.equal(list.json.items.length, 1);
    assert.equal(list.json.items[0].html, undefined, 'lists do not render Markdown');
    expectError(await mona.post(V, { document: proc.id, body_html: '<b>x</b>' }), 400, 'invalid', 'body_html');
  });

  test('validation of versions', async () => {
    expectError(await mona.post(V, { body: 'x' }), 400, 'invalid', 'document');
    expectError(await mona.post(V, { document: 999999 }), 400, 'invalid', 'document');
    for (const f of ['number', 'author', 'approver', 'approved_on', 'content_hash', 'status'])
      expectError(await mona.post(V, { document: isp.id, [f]: f === 'number' ? 3 : 'x' }), 400, 'invalid', f);
    const a = await createDoc(mona, docBody());
    const b = await createDoc(mona, docBody());
    const v = await newVersion(mona, a.id, { body: 'x' });
    expectError(await mona.patch(`${V}/${v.id}`, { document: b.id }), 400, 'invalid', 'document');
    expectError(await sam.post(V, { document: a.id, body: 'y' }), 403, 'forbidden');
    // a control owner may write versions only of documents they own
    expectError(await carl.post(V, { document: b.id, body: 'y' }), 403, 'forbidden');
    // a draft may be deleted
    expectStatus(await mona.request('DELETE', `${V}/${v.id}`), 204);
  });
});

describe('version workflow', () => {
  test('submit: editors or the document owner; others 403', async () => {
    const d = await createDoc(mona, docBody({ owner: pCarl.id }));
    const v = await newVersion(carl, d.id, { body: 'Owner writes', change_summary: 'first' });
    expectError(await act(tom, v.id, 'submit'), 403, 'forbidden');
    expectError(await act(sam, v.id, 'submit'), 403, 'forbidden');
    const res = await act(carl, v.id, 'submit');
    expectStatus(res, 200);
    assert.equal(res.json.status, 'in_review');
    assert.equal((await getDoc(d.id)).status, 'in_review');
    // still one open version
    expectError(await carl.post(V, { document: d.id, body: 'b' }), 409, 'conflict');
    // submitting twice is a state conflict
    expectError(await act(carl, v.id, 'submit'), 409, 'conflict', 'status');
  });

  test('approve: a role that approves documents or top management, never the author; hash and approver recorded', async () => {
    const d = await createDoc(mona, docBody());
    const body = 'Back up **everything** daily.';
    const v = await newVersion(mona, d.id, { body });
    // approving a draft is a state conflict
    expectError(await act(mia, v.id, 'approve'), 409, 'conflict');
    await actOk(mona, v.id, 'submit');
    // the application role gives no authority: the administrator and carl hold no such role
    const noAuth = await act(adam, v.id, 'approve');
    expectError(noAuth, 403, 'forbidden');
    assert.match(noAuth.json.error.message, /linked to no person/);
    const carlNo = await act(carl, v.id, 'approve');
    expectError(carlNo, 403, 'forbidden');
    assert.match(carlNo.json.error.message, /role that approves documents/);
    const aud = await act(as.auditor, v.id, 'approve');
    expectError(aud, 409, 'conflict');
    assert.match(aud.json.error.message, /impartial/);
    // mona holds the authority but wrote the version (four eyes)
    const own = await act(mona, v.id, 'approve');
    expectError(own, 409, 'conflict');
    assert.match(own.json.error.message, /author/);
    // actions listed: mia and top management may approve, carl may not
    const seen = await (await mia.get(`${V}/${v.id}`)).json;
    assert.ok(seen.actions.map(actionName).includes('approve'), JSON.stringify(seen.actions));
    const seenTom = await (await tom.get(`${V}/${v.id}`)).json;
    assert.ok(seenTom.actions.map(actionName).includes('approve'), JSON.stringify(seenTom.actions));
    const seenCarl = await (await carl.get(`${V}/${v.id}`)).json;
    assert.ok(!seenCarl.actions.map(actionName).includes('approve'), JSON.stringify(seenCarl.actions));
    const ok = await act(mia, v.id, 'approve');
    expectStatus(ok, 200);
    assert.equal(ok.json.status, 'approved');
    assert.equal(ok.json.approver, 'mia');
    assert.equal(ok.json.approved_on, utcToday());
    const crypto = await import('node:crypto');
    assert.equal(ok.json.content_hash, crypto.createHash('sha256').update(body).digest('hex'));
    assert.equal((await getDoc(d.id)).status, 'approved');
    // approved is frozen
    expectError(await mona.patch(`${V}/${v.id}`, { body: 'changed' }), 409, 'conflict');
    expectError(await mona.request('DELETE', `${V}/${v.id}`), 409, 'conflict');
  });

  test('a document may name the organizational role that approves it', async () => {
    const d = await createDoc(mona, docBody({ approval_role: privacy.id }));
    assert.equal(d.approval_role, privacy.id);
    const v = await newVersion(mona, d.id, { body: 'x' });
    await actOk(mona, v.id, 'submit');
    // a role that approves documents in general is not the named one
    const res = await act(mia, v.id, 'approve');
    expectError(res, 403, 'forbidden');
    assert.ok(res.json.error.message.includes(privacy.name), res.describe());
    expectError(await act(carl, v.id, 'approve'), 403, 'forbidden');
    expectStatus(await adam.post('/api/v1/role-assignments', { person: pCarl.id, role: privacy.id,
      starts_on: '2020-01-01' }), 201);
    const done = await actOk(carl, v.id, 'approve');
    assert.equal(done.approver, 'carl');
  });

  test('the top-level policy needs top management', async () => {
    const v = await newVersion(mona, isp.id);
    assert.ok(v.body.includes('# Summary'));
    await actOk(mona, v.id, 'submit');
    const res = await act(mia, v.id, 'approve');
    expectError(res, 403, 'forbidden');
    assert.match(res.json.error.message, /top-management role/);
    await actOk(tom, v.id, 'approve');
    // publishing is for the ISMS manager or admin
    expectError(await act(tom, v.id, 'publish'), 403, 'forbidden');
    await actOk(mona, v.id, 'publish');
    const doc = await getDoc(isp.id);
    assert.equal(doc.status, 'published');
    assert.equal(doc.current_version, v.id);
    assert.equal(doc.next_review, addMonths(utcToday(), 12));
  });

  test('top management authoring the top-level policy cannot approve it', async () => {
    const pol = await createDoc(mona, { identifier: uniq('POL'), title: 'Group policy',
      kind: 'information_security_policy', owner: pTom });
    // tom owns the policy, so tom's account may write and submit its versions
    const v = await newVersion(tom, pol.id, { body: 'Written by top management' });
    assert.equal(v.author, 'tom');
    await actOk(tom, v.id, 'submit');
    const own = await act(tom, v.id, 'approve');
    expectError(own, 409, 'conflict');
    assert.match(own.json.error.message, /author/);
    const listed = (await tom.get(`${V}/${v.id}`)).json;
    assert.ok(!listed.actions.map(actionName).includes('publish'), JSON.stringify(listed.actions));
    await actOk(tia, v.id, 'approve');
    await actOk(adam, v.id, 'publish');
    assert.equal((await getDoc(pol.id)).status, 'published');
  });

  test('publish, immutability, publishing v2 withdraws v1, withdraw', async () => {
    const d = await createDoc(mona, docBody({ review_months: 6 }));
    const v1 = await newVersion(mona, d.id, { body: 'one' });
    await actOk(mona, v1.id, 'submit');
    await actOk(mia, v1.id, 'approve');
    expectError(await act(carl, v1.id, 'publish'), 403, 'forbidden');
    const p1 = await actOk(mona, v1.id, 'publish');
    assert.equal(p1.status, 'published');
    let doc = await getDoc(d.id);
    assert.deepEqual([doc.status, doc.current_version, doc.next_review],
      ['published', v1.id, addMonths(utcToday(), 6)]);
    // published is immutable
    expectError(await mona.patch(`${V}/${v1.id}`, { body: 'sneaky' }), 409, 'conflict');
    expectError(await mona.patch(`${V}/${v1.id}`, { change_summary: 'sneaky' }), 409, 'conflict');
    expectError(await mona.request('DELETE', `${V}/${v1.id}`), 409, 'conflict');
    // the review interval moves next_review
    const r6 = await mona.patch(`${D}/${d.id}`, { review_months: 24 });
    expectStatus(r6, 200);
    assert.equal(r6.json.next_review, addMonths(utcToday(), 24));
    // a new draft: the document stays published at v1
    const v2 = await newVersion(mona, d.id, { body: 'two', change_summary: 'second' });
    assert.equal(v2.number, 2);
    assert.equal(v2.title, `${d.identifier} v2`);
    doc = await getDoc(d.id);
    assert.deepEqual([doc.status, doc.current_version], ['published', v1.id]);
    await actOk(mona, v2.id, 'submit');
    await actOk(mia, v2.id, 'approve');
    await actOk(mona, v2.id, 'publish');
    assert.equal((await getVer(v1.id)).status, 'withdrawn');
    assert.equal((await getVer(v2.id)).status, 'published');
    doc = await getDoc(d.id);
    assert.deepEqual([doc.status, doc.current_version], ['published', v2.id]);
    // withdraw the published one: nothing in force
    expectError(await act(tom, v2.id, 'withdraw'), 403, 'forbidden');
    expectError(await act(mona, v1.id, 'withdraw'), 409, 'conflict', 'status');
    await actOk(adam, v2.id, 'withdraw');
    doc = await getDoc(d.id);
    assert.deepEqual([doc.status, doc.current_version, doc.next_review], ['withdrawn', v2.id, null]);
    const v3 = await newVersion(mona, d.id, { body: 'three' });
    assert.equal(v3.number, 3);
    // the document references its versions: it cannot be deleted
    expectError(await mona.request('DELETE', `${D}/${d.id}`), 409, 'in_use');
  });

  test('history shows every step', async () => {
    const d = await createDoc(mona, docBody());
    const v1 = await newVersion(mona, d.id, { body: 'h1' });
    await actOk(mona, v1.id, 'submit');
    await actOk(mia, v1.id, 'approve');
    await actOk(mona, v1.id, 'publish');
    const v2 = await newVersion(mona, d.id, { body: 'h2' });
    await actOk(mona, v2.id, 'submit');
    await actOk(mia, v2.id, 'approve');
    await actOk(mona, v2.id, 'publish');
    const h = await mona.get(`${V}/${v1.id}/history`);
    expectStatus(h, 200);
    const ops = h.json.items.map((i) => i.op);
    for (const op of ['create', 'submit', 'approve', 'publish', 'withdraw'])
      assert.ok(ops.includes(op), `v1 history has ${op}: ${JSON.stringify(ops)}`);
    const approve = h.json.items.find((i) => i.op === 'approve');
    assert.equal(approve.actor, 'mia');
    const hd = await mona.get(`${D}/${d.id}/history`);
    expectStatus(hd, 200);
    assert.ok(hd.json.items.length >= 3, JSON.stringify(hd.json.items.map((i) => i.op)));
  });
});

test('meta lists both types and isms verify exits 0', async () => {
  const meta = await mona.get('/api/v1/meta');
  expectStatus(meta, 200);
  const text = JSON.stringify(meta.json);
  assert.ok(text.includes('document-versions') && text.includes('"documents"'));
  const r = await ctx.cli(['verify']);
  assert.equal(r.code, 0, r.describe);
});
