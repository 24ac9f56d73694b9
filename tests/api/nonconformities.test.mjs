// nonconformities.test.mjs — 10.2 nonconformity and corrective action: the nonconformities
// and corrective-actions records (400s naming the field, nothing stored), the workflow (open →
// corrected → analysed → acting → verifying → closed; rejected), the closure rule (a
// verified-effective review), four eyes on the effectiveness reviewer, the board and the
// register export, the 10.2 checks and what is due.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Ajv from 'ajv';
import {
  createPerson, expectError, expectStatus, linkUser, setup, uniq,
} from './lib.mjs';

let ctx; let adam; let mona; let tom; let audrey; let sam;
let monaP; let tomP; let audreyP; let other;
const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);

async function ok(res, status = 200) { expectStatus(res, status); return res.json; }
const act = (c, id, name, body = {}) => c.post(`/api/v1/nonconformities/${id}/actions/${name}`, body);
const checks = async (c) => (await ok(await c.get('/api/v1/reports/policy-checks'))).checks
  .filter((k) => k.clause === '10.2');
const check = async (id) => (await checks(mona)).find((k) => k.id === id);
const total = async (type) => (await ok(await mona.get(`/api/v1/${type}`))).total;

async function nc(fields = {}) {
  return ok(await mona.post('/api/v1/nonconformities', { title: uniq('NC'), source: 'incident',
    requirement: 'Backups are restored monthly.', owner: monaP.id, ...fields }), 201);
}
async function action(ncId, fields = {}) {
  return ok(await mona.post('/api/v1/corrective-actions', { nonconformity: ncId,
    description: uniq('Fix'), owner: other.id, due_on: day(10), ...fields }), 201);
}
const done = (a) => mona.patch(`/api/v1/corrective-actions/${a.id}`, { status: 'done', done_on: day(0) });

// A nonconformity analysed with one finished corrective action, ready for verification.
async function readyToVerify(fields = {}) {
  const n = await nc(fields);
  await ok(await act(mona, n.id, 'analyse', { root_cause: 'No check in the procedure.' }));
  const a = await action(n.id);
  await ok(await done(a));
  return ok(await act(mona, n.id, 'verify'));
}

