// management_review.test.mjs — 9.3 management review: reviews (prepare, hold with top
// management present), inputs compiled from live data and frozen with their SHA-256 when held,
// `isms verify` catching a tampered pack, review actions and their rules, the review pack
// (JSON and printable HTML), review-inputs, the change log phrased per type, and the 9.3 checks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createPerson, createStore, expectError, expectStatus, grantAuthority, ismsOn, setup, uniq, USERS,
} from './lib.mjs';

let ctx; let adam; let mona; let sam; let audrey; let boss; let nobody; let person;
const LETTERS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);
const today = day(0);

async function ok(res, status = 200) { expectStatus(res, status); return res.json; }
const act = (c, id, name, body = {}) => c.post(`/api/v1/management-reviews/${id}/actions/${name}`, body);
const checks = async (c) => (await ok(await c.get('/api/v1/reports/policy-checks'))).checks
  .filter((k) => k.clause === '9.3');
const draft = async (fields = {}) => ok(await mona.post('/api/v1/management-reviews',
  { title: uniq('Review'), planned_on: today, ...fields }), 201);

before(async () => {
  ctx = await setup({ users: { ...USERS } });
  [adam, mona, sam, audrey] = await Promise.all(['adam', 'mona', 'sam', 'audrey'].map((u) => ctx.login(u)));
  boss = (await grantAuthority(adam, 'tom', { top_management: true })).person;
  nobody = (await createPerson(adam, { name: 'Nora Nobody' })).id;
  person = await createPerson(mona);
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('9.3 before any review', () => {
  test('the check says no review has been held, naming what to do', async () => {
    const items = await checks(sam);
    assert.equal(items.length, 1);
    assert.equal(items[0].ok, false);
    assert.match(items[0].detail, /No management review has been held yet/);
  });

  test('review-inputs compiles every section a–g, each with entries or a note saying why', async () => {
    const p = await ok(await mona.get('/api/v1/reports/review-inputs'));
    assert.deepEqual(Object.keys(p.sections).sort(), LETTERS);
    assert.equal(p.period.since, null);
    assert.equal(p.period.until, today);
    assert.equal(p.sections.a.note, 'No earlier review: this is the first.');
    for (const l of LETTERS) {
      const s = p.sections[l];
      assert.ok(s.entries.length > 0 || s.note, `section ${l} is empty without a note`);
    }
    // d states the four kinds of performance feedback even when no module gives one.
    const clauses = p.sections.d.entries.map((e) => e.clause);
    for (const c of ['6.2', '9.1', '9.2', '10.2']) assert.ok(clauses.includes(c), `d lacks ${c}`);
  });

  test('review-inputs refuses a bad date naming the parameter, and since after until', async () => {
    expectError(await mona.get('/api/v1/reports/review-inputs?since=2026-13-01'), 400, 'invalid', 'since');
    expectError(await mona.get('/api/v1/reports/review-inputs?since=2026-05-02&until=2026-05-01'), 400, 'invalid', 'since');
  });

  test('changes since a date are phrased from the change log, per type', async () => {
    await ok(await mona.post('/api/v1/context-issues', { title: uniq('Issue'), origin: 'external',
      category: 'economic' }), 201);
    await ok(await mona.post('/api/v1/context-issues', { title: uniq('Issue'), origin: 'internal',
      category: 'culture' }), 201);
    const p = await ok(await mona.get(`/api/v1/reports/review-inputs?since=${today}`));
    const issues = p.changes.find((c) => c.type === 'context-issues');
    assert.equal(issues.created, 2);
    assert.match(issues.summary, /^2 context issues added/);
    const b = p.sections.b.entries.find((e) => e.clause === '4.1');
    assert.match(b.summary, /2 context issues added/);
    assert.equal(b.items.length, 2);
    const tomorrow = await ok(await mona.get(`/api/v1/reports/review-inputs?since=${day(1)}&until=${day(1)}`));
    assert.equal(tomorrow.changes.length, 0);
  });
});

describe('holding a review', () => {
  test('a review needs its title: 400 names the field, nothing stored', async () => {
    const before = (await ok(await mona.get('/api/v1/management-reviews'))).total;
    expectError(await mona.post('/api/v1/management-reviews', { planned_on: today }), 400, 'invalid', 'title');
    expectError(await mona.post('/api/v1/management-reviews', { title: 'x', chair: 999999 }), 400, 'invalid', 'chair');
    assert.equal((await ok(await mona.get('/api/v1/management-reviews'))).total, before);
  });

  test('prepare compiles the inputs into the review; staff may not', async () => {
    const r = await draft({ chair: boss });
    expectStatus(await act(sam, r.id, 'prepare'), 403);
    const p = await ok(await act(mona, r.id, 'prepare'));
    assert.equal(p.status, 'prepared');
    assert.equal(p.prepared_on, today);
    assert.deepEqual(Object.keys(p.inputs.sections).sort(), LETTERS);
    assert.equal(p.inputs_sha256, null);
    // inputs are the product's: a client cannot write them
    expectError(await mona.patch(`/api/v1/management-reviews/${r.id}`, { inputs: {} }), 400, 'invalid', 'inputs');
  });

  test('holding without top management present is 409 naming the rule, and nothing changes', async () => {
    const r = await draft({ chair: nobody, attendees: [person.id] });
    const res = await act(mona, r.id, 'hold');
    expectError(res, 409, 'conflict', 'attendees');
    assert.match(res.json.error.message, /top management must be present/);
    const again = await ok(await mona.get(`/api/v1/management-reviews/${r.id}`));
    assert.equal(again.status, 'draft');
    assert.equal(again.inputs, null);
  });

  test('holding needs a chair (400 naming it); auditors never hold a review', async () => {
    const r = await draft({ attendees: [boss] });
    expectError(await act(mona, r.id, 'hold'), 400, 'invalid', 'chair');
    const r2 = await draft({ chair: boss });
    expectStatus(await act(audrey, r2.id, 'hold'), 403);
  });

  let held;
  test('held: the inputs are frozen and sealed with their SHA-256', async () => {
    const r = await draft({ chair: nobody, attendees: [boss, person.id], notes: 'Decided to act.' });
    held = await ok(await act(mona, r.id, 'hold'));
    assert.equal(held.status, 'held');
    assert.equal(held.held_on, today);
    assert.match(held.inputs_sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(Object.keys(held.inputs.sections).sort(), LETTERS);
  });

  test('the frozen pack does not change after later edits; its sealed fields refuse changes', async () => {
    const before = await ok(await mona.get(`/api/v1/reports/review-pack?id=${held.id}`));
    assert.equal(before.frozen, true);
    assert.equal(before.seal_holds, true);
    await ok(await mona.post('/api/v1/context-issues', { title: uniq('Later issue'), origin: 'external',
      category: 'legal' }), 201);
    await ok(await mona.patch(`/api/v1/management-reviews/${held.id}`, { notes: 'Minutes, typed up later.' }));
    const afterwards = await ok(await mona.get(`/api/v1/reports/review-pack?id=${held.id}`));
    assert.deepEqual(afterwards.pack, before.pack);
    assert.equal(afterwards.inputs_sha256, held.inputs_sha256);
    // who took part is evidence
    expectError(await mona.patch(`/api/v1/management-reviews/${held.id}`, { attendees: [person.id] }),
      409, 'conflict', 'attendees');
    // a sealed review is not deleted, and cannot be held again
    expectError(await mona.del(`/api/v1/management-reviews/${held.id}`), 409, 'conflict', 'inputs');
    expectError(await act(mona, held.id, 'hold'), 409, 'conflict', 'status');
    // live compile differs from the frozen pack (the later issue)
    const live = await ok(await mona.get('/api/v1/reports/review-inputs'));
    assert.notDeepEqual(live.sections.b, before.pack.sections.b);
  });

  test('the review pack prints as HTML with every section and the SHA-256', async () => {
    const res = await mona.get(`/api/v1/reports/review-pack.html?id=${held.id}`);
    expectStatus(res, 200);
    assert.match(res.headers.get('content-type'), /text\/html/);
    for (const l of LETTERS) assert.match(res.text, new RegExp(`id="input-${l}"`));
    assert.ok(res.text.includes(held.inputs_sha256));
    assert.match(res.text, /verified/);
    assert.match(res.text, /Outputs: decisions and actions/);
  });

  test('review-pack: 404 for an unknown review, 400 for a bad id', async () => {
    expectStatus(await mona.get('/api/v1/reports/review-pack?id=999999'), 404);
    expectError(await mona.get('/api/v1/reports/review-pack?id=x'), 400, 'invalid', 'id');
  });

  test('review actions: only for held reviews; owner and due date required; done needs done_on', async () => {
    const open = await draft();
    expectError(await mona.post('/api/v1/review-actions', { review: open.id, title: 'x', owner: boss,
      due_on: day(10) }), 409, 'conflict', 'review');
    expectError(await mona.post('/api/v1/review-actions', { review: held.id, title: 'x', due_on: day(10) }),
      400, 'invalid', 'owner');
    expectError(await mona.post('/api/v1/review-actions', { review: held.id, title: 'x', owner: boss }),
      400, 'invalid', 'due_on');
    expectError(await mona.post('/api/v1/review-actions', { review: held.id, title: 'x', owner: boss,
      due_on: day(10), status: 'done' }), 400, 'invalid', 'done_on');
    const total = (await ok(await mona.get(`/api/v1/review-actions?review=${held.id}`))).total;
    assert.equal(total, 0);
  });

  test('the checks are met with a recent review, its outputs and no overdue action', async () => {
    await ok(await mona.post('/api/v1/review-actions', { review: held.id, title: 'Hire an engineer',
      kind: 'resources', owner: boss, due_on: day(30) }), 201);
    const items = await checks(sam);
    assert.deepEqual(items.map((k) => k.id), ['review-held', 'review-inputs', 'review-outputs', 'review-actions']);
    for (const k of items) assert.equal(k.ok, true, `${k.id}: ${k.detail}`);
  });
});

describe('the next review follows up the actions', () => {
  test('(a) lists the previous reviews\' actions with their status', async () => {
    const p = await ok(await mona.get(`/api/v1/reports/review-inputs?since=${today}`));
    const a = p.sections.a.entries[0];
    assert.ok(a, JSON.stringify(p.sections.a));
    assert.ok(a.items.some((i) => i.title === 'Hire an engineer' && /open, due/.test(i.detail)));
    assert.match(a.summary, /1 open/);
    assert.equal(p.sections.a.note, undefined);
  });
});

describe('isms verify checks the seal', () => {
  test('tampering with the frozen inputs in the store fails verify naming the review', async () => {
    const r = await draft({ chair: boss });
    await ok(await act(mona, r.id, 'hold'));
    let v = await ctx.cli(['verify']);
    assert.equal(v.code, 0, v.describe);
    await ctx.store.sql(`UPDATE management_reviews SET inputs = replace(inputs, 'Status of actions', 'Status of actionz') WHERE id = ${r.id}`);
    v = await ctx.cli(['verify']);
    assert.notEqual(v.code, 0);
    assert.match(v.stdout + v.stderr, new RegExp(`management review ${r.id}: its sealed content no longer matches`));
  });
});

describe('the demo', () => {
  let store;
  before(async () => {
    store = await createStore();
    const r = await ismsOn(store, ['init', '--demo']);
    assert.equal(r.code, 0, r.describe);
  });
  after(async () => { if (store) await store.cleanup(); });
  const cli = async (args) => {
    const r = await ismsOn(store, args, { as: 'isms.manager' });
    assert.equal(r.code, 0, r.describe);
    return JSON.parse(r.stdout);
  };

  test('the September 2026 review is held, its pack sealed and agreeing with that day\'s data', async () => {
    const reviews = await cli(['list', 'management-reviews', '--json']);
    const sept = reviews.items.find((r) => r.held_on === '2026-09-24');
    assert.ok(sept, 'a review held on 24 September 2026');
    assert.ok(reviews.items.some((r) => r.status === 'draft' && r.planned_on?.startsWith('2026-12')),
      'the December 2026 review is planned');
    const pack = await cli(['review-pack', String(sept.id), '--json']);
    assert.equal(pack.frozen, true);
    assert.equal(pack.seal_holds, true);
    assert.equal(pack.review.chair.name, 'Marieke van Dijk');
    assert.equal(pack.review.attendees.length, 4);
    // The frozen count of context issues is the register as it stood at the end of that day.
    const then = await cli(['list', 'context-issues', '--json', '--as-of', sept.updated_at]);
    const b = pack.pack.sections.b.entries.find((e) => e.clause === '4.1');
    assert.match(b.summary, new RegExp(`\\(${then.total} context issues on record\\)`));
    const risks = await cli(['list', 'risks', '--json', '--as-of', sept.updated_at, '--limit', '500']);
    const open = risks.items.filter((r) => r.status !== 'closed').length;
    const f = pack.pack.sections.f.entries.find((e) => e.clause === '6.1.2');
    assert.match(f.summary, new RegExp(`^${open} open risks`));
    assert.ok(pack.actions.length >= 4, 'the actions the minutes decided');
    assert.ok(pack.actions.some((a) => a.status === 'done'));
    const v = await ismsOn(store, ['verify']);
    assert.equal(v.code, 0, v.describe);
    const checks = await ismsOn(store, ['checks', '--json'], { as: 'isms.manager' });
    const items = JSON.parse(checks.stdout).checks.filter((k) => k.clause === '9.3');
    assert.equal(items.length, 4);
    for (const k of items) assert.equal(k.ok, true, `${k.id}: ${k.detail}`);
  });
});
