// acknowledgements.test.mjs — proof that people read their policies (5.2, 7.3): the
// acknowledge action on a published version (only the version in force, only people in the
// audience, once per person and version, never changing the version itself), "Policies to
// read", acknowledgements recorded on someone's behalf, progress per document (who did and
// who did not), audiences by role and by name, and disposal due at the end of retention.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  actionName, createPerson, expectError, expectStatus, grantAuthority, linkUser, setup, uniq, USERS,
} from './lib.mjs';

const D = '/api/v1/documents';
const V = '/api/v1/document-versions';
const A = '/api/v1/acknowledgements';
const EXTRA_USERS = { mia: { role: 'isms_manager', name: 'Mia Manager' },
  stan: { role: 'staff', name: 'Stan Staff' } };

let ctx;
let mona; let mia; let adam; let sam; let stan; let audrey;
let pSam; let pStan; let pMona;

// A document with one published version, written by mona and approved by mia (whose person
// holds an organizational role that approves documents).
async function published(fields = {}) {
  const d = await mona.post(D, { identifier: uniq('POL'), title: uniq('Acceptable use'),
    kind: 'procedure', ...fields });
  expectStatus(d, 201);
  const v = await mona.post(V, { document: d.json.id, body: '# Rules\n\nBe careful.' });
  expectStatus(v, 201);
  for (const [who, name] of [[mona, 'submit'], [mia, 'approve'], [mona, 'publish']])
    expectStatus(await who.request('POST', `${V}/${v.json.id}/actions/${name}`), 200);
  return { doc: d.json, version: (await mona.get(`${V}/${v.json.id}`)).json };
}

const ack = (client, versionId) => client.request('POST', `${V}/${versionId}/actions/acknowledge`);
const progress = async (docId) => {
  const r = await mona.get(`/api/v1/reports/acknowledgements?document=${docId}`);
  expectStatus(r, 200);
  return r.json;
};

