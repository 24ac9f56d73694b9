// communication.test.mjs — 7.4: the communication plan (what, why, how often from a first
// day, with which interested parties or audience, how, by whom, which direction) with its
// derived next occurrence; the log of communications (plan entry optional, past dates,
// direction and channel from the plan, inbound ones with a response owner and due date);
// what falls due (a plan entry whose next occurrence has passed with nothing recorded since,
// an inbound communication not answered in time); and the two 7.4 checks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPerson, expectError, expectStatus, linkUser, setup, uniq } from './lib.mjs';

const P = '/api/v1/communications';
const L = '/api/v1/communication-records';
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

let ctx;
let adam; let mona; let sam; let audrey;
let owner; let internal; let external;

async function party(origin) {
  const r = await mona.post('/api/v1/interested-parties', { name: uniq('Party'), origin,
    kind: origin === 'internal' ? 'staff' : 'regulator' });
  expectStatus(r, 201);
  return r.json;
}

async function plan(fields) {
  const r = await mona.post(P, { subject: uniq('Subject'), frequency: 'monthly', first_on: day(10),
    channel: 'email', communicator: owner.id, ...fields });
  expectStatus(r, 201);
  return r.json;
}

async function logged(fields) {
  const r = await mona.post(L, { summary: uniq('Sent'), communicated_on: day(0), ...fields });
  expectStatus(r, 201);
  return r.json;
}

const checks = async () => {
  const r = await mona.get('/api/v1/reports/policy-checks');
  expectStatus(r, 200);
  return Object.fromEntries(r.json.checks.map((c) => [c.id, c]));
};
const dueItems = async (client, query, type) =>
  (await client.get(`/api/v1/due?${query}`)).json.items.filter((it) => it.type === type);

