// due.test.mjs — GET /api/v1/due and `isms due`: reviews and actions whose date has come or
// comes within a period, overdue flagged, for everyone or only the signed-in person.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPerson, expectError, expectStatus, linkUser, setup } from './lib.mjs';

let ctx, mona, adam, rita, sam, mine, other;
const day = (offset) => new Date(Date.now() + offset * 86400e3).toISOString().slice(0, 10);

before(async () => {
  ctx = await setup();
  [mona, adam, rita, sam] = await Promise.all(['mona', 'adam', 'rita', 'sam'].map((u) => ctx.login(u)));
  const pRita = await createPerson(mona, { name: 'Rita Due' });
  const pOther = await createPerson(mona, { name: 'Olga Other' });
  await linkUser(adam, 'rita', pRita.id);
  const issue = (title, next, owner) => mona.post('/api/v1/context-issues', {
    title, origin: 'external', category: 'legal', owner, last_reviewed: day(-400), next_review: next });
  mine = (await issue('Overdue review of mine', day(-3), pRita.id)).json;
  other = (await issue('Overdue review of someone else', day(-10), pOther.id)).json;
  expectStatus(await issue('Review in ten days', day(10), pRita.id), 201);
  expectStatus(await issue('Review next year', day(200), pRita.id), 201);
  // A finished ISMS action is never due, however old its date.
  expectStatus(await mona.post('/api/v1/isms-risks', { title: 'Done long ago', kind: 'risk',
    due_date: day(-50), status: 'done', effectiveness: 'Checked.' }), 201);
  expectStatus(await mona.post('/api/v1/isms-risks', { title: 'Open action', kind: 'opportunity',
    due_date: day(-1), status: 'open' }), 201);
});
after(async () => { await ctx.expectCleanShutdown(); });

describe('GET /api/v1/due', () => {
  test('lists what is due within 30 days by default, oldest first, overdue flagged', async () => {
    const r = await sam.get('/api/v1/due');
    expectStatus(r, 200);
    const titles = r.json.items.map((i) => i.title);
    assert.deepEqual(titles, ['Overdue review of someone else', 'Overdue review of mine', 'Open action', 'Review in ten days']);
    assert.deepEqual(r.json.items.map((i) => i.overdue), [true, true, true, false]);
    assert.equal(r.json.total, 4);
    assert.equal(r.json.overdue, 3);
    const first = r.json.items[0];
    assert.deepEqual([first.type, first.id, first.what], ['context-issues', other.id, 'review']);
  });

  test('days=0 keeps only what is overdue; mine=true only the person of the account', async () => {
    const overdue = await sam.get('/api/v1/due?days=0');
    assert.equal(overdue.json.total, 3);
    const own = await rita.get('/api/v1/due?mine=true');
    assert.deepEqual(own.json.items.map((i) => i.id), [mine.id, own.json.items[1].id]);
    assert.deepEqual(own.json.items.map((i) => i.title), ['Overdue review of mine', 'Review in ten days']);
    const none = await sam.get('/api/v1/due?mine=true');
    assert.equal(none.json.total, 0, 'an account without a person owns nothing');
  });

  test('a closed status or a new review date takes an item off the list', async () => {
    expectStatus(await mona.patch(`/api/v1/context-issues/${other.id}`, { last_reviewed: day(0), next_review: day(365) }), 200);
    const r = await sam.get('/api/v1/due?days=0');
    assert.ok(!r.json.items.some((i) => i.id === other.id && i.type === 'context-issues'));
    assert.equal(r.json.overdue, 2);
  });

  test('bad parameters are refused with the field', async () => {
    expectError(await sam.get('/api/v1/due?days=abc'), 400, 'invalid', 'days');
    expectError(await sam.get('/api/v1/due?days=400'), 400, 'invalid', 'days');
    expectError(await sam.get('/api/v1/due?mine=maybe'), 400, 'invalid', 'mine');
    expectError(await ctx.anon.get('/api/v1/due'), 401, 'unauthenticated');
  });

  test('isms due prints the same list', async () => {
    const r = await ctx.cli(['--as', 'rita', 'due', '--mine', '--json']);
    assert.equal(r.code, 0, r.describe);
    assert.deepEqual(JSON.parse(r.stdout).items.map((i) => i.title), ['Overdue review of mine', 'Review in ten days']);
    const bad = await ctx.cli(['--as', 'rita', 'due', '--days', 'x']);
    assert.equal(bad.code, 2, bad.describe);
  });
});