before(async () => {
  ctx = await setup({ users: { ...USERS, ...EXTRA_USERS } });
  adam = await ctx.login('adam');
  mona = await ctx.login('mona');
  mia = await ctx.login('mia');
  sam = await ctx.login('sam');
  stan = await ctx.login('stan');
  audrey = await ctx.login('audrey');
  pSam = await createPerson(adam, { name: uniq('Sam Staff') });
  pStan = await createPerson(adam, { name: uniq('Stan Staff') });
  pMona = await createPerson(adam, { name: uniq('Mona Manager') });
  await linkUser(adam, 'sam', pSam.id);
  await linkUser(adam, 'stan', pStan.id);
  await linkUser(adam, 'mona', pMona.id);
  await grantAuthority(adam, 'mia', { approves_documents: true });
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('acknowledge action', () => {
  test('a staff member acknowledges the published version once; the version is unchanged', async () => {
    const { doc, version } = await published();
    const before = await sam.get(`${V}/${version.id}`);
    assert.ok(before.json.actions.map(actionName).includes('acknowledge'), 'offered to sam');
    const res = await ack(sam, version.id);
    expectStatus(res, 200);
    assert.equal(res.json.version, version.version, 'acknowledging does not change the version');
    assert.equal(res.json.status, 'published');
    const after = await sam.get(`${V}/${version.id}`);
    assert.ok(!after.json.actions.map(actionName).includes('acknowledge'), 'no longer offered');
    expectError(await ack(sam, version.id), 409, 'conflict');
    const list = await mona.get(`${A}?document_version=${version.id}`);
    expectStatus(list, 200);
    assert.equal(list.json.total, 1);
    const a = list.json.items[0];
    assert.equal(a.person, pSam.id);
    assert.equal(a.document, doc.id);
    assert.equal(a.method, 'in_app');
    assert.equal(a.recorded_by, 'sam');
    assert.match(a.acknowledged_at, /^\d{4}-\d{2}-\d{2}T/);
    assert.match(a.title, new RegExp(`${doc.identifier} v1 — `));
    // The change log holds the acknowledgement under sam's name, not a change of the version.
    const h = await mona.get(`${A}/${a.id}/history`);
    expectStatus(h, 200);
    assert.equal(h.json.items[0].actor, 'sam');
    const vh = await mona.get(`${V}/${version.id}/history`);
    assert.ok(!vh.json.items.some((c) => c.op === 'acknowledge'), 'the version logs no acknowledge');
  });

  test('only the published version: a draft or withdrawn one is refused', async () => {
    const { doc, version } = await published();
    const v2 = await mona.post(V, { document: doc.id, body: '# Rules\n\nBe more careful.' });
    expectStatus(v2, 201);
    const r = await ack(sam, v2.json.id);
    expectError(r, 409, 'conflict');
    for (const [who, name] of [[mona, 'submit'], [mia, 'approve'], [mona, 'publish']])
      expectStatus(await who.request('POST', `${V}/${v2.json.id}/actions/${name}`), 200);
    // v1 is withdrawn now: its acknowledgement is over; v2 asks again.
    expectError(await ack(sam, version.id), 409, 'conflict');
    expectStatus(await ack(sam, v2.json.id), 200);
  });

  test('an account without a person cannot acknowledge (403) and has no reading list (400)', async () => {
    const { version } = await published();
    const r = await ack(audrey, version.id);
    expectError(r, 403, 'forbidden');
    assert.match(r.json.error.message, /not linked to a person/);
    expectError(await audrey.get('/api/v1/reading'), 400, 'invalid');
  });

  test('people outside the audience cannot acknowledge', async () => {
    const { version } = await published({ audience: 'named_people', audience_people: [pStan.id] });
    const r = await ack(sam, version.id);
    expectError(r, 403, 'forbidden', 'person');
    assert.match(r.json.error.message, /not in the audience/);
    expectStatus(await ack(stan, version.id), 200);
  });

  test('unknown action body fields are refused', async () => {
    const { version } = await published();
    expectError(await sam.post(`${V}/${version.id}/actions/acknowledge`, { person: pStan.id }), 400,
      'invalid', 'person');
  });
});

describe('Policies to read', () => {
  test('lists what is meant for me, pending first-class, and drops what I read', async () => {
    const { doc, version } = await published();
    const other = await published({ audience: 'named_people', audience_people: [pStan.id] });
    let r = await sam.get('/api/v1/reading');
    expectStatus(r, 200);
    const mine = r.json.items.find((i) => i.document === doc.id);
    assert.ok(mine, 'the all-staff document is on sam\'s list');
    assert.equal(mine.version, version.id);
    assert.equal(mine.number, 1);
    assert.equal(mine.acknowledged_at, null);
    assert.ok(!r.json.items.some((i) => i.document === other.doc.id), 'not someone else\'s');
    const pendingBefore = r.json.pending;
    expectStatus(await ack(sam, version.id), 200);
    r = await sam.get('/api/v1/reading');
    assert.equal(r.json.pending, pendingBefore - 1);
    assert.match(r.json.items.find((i) => i.document === doc.id).acknowledged_at, /^\d{4}-/);
    r = await sam.get('/api/v1/reading?pending=true');
    assert.ok(!r.json.items.some((i) => i.document === doc.id), 'read ones left out');
    expectError(await sam.get('/api/v1/reading?pending=maybe'), 400, 'invalid', 'pending');
  });

  test('audience by organizational role: its holders today, not others', async () => {
    const role = await adam.post('/api/v1/roles', { name: uniq('Security champion'), responsibilities: 'Champions.' });
    expectStatus(role, 201);
    expectStatus(await adam.post('/api/v1/role-assignments', { person: pMona.id, role: role.json.id,
      starts_on: '2020-01-01' }), 201);
    expectError(await mona.post(D, { identifier: uniq('POL'), title: uniq('x'), kind: 'procedure',
      audience: 'roles', audience_roles: ['isms_manager'] }), 400, 'invalid', 'audience_roles');
    const { doc } = await published({ audience: 'roles', audience_roles: [role.json.id] });
    let r = await mona.get('/api/v1/reading');
    assert.ok(r.json.items.some((i) => i.document === doc.id), 'a holder of the role must read it');
    r = await sam.get('/api/v1/reading');
    assert.ok(!r.json.items.some((i) => i.document === doc.id), 'others need not');
  });
});

describe('recorded on behalf and progress', () => {
  test('an ISMS manager records a paper acknowledgement; progress counts it', async () => {
    const { doc, version } = await published({ audience: 'named_people',
      audience_people: [pSam.id, pStan.id, pMona.id] });
    let p = await progress(doc.id);
    assert.equal(p.audience_size, 3);
    assert.equal(p.acknowledged, 0);
    assert.equal(p.percent, 0);
    assert.equal(p.pending.length, 3);
    // in_app is only for the person themselves
    expectError(await mona.post(A, { document_version: version.id, person: pStan.id }), 400, 'invalid', 'method');
    const rec = await mona.post(A, { document_version: version.id, person: pStan.id, method: 'on_paper',
      note: 'signed form in HR file' });
    expectStatus(rec, 201);
    assert.equal(rec.json.recorded_by, 'mona');
    expectError(await mona.post(A, { document_version: version.id, person: pStan.id, method: 'on_paper' }),
      409, 'conflict');
    expectStatus(await ack(sam, version.id), 200);
    p = await progress(doc.id);
    assert.equal(p.acknowledged, 2);
    assert.equal(p.percent, 66, 'rounded down: 2 of 3');
    assert.deepEqual(p.pending.map((x) => x.person), [pMona.id]);
    assert.deepEqual(p.acknowledgements.map((x) => x.person).sort(), [pSam.id, pStan.id].sort());
    // The document shows its percentage too, and the overview lists it.
    assert.equal((await mona.get(`${D}/${doc.id}`)).json.acknowledged_percent, 66);
    const all = await mona.get('/api/v1/reports/acknowledgements');
    expectStatus(all, 200);
    const line = all.json.items.find((i) => i.document === doc.id);
    assert.equal(line.acknowledged, 2);
    assert.equal(line.acknowledgements, undefined, 'the overview has no name lists');
  });

  test('acknowledgements are evidence: no edits; staff cannot write them directly', async () => {
    const { version } = await published();
    expectStatus(await ack(stan, version.id), 200);
    const a = (await mona.get(`${A}?document_version=${version.id}`)).json.items[0];
    const one = await mona.get(`${A}/${a.id}`);
    assert.equal(one.json.can_edit, false, 'offered for no edit');
    assert.equal(one.json.can_delete, true, 'but deletable when recorded in error');
    const refused = await mona.patch(`${A}/${a.id}`, { note: 'changed' });
    expectError(refused, 409, 'conflict');
    assert.match(refused.json.error.message, /evidence and cannot be changed/);
    expectError(await sam.post(A, { document_version: version.id, person: pSam.id }), 403, 'forbidden');
    expectError(await sam.get(A), 403, 'forbidden');
  });

  test('progress: an unpublished document is 404, bad ids 400, external audiences have no percent', async () => {
    const d = await mona.post(D, { identifier: uniq('DOC'), title: 'Draft only', kind: 'procedure' });
    expectError(await mona.get(`/api/v1/reports/acknowledgements?document=${d.json.id}`), 404, 'not_found');
    expectError(await mona.get('/api/v1/reports/acknowledgements?document=abc'), 400, 'invalid', 'document');
    const ext = await published({ audience: 'external_parties' });
    const p = await progress(ext.doc.id);
    assert.equal(p.percent, null);
    assert.equal(p.audience_size, 0);
    expectError(await ack(sam, ext.version.id), 403, 'forbidden');
    expectError(await sam.get('/api/v1/reports/acknowledgements'), 403, 'forbidden');
  });

  test('named people audience needs people', async () => {
    expectError(await mona.post(D, { identifier: uniq('DOC'), title: 'x', kind: 'procedure',
      audience: 'named_people' }), 400, 'invalid', 'audience_people');
  });
});

describe('retention', () => {
  test('a record past its retention is due for disposal until disposed of', async () => {
    // Approved today, kept one month: due within 40 days, not yet overdue.
    const { doc } = await published({ kind: 'record', retention_months: 1, disposal_method: 'shred' });
    const d = (await mona.get(`${D}/${doc.id}`)).json;
    assert.match(d.retain_until, /^\d{4}-\d{2}-\d{2}$/);
    let due = await mona.get('/api/v1/due?days=40');
    let item = due.json.items.find((i) => i.type === 'documents' && i.id === doc.id && i.what === 'disposal');
    assert.ok(item, 'disposal is due');
    assert.equal(item.date, d.retain_until);
    // Disposal is recorded once it has happened, never ahead of time.
    expectError(await mona.patch(`${D}/${doc.id}`, { disposed_on: d.retain_until }), 400, 'invalid', 'disposed_on');
    const today = new Date().toISOString().slice(0, 10);
    expectStatus(await mona.patch(`${D}/${doc.id}`, { disposed_on: today }), 200);
    assert.equal((await mona.get(`${D}/${doc.id}`)).json.retain_until, null);
    due = await mona.get('/api/v1/due?days=40');
    item = due.json.items.find((i) => i.type === 'documents' && i.id === doc.id && i.what === 'disposal');
    assert.equal(item, undefined, 'no longer due once disposed of');
    // A policy in force is not due for disposal, however short its retention.
    const pol = await published({ retention_months: 1 });
    assert.equal((await mona.get(`${D}/${pol.doc.id}`)).json.retain_until, null);
  });
});