before(async () => {
  ctx = await setup();
  [adam, mona, tom, audrey, sam] = await Promise.all(
    ['adam', 'mona', 'tom', 'audrey', 'sam'].map((u) => ctx.login(u)));
  monaP = await createPerson(adam, { name: uniq('Mona') });
  tomP = await createPerson(adam, { name: uniq('Tom') });
  audreyP = await createPerson(adam, { name: uniq('Audrey') });
  other = await createPerson(adam, { name: uniq('Olga') });
  await linkUser(adam, 'mona', monaP.id);
  await linkUser(adam, 'tom', tomP.id);
  await linkUser(adam, 'audrey', audreyP.id);
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('10.2 with no nonconformities', () => {
  test('an organization with no nonconformities meets every 10.2 check', async () => {
    const items = await checks(tom);
    assert.deepEqual(items.map((k) => k.id).sort(),
      ['nc-actions-on-time', 'nc-closed-effective', 'nc-root-cause']);
    for (const k of items) assert.equal(k.ok, true, k.detail);
  });
});

describe('recording a nonconformity', () => {
  test('bad input is 400 naming the field, and nothing is stored', async () => {
    const before = await total('nonconformities');
    const base = { title: uniq('NC'), source: 'complaint', requirement: 'x' };
    const bad = [
      [{ ...base, title: undefined }, 'title'],
      [{ ...base, source: undefined }, 'source'],
      [{ ...base, source: 'rumour' }, 'source'],
      [{ ...base, requirement: '' }, 'requirement'],
      [{ ...base, source: 'audit_finding' }, 'severity'],
      [{ ...base, severity: 'critical' }, 'severity'],
      [{ ...base, detected_on: day(1) }, 'detected_on'],
      [{ ...base, detected_on: '2026-02-30' }, 'detected_on'],
      [{ ...base, five_whys: 'because' }, 'five_whys'],
      [{ ...base, five_whys: ['1', '2', '3', '4', '5', '6'] }, 'five_whys'],
      [{ ...base, five_whys: ['why', 7] }, 'five_whys'],
      [{ ...base, five_whys: ['why', ''] }, 'five_whys'],
      [{ ...base, cause_category: 'fate' }, 'cause_category'],
      [{ ...base, owner: 999999 }, 'owner'],
      [{ ...base, isms_change: 999999 }, 'isms_change'],
      [{ ...base, status: 'closed' }, 'status'],
      [{ ...base, review_result: 'effective' }, 'review_result'],
      [{ ...base, clause: 'x'.repeat(21) }, 'clause'],
    ];
    for (const [body, field] of bad)
      expectError(await mona.post('/api/v1/nonconformities', body), 400, 'invalid', field);
    assert.equal(await total('nonconformities'), before);
  });

  test('a new one is open, detected today unless said otherwise, with five whys kept', async () => {
    const n = await nc({ five_whys: ['Restore failed', 'Nobody tested it'], cause_category: 'process' });
    assert.equal(n.status, 'open');
    assert.equal(n.detected_on, day(0));
    assert.deepEqual(n.five_whys, ['Restore failed', 'Nobody tested it']);
    assert.deepEqual(n.actions.sort(), ['analyse', 'correct', 'reject']);
    const audit = await nc({ source: 'audit_finding', severity: 'major', clause: '8.1', detected_on: day(-20) });
    assert.equal(audit.detected_on, day(-20));
    const ch = await ok(await mona.post('/api/v1/isms-changes', { title: uniq('Change'), purpose: 'Fix it.' }), 201);
    const linked = await ok(await mona.patch(`/api/v1/nonconformities/${n.id}`, { isms_change: ch.id }));
    assert.equal(linked.isms_change, ch.id);
  });

  test('staff read nonconformities but do not write them; auditors may raise one', async () => {
    expectError(await sam.post('/api/v1/nonconformities', { title: 'x', source: 'complaint', requirement: 'x' }),
      403, 'forbidden');
    const n = await nc();
    assert.equal((await ok(await sam.get(`/api/v1/nonconformities/${n.id}`))).title, n.title);
    await ok(await audrey.post('/api/v1/nonconformities', { title: uniq('Audit NC'), source: 'audit_finding',
      severity: 'minor', requirement: 'x' }), 201);
  });

  test('corrective actions: owner, due day and nonconformity are required; done needs done_on', async () => {
    const n = await nc();
    const before = await total('corrective-actions');
    const base = { nonconformity: n.id, description: 'Fix', owner: other.id, due_on: day(5) };
    for (const field of ['nonconformity', 'description', 'owner', 'due_on'])
      expectError(await mona.post('/api/v1/corrective-actions', { ...base, [field]: undefined }), 400, 'invalid', field);
    expectError(await mona.post('/api/v1/corrective-actions', { ...base, status: 'done' }), 400, 'invalid', 'done_on');
    expectError(await mona.post('/api/v1/corrective-actions', { ...base, done_on: day(0) }), 400, 'invalid', 'done_on');
    expectError(await mona.post('/api/v1/corrective-actions', { ...base, status: 'done', done_on: day(1) }),
      400, 'invalid', 'done_on');
    expectError(await mona.post('/api/v1/corrective-actions', { ...base, nonconformity: 999999 }),
      400, 'invalid', 'nonconformity');
    assert.equal(await total('corrective-actions'), before);
    const a = await action(n.id, { due_on: day(-1) });
    assert.equal(a.overdue, true);
    expectError(await sam.post('/api/v1/corrective-actions', base), 403, 'forbidden');
  });

  test('an action\'s owner records its progress, whatever their role, and nothing else', async () => {
    const samP = await createPerson(adam, { name: uniq('Sam') });
    await linkUser(adam, 'sam', samP.id);
    const n = await nc();
    const mine = await action(n.id, { owner: samP.id });
    const theirs = await action(n.id);
    expectError(await sam.patch(`/api/v1/corrective-actions/${theirs.id}`, { status: 'in_progress' }), 403, 'forbidden');
    expectError(await sam.patch(`/api/v1/corrective-actions/${mine.id}`, { due_on: day(60) }), 403, 'forbidden', 'due_on');
    expectError(await sam.patch(`/api/v1/corrective-actions/${mine.id}`, { description: 'Less work' }), 403, 'forbidden', 'description');
    const done2 = await ok(await sam.patch(`/api/v1/corrective-actions/${mine.id}`, { status: 'done', done_on: day(0) }));
    assert.equal(done2.status, 'done');
    assert.equal(done2.due_on, mine.due_on);
    expectError(await sam.del(`/api/v1/corrective-actions/${mine.id}`), 403, 'forbidden');
    assert.equal((await ok(await mona.get(`/api/v1/corrective-actions/${mine.id}`))).status, 'done');
  });
});

describe('the workflow', () => {
  test('correction, then cause analysis; each needs its text (400 naming it)', async () => {
    const n = await nc();
    expectError(await act(mona, n.id, 'correct'), 400, 'invalid', 'correction');
    const c = await ok(await act(mona, n.id, 'correct', { correction: 'Restored from the copy.',
      consequences: 'Customers told.', effective_on: day(-2) }));
    assert.equal(c.status, 'corrected');
    assert.equal(c.corrected_on, day(-2));
    assert.equal(c.consequences, 'Customers told.');
    expectError(await act(mona, n.id, 'analyse', { cause_category: 'people' }), 400, 'invalid', 'root_cause');
    expectError(await act(mona, n.id, 'analyse', { root_cause: 'x', five_whys: [1] }), 400, 'invalid', 'five_whys');
    assert.equal((await ok(await mona.get(`/api/v1/nonconformities/${n.id}`))).status, 'corrected');
    const a = await ok(await act(mona, n.id, 'analyse', { root_cause: 'No restore test.',
      cause_category: 'process', five_whys: ['Restore failed', 'Never tested'], similar_elsewhere: 'Checked the CRM.' }));
    assert.equal(a.status, 'analysed');
    assert.equal(a.analysed_on, day(0));
    assert.equal(a.cause_category, 'process');
  });

  test('no corrective action: 409 to start acting or to verify', async () => {
    const n = await nc();
    await ok(await act(mona, n.id, 'analyse', { root_cause: 'x' }));
    let r = await act(mona, n.id, 'act');
    expectError(r, 409, 'conflict');
    assert.match(r.json.error.message, /at least one corrective action/);
    r = await act(mona, n.id, 'verify');
    expectError(r, 409, 'conflict');
    assert.match(r.json.error.message, /no corrective action cannot move to verification/);
    const cancelled = await action(n.id, { status: 'cancelled' });
    assert.equal(cancelled.status, 'cancelled');
    expectError(await act(mona, n.id, 'verify'), 409, 'conflict');
    assert.equal((await ok(await mona.get(`/api/v1/nonconformities/${n.id}`))).status, 'analysed');
  });

  test('unfinished corrective actions: 409 to verify, naming how many', async () => {
    const n = await nc();
    await ok(await act(mona, n.id, 'analyse', { root_cause: 'x' }));
    const a = await action(n.id);
    const acting = await ok(await act(mona, n.id, 'act'));
    assert.equal(acting.status, 'acting');
    const r = await act(mona, n.id, 'verify');
    expectError(r, 409, 'conflict');
    assert.match(r.json.error.message, /1 of 1 is not done/);
    await ok(await done(a));
    assert.equal((await ok(await act(mona, n.id, 'verify'))).status, 'verifying');
  });

  test('closing requires a verified-effective review (409 naming the rule, nothing changed)', async () => {
    const n = await readyToVerify();
    const r = await act(mona, n.id, 'close');
    expectError(r, 409, 'conflict', 'review_result');
    assert.match(r.json.error.message, /closing requires a verified-effective review/);
    const still = await ok(await mona.get(`/api/v1/nonconformities/${n.id}`));
    assert.equal(still.status, 'verifying');
    assert.equal(still.version, n.version);
  });

  test('four eyes: neither the owner nor an action owner reviews effectiveness', async () => {
    const n = await readyToVerify();
    let r = await act(mona, n.id, 'review_effectiveness', { result: 'effective', evidence: 'Looked.' });
    expectError(r, 409, 'conflict');
    assert.match(r.json.error.message, /four eyes: the owner of the nonconformity/);
    const owned = await readyToVerify({ owner: other.id });
    await action(owned.id, { owner: tomP.id, status: 'done', done_on: day(0) });
    r = await act(tom, owned.id, 'review_effectiveness', { result: 'effective', evidence: 'Looked.' });
    expectError(r, 409, 'conflict');
    assert.match(r.json.error.message, /owner of a corrective action/);
    assert.equal((await ok(await mona.get(`/api/v1/nonconformities/${owned.id}`))).review_result, null);
  });

  test('review input is checked: result and evidence are required, result is an enum', async () => {
    const n = await readyToVerify({ owner: other.id });
    expectError(await act(tom, n.id, 'review_effectiveness', { evidence: 'x' }), 400, 'invalid', 'result');
    expectError(await act(tom, n.id, 'review_effectiveness', { result: 'effective' }), 400, 'invalid', 'evidence');
    expectError(await act(tom, n.id, 'review_effectiveness', { result: 'maybe', evidence: 'x' }), 400, 'invalid');
    expectError(await act(sam, n.id, 'review_effectiveness', { result: 'effective', evidence: 'x' }), 403, 'forbidden');
    assert.equal((await ok(await mona.get(`/api/v1/nonconformities/${n.id}`))).reviews, null);
  });

  test('not effective sends it back to corrective action; a new finished action is needed; then effective closes', async () => {
    const n = await readyToVerify({ owner: other.id, source: 'audit_finding', severity: 'minor' });
    const back = await ok(await act(tom, n.id, 'review_effectiveness', { result: 'not_effective',
      evidence: 'Two of five restores still untested.' }));
    assert.equal(back.status, 'acting');
    assert.equal(back.review_result, 'not_effective');
    assert.equal(back.reviewer, tomP.id);
    assert.equal(back.reviews.length, 1);
    expectError(await act(mona, n.id, 'close'), 409, 'conflict');
    const r = await act(mona, n.id, 'verify');
    expectError(r, 409, 'conflict');
    assert.match(r.json.error.message, /new corrective action/);
    await ok(await done(await action(n.id, { owner: monaP.id })));
    assert.equal((await ok(await act(mona, n.id, 'verify'))).status, 'verifying');
    // An auditor judges effectiveness in their own name (not a decision they may not take).
    const good = await ok(await act(audrey, n.id, 'review_effectiveness', { result: 'effective',
      evidence: 'Sampled three restores: all tested.' }));
    assert.equal(good.status, 'verifying');
    assert.equal(good.reviewer, audreyP.id);
    assert.deepEqual(good.reviews.map((x) => x.result), ['not_effective', 'effective']);
    assert.equal(good.reviews[1].reviewer_name, 'audrey');
    assert.ok(!good.actions.includes('close'), 'an auditor does not close it');
    assert.ok((await ok(await mona.get(`/api/v1/nonconformities/${n.id}`))).actions.includes('close'));
    const closed = await ok(await act(mona, n.id, 'close'));
    assert.equal(closed.status, 'closed');
    assert.equal(closed.closed_on, day(0));
    assert.equal(closed.closed_by, 'mona');
    // Closed: evidence now.
    expectError(await mona.patch(`/api/v1/nonconformities/${n.id}`, { title: 'changed' }), 409, 'conflict');
    expectError(await mona.post('/api/v1/corrective-actions', { nonconformity: n.id, description: 'late',
      owner: other.id, due_on: day(3) }), 409, 'conflict', 'nonconformity');
    const acts = (await ok(await mona.get(`/api/v1/corrective-actions?nonconformity=${n.id}`))).items;
    expectError(await mona.patch(`/api/v1/corrective-actions/${acts[0].id}`, { description: 'x' }), 409, 'conflict');
    expectError(await mona.del(`/api/v1/corrective-actions/${acts[0].id}`), 409, 'conflict');
  });

  test('a review keyed in for someone else names them and is dated back', async () => {
    const n = await readyToVerify();
    const r = await ok(await act(mona, n.id, 'review_effectiveness', { result: 'effective', evidence: 'Paper form.',
      decided_by: audreyP.id, effective_on: day(-1) }));
    assert.equal(r.reviewer, audreyP.id);
    assert.equal(r.reviewed_on, day(-1));
    // Keyed in for the owner: still four eyes.
    const m = await readyToVerify({ owner: other.id });
    expectError(await act(mona, m.id, 'review_effectiveness', { result: 'effective', evidence: 'x',
      decided_by: other.id }), 409, 'conflict');
  });

  test('no corrective action needed, with the reason: straight to verification and closure', async () => {
    const n = await nc({ owner: other.id });
    await ok(await act(mona, n.id, 'analyse', { root_cause: 'A one-off typo.',
      no_action_reason: 'The cause is gone with the correction.' }));
    assert.equal((await ok(await act(mona, n.id, 'verify'))).status, 'verifying');
    await ok(await act(tom, n.id, 'review_effectiveness', { result: 'effective', evidence: 'No repeat in 3 months.' }));
    assert.equal((await ok(await act(mona, n.id, 'close'))).status, 'closed');
  });

  test('rejected with a reason when it is not a nonconformity; the reason is required', async () => {
    const n = await nc();
    expectError(await act(mona, n.id, 'reject'), 400, 'invalid', 'reason');
    const r = await ok(await act(mona, n.id, 'reject', { reason: 'The procedure allows it.' }));
    assert.equal(r.status, 'rejected');
    assert.equal(r.reject_reason, 'The procedure allows it.');
    expectError(await act(mona, n.id, 'correct', { correction: 'x' }), 409, 'conflict');
  });
});

describe('board, register and checks', () => {
  test('the board has a column per state and cards with owner, next due and age', async () => {
    const n = await nc({ detected_on: day(-12) });
    await ok(await act(mona, n.id, 'analyse', { root_cause: 'x' }));
    await action(n.id, { due_on: day(-2) });
    await action(n.id, { due_on: day(4) });
    const b = await ok(await tom.get('/api/v1/reports/nonconformity-board'));
    assert.deepEqual(b.columns.map((c) => c.state),
      ['open', 'corrected', 'analysed', 'acting', 'verifying', 'closed', 'rejected']);
    const card = b.columns[2].cards.find((x) => x.id === n.id);
    assert.ok(card, JSON.stringify(b.columns[2]));
    assert.equal(card.owner, monaP.id);
    assert.equal(card.owner_name, monaP.name);
    assert.equal(card.age_days, 12);
    assert.equal(card.next_due, day(-2));
    assert.equal(card.overdue, true);
    assert.equal(card.actions_open, 2);
    assert.ok(b.columns[5].count >= 1, 'closed ones of the last 90 days show');
    const none = await ok(await tom.get('/api/v1/reports/nonconformity-board?closed_days=0'));
    assert.equal(none.closed_days, 0);
    expectError(await tom.get('/api/v1/reports/nonconformity-board?closed_days=-1'), 400, 'invalid', 'closed_days');
    const doc = (await ctx.anon.get('/api/v1/openapi.json')).json;
    const schema = doc.paths['/api/v1/reports/nonconformity-board'].get.responses['200'].content['application/json'].schema;
    const ajv = new Ajv({ strict: false });
    assert.ok(ajv.validate(schema, b), JSON.stringify(ajv.errors));
    const cli = await ctx.cli(['nonconformity-board'], { as: 'mona' });
    assert.equal(cli.code, 0, cli.describe);
    assert.match(cli.stdout, /Cause analysed \(\d+\)/);
    assert.match(cli.stdout, new RegExp(`#${n.id}\\s.*OVERDUE`));
  });

  test('the register exports every nonconformity with a row per corrective action', async () => {
    const n = await nc({ title: uniq('Register NC') });
    const a = await action(n.id, { description: uniq('Register action') });
    const res = await mona.get('/api/v1/reports/nonconformity-register.csv');
    expectStatus(res, 200);
    assert.match(res.headers.get('content-type'), /text\/csv/);
    const line = res.text.split('\n').find((l) => l.includes(n.title));
    assert.ok(line && line.includes(a.description), res.text.slice(0, 2000));
    assert.match(res.text.split('\n')[0], /Corrective action: Owner/);
  });

  test('checks: an overdue action and an old unanalysed nonconformity fail, naming them', async () => {
    const old = await nc({ title: uniq('Old'), detected_on: day(-45) });
    let k = await check('nc-root-cause');
    assert.equal(k.ok, false);
    assert.match(k.detail, new RegExp(old.title));
    await ok(await act(mona, old.id, 'analyse', { root_cause: 'Found it.' }));
    assert.equal((await check('nc-root-cause')).ok, true);
    k = await check('nc-actions-on-time');
    assert.equal(k.ok, false, 'the overdue action of the board test');
    assert.match(k.detail, /corrective action/);
    const late = (await ok(await mona.get('/api/v1/corrective-actions?limit=500'))).items
      .filter((x) => x.overdue);
    assert.ok(late.length > 0);
    for (const x of late) await ok(await mona.patch(`/api/v1/corrective-actions/${x.id}`, { due_on: day(7) }));
    assert.equal((await check('nc-actions-on-time')).ok, true);
    assert.equal((await check('nc-closed-effective')).ok, true);
  });

  test('checks: a closed nonconformity without an effective review fails, naming it', async () => {
    const n = await readyToVerify({ owner: other.id, title: uniq('Tampered') });
    await ok(await act(tom, n.id, 'review_effectiveness', { result: 'effective', evidence: 'x' }));
    await ok(await act(mona, n.id, 'close'));
    await ctx.store.sql(`UPDATE nonconformities SET review_result = 'not_effective' WHERE id = ${n.id}`);
    const k = await check('nc-closed-effective');
    assert.equal(k.ok, false);
    assert.match(k.detail, new RegExp(n.title));
    await ctx.store.sql(`UPDATE nonconformities SET review_result = 'effective' WHERE id = ${n.id}`);
    assert.equal((await check('nc-closed-effective')).ok, true);
  });

  test('an open corrective action is due to its owner', async () => {
    const n = await nc();
    const a = await action(n.id, { due_on: day(3) });
    const due = await ok(await mona.get('/api/v1/due?days=10'));
    assert.ok(due.items.some((i) => i.type === 'corrective-actions' && i.id === a.id && i.date === day(3)),
      JSON.stringify(due.items.slice(0, 5)));
    await ok(await mona.patch(`/api/v1/corrective-actions/${a.id}`, { status: 'cancelled' }));
    const after2 = await ok(await mona.get('/api/v1/due?days=10'));
    assert.ok(!after2.items.some((i) => i.type === 'corrective-actions' && i.id === a.id));
  });
});