before(async () => {
  ctx = await setup();
  adam = await ctx.login('adam');
  mona = await ctx.login('mona');
  sam = await ctx.login('sam');
  audrey = await ctx.login('audrey');
  owner = await createPerson(adam, { name: uniq('Communicator') });
  internal = await party('internal');
  external = await party('external');
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('the 7.4 checks', () => {
  test('the plan must reach inside and outside the organization', async () => {
    let c = (await checks())['communication-plan'];
    assert.equal(c.clause, '7.4');
    assert.equal(c.ok, false);
    assert.match(c.detail, /no communication is planned/);
    const inside = await plan({ audience: 'all staff', first_on: day(5) });
    c = (await checks())['communication-plan'];
    assert.equal(c.ok, false);
    assert.match(c.detail, /none for interested parties outside it/);
    const outside = await plan({ interested_parties: [external.id], first_on: day(5) });
    c = (await checks())['communication-plan'];
    assert.equal(c.ok, true, c.detail);
    assert.match(c.detail, /2 entries reach people inside the organization and parties outside it/);
    // An inactive entry does not count; an internal party counts as inside.
    expectStatus(await mona.patch(`${P}/${inside.id}`, { active: false }), 200);
    assert.equal((await checks())['communication-plan'].ok, false);
    const viaParty = await plan({ interested_parties: [internal.id], first_on: day(5) });
    assert.equal((await checks())['communication-plan'].ok, true);
    for (const p of [outside, viaParty]) expectStatus(await mona.patch(`${P}/${p.id}`, { active: false }), 200);
  });

  test('communication kept: nothing overdue, or the overdue items named', async () => {
    let c = (await checks())['communication-kept'];
    assert.equal(c.ok, true, c.detail);
    assert.equal(c.detail, 'nothing is overdue');
    const late = await plan({ subject: uniq('Newsletter'), audience: 'all staff', first_on: day(-3) });
    c = (await checks())['communication-kept'];
    assert.equal(c.ok, false);
    assert.match(c.detail, new RegExp(`"${late.subject}" since ${day(-3)}`));
    // What falls due today is not late yet.
    expectStatus(await mona.patch(`${P}/${late.id}`, { first_on: day(0) }), 200);
    assert.equal((await checks())['communication-kept'].ok, true);
    expectStatus(await mona.patch(`${P}/${late.id}`, { first_on: day(-3) }), 200);
    await logged({ communication: late.id, communicated_on: day(-1) });
    assert.equal((await checks())['communication-kept'].ok, true);
    const letter = await logged({ direction: 'inbound', summary: uniq('Regulator letter'), communicated_on: day(-20),
      response_due_on: day(-2), response_owner: owner.id });
    c = (await checks())['communication-kept'];
    assert.equal(c.ok, false);
    assert.match(c.detail, new RegExp(`response to "${letter.summary}" since ${day(-2)}`));
    expectStatus(await mona.patch(`${L}/${letter.id}`, { responded_on: day(-1), response: 'Answered by letter.' }), 200);
    assert.equal((await checks())['communication-kept'].ok, true);
    expectStatus(await mona.patch(`${P}/${late.id}`, { active: false }), 200);
  });
});

describe('the plan', () => {
  test('what a plan entry must say: 400 naming the field, nothing stored', async () => {
    const base = { subject: uniq('Bad'), frequency: 'monthly', first_on: day(1), channel: 'email',
      communicator: owner.id, audience: 'all staff' };
    const cases = [
      [{ audience: null }, 'interested_parties'],
      [{ audience: '' }, 'interested_parties'],
      [{ frequency: 'weekly' }, 'frequency'],
      [{ frequency: undefined }, 'frequency'],
      [{ channel: 'pigeon' }, 'channel'],
      [{ channel: undefined }, 'channel'],
      [{ communicator: undefined }, 'communicator'],
      [{ communicator: 999999 }, 'communicator'],
      [{ first_on: '2026-13-01' }, 'first_on'],
      [{ first_on: undefined }, 'first_on'],
      [{ direction: 'sideways' }, 'direction'],
      [{ interested_parties: [999999] }, 'interested_parties'],
      [{ next_occurrence: day(3) }, 'next_occurrence'],
    ];
    for (const [change, field] of cases) {
      const r = await mona.post(P, { ...base, ...change });
      expectError(r, 400, 'invalid', field);
    }
    assert.equal((await mona.get(`${P}?q=${encodeURIComponent(base.subject)}`)).json.total, 0);
    expectError(await sam.post(P, base), 403, 'forbidden');
    expectStatus(await sam.get(P), 200);
  });

  test('the next occurrence follows the frequency from the first day and the latest record', async () => {
    const monthly = await plan({ audience: 'all staff', first_on: '2026-01-31', active: false });
    assert.equal(monthly.next_occurrence, null, 'inactive: none');
    expectStatus(await mona.patch(`${P}/${monthly.id}`, { active: true }), 200);
    assert.equal((await mona.get(`${P}/${monthly.id}`)).json.next_occurrence, '2026-01-31');
    await logged({ communication: monthly.id, communicated_on: '2026-03-05', summary: uniq('March issue') });
    assert.equal((await mona.get(`${P}/${monthly.id}`)).json.next_occurrence, '2026-03-31',
      'counted from the first day: 31 January + 2 months, no drift to the 28th');
    const quarterly = await plan({ audience: 'management', frequency: 'quarterly', first_on: '2025-11-15' });
    await logged({ communication: quarterly.id, communicated_on: '2026-05-15' });
    assert.equal((await mona.get(`${P}/${quarterly.id}`)).json.next_occurrence, '2026-08-15');
    const once = await plan({ audience: 'all staff', frequency: 'once', first_on: '2026-06-01' });
    assert.equal(once.next_occurrence, '2026-06-01');
    await logged({ communication: once.id, communicated_on: '2026-06-02' });
    assert.equal((await mona.get(`${P}/${once.id}`)).json.next_occurrence, null, 'a one-off, done');
    const half = await plan({ audience: 'board', frequency: 'half_yearly', first_on: '2026-02-10' });
    await logged({ communication: half.id, communicated_on: '2026-02-10' });
    assert.equal((await mona.get(`${P}/${half.id}`)).json.next_occurrence, '2026-08-10');
    // Up to half a period early counts for the occurrence it precedes.
    const yearly = await plan({ audience: 'regulator team', frequency: 'yearly', first_on: '2026-04-30' });
    await logged({ communication: yearly.id, communicated_on: '2026-04-28' });
    assert.equal((await mona.get(`${P}/${yearly.id}`)).json.next_occurrence, '2027-04-30');
    expectStatus(await mona.patch(`${P}/${yearly.id}`, { active: false }), 200);
    const list = await mona.get(`${P}?q=${encodeURIComponent(half.subject)}`);
    assert.equal(list.json.items[0].next_occurrence, '2026-08-10', 'lists show it too');
    for (const p of [monthly, quarterly, half]) expectStatus(await mona.patch(`${P}/${p.id}`, { active: false }), 200);
  });
});

describe('the log', () => {
  test('direction and channel come from the plan entry; a mismatch is refused', async () => {
    const inbound = await plan({ interested_parties: [external.id], direction: 'inbound', channel: 'letter', active: false });
    const r = await logged({ communication: inbound.id });
    assert.equal(r.direction, 'inbound');
    assert.equal(r.channel, 'letter');
    expectError(await mona.post(L, { communication: inbound.id, direction: 'outbound', summary: 'x',
      communicated_on: day(0) }), 400, 'invalid', 'direction');
    const free = await logged({});
    assert.equal(free.direction, 'outbound');
    assert.equal(free.channel, null);
    assert.equal(free.communication, null);
  });

  test('responses belong to inbound communications and follow their date', async () => {
    const base = { summary: uniq('Questionnaire'), communicated_on: day(-10), direction: 'inbound' };
    const cases = [
      [{ communicated_on: day(1) }, 'communicated_on'],
      [{ communicated_on: undefined }, 'communicated_on'],
      [{ summary: undefined }, 'summary'],
      [{ direction: 'outbound', response_due_on: day(5), response_owner: owner.id }, 'response_due_on'],
      [{ direction: 'outbound', responded_on: day(-1) }, 'responded_on'],
      [{ direction: 'outbound', response_owner: owner.id }, 'response_owner'],
      [{ response_due_on: day(5) }, 'response_owner'],
      [{ response_due_on: day(-11), response_owner: owner.id }, 'response_due_on'],
      [{ responded_on: day(-11) }, 'responded_on'],
      [{ responded_on: day(1) }, 'responded_on'],
      [{ channel: 'fax' }, 'channel'],
    ];
    for (const [change, field] of cases) {
      const r = await mona.post(L, { ...base, ...change });
      expectError(r, 400, 'invalid', field);
    }
    assert.equal((await mona.get(`${L}?q=${encodeURIComponent(base.summary)}`)).json.total, 0);
    expectStatus(await sam.get(L), 200);
    expectError(await sam.post(L, { summary: 'x', communicated_on: day(0) }), 403, 'forbidden');
    expectStatus(await audrey.get(L), 200);
    const ok = await logged({ ...base, response_due_on: day(5), response_owner: owner.id });
    expectError(await mona.patch(`${L}/${ok.id}`, { responded_on: day(-11) }), 400, 'invalid', 'responded_on');
  });
});

describe('evidence', () => {
  test('a communication carries evidence files; it is not deleted while it has some', async () => {
    const r = await logged({ summary: uniq('Board pack sent') });
    const up = await mona.request('POST', `${L}/${r.id}/attachments`, {
      body: new TextEncoder().encode('# Board pack\n\nSlides.\n'), contentType: 'text/markdown',
      headers: { 'X-Filename': 'board-pack.md' } });
    expectStatus(up, 201);
    assert.equal(up.json.record_type, 'communication-records');
    assert.equal(up.json.record_id, r.id);
    const rec = (await audrey.get(`${L}/${r.id}`)).json;
    assert.ok(rec.attachments === undefined || rec.attachments.includes(up.json.id));
    expectError(await mona.del(`${L}/${r.id}`), 409, 'in_use');
  });
});

describe('what is due', () => {
  test('a plan entry whose occurrence has passed with nothing recorded since; its owner sees it as theirs', async () => {
    const pSam = await createPerson(adam, { name: uniq('Sam') });
    await linkUser(adam, 'sam', pSam.id);
    const p = await plan({ subject: uniq('Report'), audience: 'management', first_on: day(-5), communicator: pSam.id });
    let items = (await dueItems(mona, 'days=0', 'communications')).filter((it) => it.id === p.id);
    assert.deepEqual(items.map(({ what, date, overdue, owner: o, title }) => ({ what, date, overdue, owner: o, title })),
      [{ what: 'communication', date: day(-5), overdue: true, owner: pSam.id, title: p.subject }]);
    assert.equal((await dueItems(sam, 'days=0&mine=true', 'communications')).filter((it) => it.id === p.id).length, 1);
    assert.equal((await dueItems(mona, 'days=0&mine=true', 'communications')).filter((it) => it.id === p.id).length, 0);
    await logged({ communication: p.id, communicated_on: day(-1) });
    items = (await dueItems(mona, 'days=0', 'communications')).filter((it) => it.id === p.id);
    assert.equal(items.length, 0, 'done since: not due');
    const later = await plan({ audience: 'all staff', frequency: 'yearly', first_on: day(20) });
    assert.equal((await dueItems(mona, 'days=0', 'communications')).filter((it) => it.id === later.id).length, 0);
    const soon = (await dueItems(mona, 'days=30', 'communications')).filter((it) => it.id === later.id);
    assert.equal(soon.length, 1);
    assert.equal(soon[0].overdue, false);
    for (const x of [p, later]) expectStatus(await mona.patch(`${P}/${x.id}`, { active: false }), 200);
  });

  test('an inbound communication without a response past its due date, until answered', async () => {
    const r = await logged({ direction: 'inbound', summary: uniq('Customer questionnaire'), communicated_on: day(-15),
      response_due_on: day(-1), response_owner: owner.id, interested_parties: [external.id] });
    let items = (await dueItems(mona, 'days=0', 'communication-records')).filter((it) => it.id === r.id);
    assert.deepEqual(items.map(({ what, date, overdue, owner: o }) => ({ what, date, overdue, owner: o })),
      [{ what: 'response', date: day(-1), overdue: true, owner: owner.id }]);
    expectStatus(await mona.patch(`${L}/${r.id}`, { responded_on: day(0) }), 200);
    items = (await dueItems(mona, 'days=0', 'communication-records')).filter((it) => it.id === r.id);
    assert.equal(items.length, 0);
  });

  test('the CLI lists the plan and what is due', async () => {
    const p = await plan({ subject: uniq('CLI bulletin'), audience: 'all staff', first_on: day(-2) });
    const list = await ctx.cli(['list', 'communications', '--json'], { as: 'mona' });
    assert.equal(list.code, 0, list.describe);
    const found = JSON.parse(list.stdout).items.find((it) => it.id === p.id);
    assert.equal(found.next_occurrence, day(-2));
    const due = await ctx.cli(['due', '--days', '0'], { as: 'mona' });
    assert.match(due.stdout, new RegExp(`${day(-2)}\\s+OVERDUE\\s+communication\\s+${p.id}\\s+${p.subject}`));
    expectStatus(await mona.patch(`${P}/${p.id}`, { active: false }), 200);
  });
});

test('the server exits cleanly', async () => {
  await ctx.expectCleanShutdown();
});
