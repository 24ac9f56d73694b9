// awareness.test.mjs — 7.3 awareness campaigns: what a campaign must say (content or a
// document, an audience, a period), who belongs to its audience (everyone, departments,
// role holders during the campaign, named people; never leavers), completions (only people
// in the audience, once each, dated in the past, backdated with a note), coverage per
// campaign and of all (HTTP, CLI, --json), acknowledgements of the policy a campaign names
// counting as completions, people overdue as items of "what is due", and the 7.3 check.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createPerson, createStore, expectError, expectStatus, grantAuthority, ismsOn, linkUser, setup, uniq,
  USERS,
} from './lib.mjs';

const C = '/api/v1/awareness-campaigns';
const K = '/api/v1/awareness-completions';
const COV = '/api/v1/reports/awareness-coverage';
const EXTRA_USERS = { mia: { role: 'isms_manager', name: 'Mia Manager' } };

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const TODAY = day(0);

let ctx;
let adam; let mona; let mia; let sam; let audrey;

// A department of n fresh active people (and their records).
async function department(n) {
  const name = uniq('Dept');
  const people = [];
  for (let i = 0; i < n; i++) people.push(await createPerson(adam, { name: uniq(`P${i}`), department: name }));
  return { name, people };
}

async function campaign(fields) {
  const r = await mona.post(C, { topic: uniq('Topic'), content: 'Slides on the intranet',
    starts_on: day(-30), ends_on: day(30), due_on: day(20), status: 'running', ...fields });
  expectStatus(r, 201);
  return r.json;
}

const complete = (campaignId, person, fields = {}) =>
  mona.post(K, { campaign: campaignId, person, ...fields });

async function coverage(id) {
  const r = await mona.get(`${COV}?campaign=${id}`);
  expectStatus(r, 200);
  return r.json;
}

const checks = async () => {
  const r = await mona.get('/api/v1/reports/policy-checks');
  expectStatus(r, 200);
  return Object.fromEntries(r.json.checks.map((c) => [c.id, c]));
};

before(async () => {
  ctx = await setup({ users: { ...USERS, ...EXTRA_USERS } });
  adam = await ctx.login('adam');
  mona = await ctx.login('mona');
  mia = await ctx.login('mia');
  sam = await ctx.login('sam');
  audrey = await ctx.login('audrey');
});
after(async () => { if (ctx) await ctx.teardown(); });

// First, while no campaign exists: the check needs campaigns at all.
describe('the 7.3 awareness check', () => {
  test('without campaigns it is not met, in plain words', async () => {
    const c = (await checks())['awareness-coverage'];
    assert.equal(c.clause, '7.3');
    assert.equal(c.ok, false);
    assert.match(c.detail, /no awareness campaign is recorded/);
    assert.equal(c.link, '/awareness');
  });

  test('a campaign not yet ended is not judged; an ended one is judged against its target', async () => {
    const d = await department(2);
    const running = await campaign({ audience_departments: [d.name] });
    let c = (await checks())['awareness-coverage'];
    assert.equal(c.ok, true, 'a running campaign is no finding');
    assert.match(c.detail, /none ended yet/);
    const ended = await campaign({ topic: uniq('Ended'), audience_departments: [d.name],
      starts_on: day(-60), due_on: day(-20), ends_on: day(-10), status: 'closed', target: 50 });
    c = (await checks())['awareness-coverage'];
    assert.equal(c.ok, false);
    assert.match(c.detail, new RegExp(`ended below target: "${ended.topic}" \\(0 % of 50 %\\)`));
    expectStatus(await complete(ended.id, d.people[0].id, { completed_on: day(-30), note: 'attendance list' }), 201);
    c = (await checks())['awareness-coverage'];
    assert.equal(c.ok, true, `50 % of 50 % is met: ${c.detail}`);
    assert.match(c.detail, /1 ended campaign reached its target/);
    // Cancelled campaigns count for nothing.
    const below = await campaign({ topic: uniq('Below'), audience_departments: [d.name],
      starts_on: day(-60), due_on: day(-20), ends_on: day(-10), status: 'closed' });
    assert.equal((await checks())['awareness-coverage'].ok, false);
    expectStatus(await mona.patch(`${C}/${below.id}`, { status: 'cancelled' }), 200);
    assert.equal((await checks())['awareness-coverage'].ok, true);
    expectStatus(await mona.patch(`${C}/${running.id}`, { status: 'cancelled' }), 200);
  });
});

describe('campaigns', () => {
  test('what a campaign must say: 400 naming the field, nothing stored', async () => {
    const d = await department(1);
    const base = { topic: uniq('Bad'), content: 'x', audience_departments: [d.name],
      starts_on: day(-5), ends_on: day(5), due_on: day(3) };
    const cases = [
      [{ content: null }, 'content'],
      [{ audience_departments: null }, 'audience_all'],
      [{ audience_departments: ['No such department anywhere'] }, 'audience_departments'],
      [{ audience_departments: 'Engineering' }, 'audience_departments'],
      [{ audience_departments: [''] }, 'audience_departments'],
      [{ ends_on: day(-6) }, 'ends_on'],
      [{ due_on: day(-6) }, 'due_on'],
      [{ starts_on: day(2), ends_on: day(9), due_on: day(9), status: 'running' }, 'status'],
      [{ target: 0 }, 'target'],
      [{ target: 101 }, 'target'],
      [{ status: 'paused' }, 'status'],
      [{ due_on: '2026-02-30' }, 'due_on'],
      [{ topic: undefined }, 'topic'],
      [{ audience_people: [999999] }, 'audience_people'],
    ];
    for (const [change, field] of cases) {
      const r = await mona.post(C, { ...base, ...change });
      expectError(r, 400, 'invalid', field);
    }
    const list = await mona.get(`${C}?q=${encodeURIComponent(base.topic)}`);
    assert.equal(list.json.total, 0, 'nothing stored on refusal');
  });

  test('defaults: planned, target 90; derived audience size, completed and coverage', async () => {
    const d = await department(3);
    const r = await mona.post(C, { topic: uniq('Defaults'), content: 'x', audience_departments: [d.name],
      starts_on: day(1), ends_on: day(30), due_on: day(20) });
    expectStatus(r, 201);
    assert.equal(r.json.status, 'planned');
    assert.equal(r.json.target, 90);
    assert.equal(r.json.audience_size, 3);
    assert.equal(r.json.completed, 0);
    assert.equal(r.json.coverage, 0);
  });

  test('staff and auditors read campaigns but may not write them', async () => {
    const d = await department(1);
    const c = await campaign({ audience_departments: [d.name] });
    expectStatus(await sam.get(`${C}/${c.id}`), 200);
    expectStatus(await audrey.get(`${C}/${c.id}`), 200);
    expectError(await sam.post(C, { topic: 'x', content: 'x', audience_all: true,
      starts_on: day(-1), ends_on: day(1), due_on: day(1) }), 403, 'forbidden');
    expectError(await sam.get(K), 403, 'forbidden');
  });
});

describe('audience', () => {
  test('departments, named people and role holders during the campaign; never leavers', async () => {
    const d = await department(2);
    const leaver = await createPerson(adam, { name: uniq('Leaver'), department: d.name, active: false });
    const named = await createPerson(adam, { name: uniq('Named') });
    const holder = await createPerson(adam, { name: uniq('Holder') });
    const former = await createPerson(adam, { name: uniq('Former holder') });
    const role = await mona.post('/api/v1/roles', { name: uniq('Champion'), responsibilities: 'Help the team.' });
    expectStatus(role, 201);
    expectStatus(await mona.post('/api/v1/role-assignments', { person: holder.id, role: role.json.id, starts_on: day(-100) }), 201);
    expectStatus(await mona.post('/api/v1/role-assignments', { person: former.id, role: role.json.id,
      starts_on: day(-300), ends_on: day(-200) }), 201);
    const c = await campaign({ audience_departments: [d.name], audience_people: [named.id], audience_roles: [role.json.id] });
    const cov = await coverage(c.id);
    const ids = cov.pending.map((p) => p.person).sort((a, b) => a - b);
    assert.deepEqual(ids, [...d.people.map((p) => p.id), named.id, holder.id].sort((a, b) => a - b));
    assert.ok(!ids.includes(leaver.id), 'leavers are not in the audience');
    assert.ok(!ids.includes(former.id), 'a role held before the campaign does not count');
    assert.equal(cov.audience_size, 4);
    const names = cov.pending.map((p) => p.name);
    assert.deepEqual(names, [...names].sort(), 'sorted by name');
  });

  test('everyone: every active person', async () => {
    const c = await campaign({ audience_all: true });
    const people = await mona.get('/api/v1/people?active=true&limit=500');
    expectStatus(people, 200);
    assert.equal((await coverage(c.id)).audience_size, people.json.total);
    expectStatus(await mona.patch(`${C}/${c.id}`, { status: 'cancelled' }), 200);
  });
});

describe('completions', () => {
  test('recorded for someone in the audience, once; today when no date is given', async () => {
    const d = await department(2);
    const c = await campaign({ audience_departments: [d.name] });
    const r = await complete(c.id, d.people[0].id, { score: 85 });
    expectStatus(r, 201);
    assert.equal(r.json.completed_on, TODAY);
    assert.equal(r.json.score, 85);
    assert.equal(r.json.recorded_by, 'mona');
    assert.equal(r.json.title, `${c.topic} — ${d.people[0].name}`);
    const again = await complete(c.id, d.people[0].id);
    expectError(again, 409, 'conflict', 'person');
    assert.match(again.json.error.message, /already recorded/);
    // Evidence: never edited.
    expectError(await mona.patch(`${K}/${r.json.id}`, { score: 90 }), 409, 'conflict');
  });

  test('only people in the audience: 409 naming the person', async () => {
    const d = await department(1);
    const outsider = await createPerson(adam, { name: uniq('Outsider') });
    const c = await campaign({ audience_departments: [d.name] });
    const r = await complete(c.id, outsider.id);
    expectError(r, 409, 'conflict', 'person');
    assert.match(r.json.error.message, new RegExp(`${outsider.name} is not in the audience of "${c.topic}"`));
  });

  test('dates and scores: past only, not before the campaign, backdating needs a note', async () => {
    const d = await department(1);
    const c = await campaign({ audience_departments: [d.name], starts_on: day(-40) });
    const p = d.people[0].id;
    expectError(await complete(c.id, p, { completed_on: day(1) }), 400, 'invalid', 'completed_on');
    expectError(await complete(c.id, p, { completed_on: day(-41), note: 'list' }), 400, 'invalid', 'completed_on');
    expectError(await complete(c.id, p, { completed_on: day(-20) }), 400, 'invalid', 'note');
    expectError(await complete(c.id, p, { score: 101 }), 400, 'invalid', 'score');
    expectError(await complete(c.id, p, { score: -1 }), 400, 'invalid', 'score');
    expectError(await mona.post(K, { person: p }), 400, 'invalid', 'campaign');
    expectError(await mona.post(K, { campaign: c.id }), 400, 'invalid', 'person');
    assert.equal((await coverage(c.id)).completed, 0, 'nothing stored on refusal');
    const late = await complete(c.id, p, { completed_on: day(-20), note: 'attendance list of the session' });
    expectStatus(late, 201);
    assert.equal(late.json.completed_on, day(-20));
    // A few days back needs no note.
    const d2 = await department(1);
    const c2 = await campaign({ audience_departments: [d2.name] });
    expectStatus(await complete(c2.id, d2.people[0].id, { completed_on: day(-3) }), 201);
  });

  test('a cancelled campaign takes no completions; a staff member may not record them', async () => {
    const d = await department(1);
    const c = await campaign({ audience_departments: [d.name] });
    expectError(await sam.post(K, { campaign: c.id, person: d.people[0].id }), 403, 'forbidden');
    expectStatus(await mona.patch(`${C}/${c.id}`, { status: 'cancelled' }), 200);
    expectError(await complete(c.id, d.people[0].id), 409, 'conflict', 'campaign');
  });
});

describe('completing a campaign oneself', () => {
  test('a person in the audience of a running campaign completes it once, under their own name', async () => {
    const d = await department(2);
    const pSam = d.people[0];
    await linkUser(adam, 'sam', pSam.id);
    const c = await campaign({ audience_departments: [d.name] });
    const offered = await sam.get(`${C}/${c.id}`);
    assert.deepEqual(offered.json.actions.map((a) => (typeof a === 'string' ? a : a.name)), ['complete']);
    const r = await sam.request('POST', `${C}/${c.id}/actions/complete`);
    expectStatus(r, 200);
    assert.equal(r.json.version, c.version, 'the campaign itself is unchanged');
    const list = (await mona.get(`${K}?campaign=${c.id}`)).json.items;
    assert.deepEqual(list.map((k) => [k.person, k.recorded_by, k.completed_on]), [[pSam.id, 'sam', TODAY]]);
    assert.deepEqual((await sam.get(`${C}/${c.id}`)).json.actions, [], 'no longer offered');
    expectError(await sam.request('POST', `${C}/${c.id}/actions/complete`), 409, 'conflict', 'person');
    const other = await campaign({ audience_departments: [(await department(1)).name] });
    expectError(await sam.request('POST', `${C}/${other.id}/actions/complete`), 403, 'forbidden', 'person');
    const planned = await campaign({ audience_departments: [d.name], status: 'planned' });
    expectError(await sam.request('POST', `${C}/${planned.id}/actions/complete`), 409, 'conflict', 'status');
    // An account without a person cannot.
    expectError(await audrey.request('POST', `${C}/${c.id}/actions/complete`), 403, 'forbidden');
  });
});

describe('coverage', () => {
  test('per campaign: percent rounded down, who did and who did not; the list of all', async () => {
    const d = await department(3);
    const c = await campaign({ audience_departments: [d.name] });
    expectStatus(await complete(c.id, d.people[1].id, { score: 70 }), 201);
    const cov = await coverage(c.id);
    assert.equal(cov.campaign, c.id);
    assert.equal(cov.topic, c.topic);
    assert.equal(cov.audience_size, 3);
    assert.equal(cov.completed, 1);
    assert.equal(cov.not_completed, 2);
    assert.equal(cov.percent, 33);
    assert.equal(cov.met, false);
    assert.equal(cov.target, 90);
    assert.equal(cov.overdue, 0, 'not due yet');
    assert.deepEqual(cov.done, [{ person: d.people[1].id, name: d.people[1].name, on: TODAY, score: 70, via: 'completion' }]);
    assert.deepEqual(cov.pending.map((p) => p.person).sort(), [d.people[0].id, d.people[2].id].sort());
    const all = await mona.get(COV);
    expectStatus(all, 200);
    const line = all.json.items.find((it) => it.campaign === c.id);
    assert.equal(line.percent, 33);
    assert.equal(line.pending, undefined, 'the list of all carries no names');
    assert.equal(all.json.total, all.json.items.length);
    // The record shows the same numbers.
    const rec = (await mona.get(`${C}/${c.id}`)).json;
    assert.deepEqual([rec.audience_size, rec.completed, rec.coverage], [3, 1, 33]);
  });

  test('bad parameters are refused; unknown campaigns are 404; staff may not ask', async () => {
    expectError(await mona.get(`${COV}?campaign=abc`), 400, 'invalid', 'campaign');
    expectError(await mona.get(`${COV}?campaign=0`), 400, 'invalid', 'campaign');
    expectError(await mona.get(`${COV}?nope=1`), 400, 'invalid', 'nope');
    expectError(await mona.get(`${COV}?campaign=999999`), 404, 'not_found');
    expectError(await sam.get(COV), 403, 'forbidden');
    expectStatus(await audrey.get(COV), 200);
  });

  test('the CLI prints the table, one campaign with who has not, and --json', async () => {
    const d = await department(2);
    const c = await campaign({ audience_departments: [d.name] });
    expectStatus(await complete(c.id, d.people[0].id), 201);
    const all = await ctx.cli(['awareness-coverage'], { as: 'mona' });
    assert.equal(all.code, 0, all.describe);
    assert.match(all.stdout, /AUDIENCE\s+COMPLETED\s+TARGET\s+TOPIC/);
    assert.match(all.stdout, new RegExp(`running\\s+${day(20)}\\s+2\\s+50%\\s+90%\\s+${c.topic}`));
    const one = await ctx.cli(['awareness-coverage', '--campaign', String(c.id)], { as: 'mona' });
    assert.equal(one.code, 0, one.describe);
    assert.match(one.stdout, /Not completed \(1\):/);
    assert.match(one.stdout, new RegExp(d.people[1].name));
    const json = await ctx.cli(['awareness-coverage', '--campaign', String(c.id), '--json'], { as: 'mona' });
    assert.equal(json.code, 0, json.describe);
    assert.equal(JSON.parse(json.stdout).percent, 50);
    const bad = await ctx.cli(['awareness-coverage', '--campaign', 'x'], { as: 'mona' });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /campaign/);
  });
});

describe('policy acknowledgements count toward a campaign that names the policy', () => {
  const D = '/api/v1/documents';
  const V = '/api/v1/document-versions';

  // mia approves: her person holds a role that approves documents (given once, inactive, so
  // that she counts in no audience).
  let granted = false;
  async function publish(doc) {
    if (!granted) {
      const p = await createPerson(adam, { name: uniq('Mia'), active: false });
      await linkUser(adam, 'mia', p.id);
      await grantAuthority(adam, 'mia', { approves_documents: true });
      granted = true;
    }
    const v = await mona.post(V, { document: doc.id, body: '# Rules\n\nBe careful.' });
    expectStatus(v, 201);
    for (const [who, name] of [[mona, 'submit'], [mia, 'approve'], [mona, 'publish']])
      expectStatus(await who.request('POST', `${V}/${v.json.id}/actions/${name}`), 200);
    return v.json.id;
  }

  test('an acknowledgement of the version in force counts, derived and not copied', async () => {
    const d = await department(3);
    const doc = await mona.post(D, { identifier: uniq('POL'), title: uniq('Acceptable use'), kind: 'procedure',
      audience: 'named_people', audience_people: d.people.map((p) => p.id) });
    expectStatus(doc, 201);
    const v1 = await publish(doc.json);
    const c = await campaign({ topic: uniq('Read the policy'), content: null, document: doc.json.id,
      audience_departments: [d.name] });
    expectStatus(await mona.post('/api/v1/acknowledgements', { document_version: v1, person: d.people[0].id,
      method: 'on_paper' }), 201);
    expectStatus(await complete(c.id, d.people[1].id), 201);
    let cov = await coverage(c.id);
    assert.equal(cov.completed, 2);
    assert.equal(cov.document, doc.json.id);
    const via = Object.fromEntries(cov.done.map((x) => [x.person, x.via]));
    assert.deepEqual(via, { [d.people[0].id]: 'acknowledgement', [d.people[1].id]: 'completion' });
    assert.equal(cov.done.find((x) => x.person === d.people[0].id).on, TODAY);
    const list = await mona.get(`${K}?campaign=${c.id}`);
    assert.equal(list.json.total, 1, 'the acknowledgement is not copied into a completion');
    // A new version in force: the old acknowledgement no longer counts.
    await publish(doc.json);
    cov = await coverage(c.id);
    assert.equal(cov.completed, 1);
    assert.deepEqual(cov.done.map((x) => x.via), ['completion']);
  });
});

describe('what is due', () => {
  test('people overdue on a running campaign are due items, their own; done or closed ones are not', async () => {
    const d = await department(2);
    const pSam = d.people[0];
    await linkUser(adam, 'sam', pSam.id);
    const c = await campaign({ topic: uniq('Overdue'), audience_departments: [d.name], due_on: day(-2) });
    let due = (await mona.get('/api/v1/due?days=0')).json;
    let mine = due.items.filter((it) => it.type === 'awareness-campaigns' && it.id === c.id);
    assert.equal(mine.length, 2);
    const it = mine.find((x) => x.owner === pSam.id);
    assert.deepEqual({ what: it.what, date: it.date, overdue: it.overdue, title: it.title },
      { what: 'awareness', date: day(-2), overdue: true, title: `${c.topic} — ${pSam.name}` });
    assert.equal((await coverage(c.id)).overdue, 2);
    // Staff see their own only.
    const samDue = (await sam.get('/api/v1/due?days=0')).json.items.filter((x) => x.type === 'awareness-campaigns');
    assert.ok(samDue.length >= 1);
    assert.ok(samDue.every((x) => x.owner === pSam.id), 'staff see only their own awareness items');
    const mineOnly = (await sam.get('/api/v1/due?days=0&mine=true')).json.items.filter((x) => x.id === c.id);
    assert.equal(mineOnly.length, 1);
    expectStatus(await complete(c.id, pSam.id), 201);
    due = (await mona.get('/api/v1/due?days=0')).json;
    mine = due.items.filter((x) => x.type === 'awareness-campaigns' && x.id === c.id);
    assert.deepEqual(mine.map((x) => x.owner), [d.people[1].id]);
    expectStatus(await mona.patch(`${C}/${c.id}`, { status: 'closed' }), 200);
    due = (await mona.get('/api/v1/due?days=90')).json;
    assert.equal(due.items.filter((x) => x.type === 'awareness-campaigns' && x.id === c.id).length, 0);
    // Within the horizon: due soon, not overdue.
    const soon = await campaign({ audience_departments: [d.name], due_on: day(10) });
    due = (await mona.get('/api/v1/due?days=30')).json;
    const s = due.items.filter((x) => x.id === soon.id && x.type === 'awareness-campaigns');
    assert.equal(s.length, 2);
    assert.ok(s.every((x) => x.overdue === false));
    assert.equal((await mona.get('/api/v1/due?days=0')).json.items.filter((x) => x.id === soon.id && x.type === 'awareness-campaigns').length, 0);
  });
});

describe('the demo organization', () => {
  test('campaigns over the year: two ended on target, one running near 70 % that counts acknowledgements', async () => {
    const store = await createStore();
    try {
      const init = await ismsOn(store, ['init', '--demo']);
      assert.equal(init.code, 0, init.describe);
      const cli = async (args) => {
        const r = await ismsOn(store, [...args, '--json'], { as: 'isms.manager' });
        assert.equal(r.code, 0, r.describe);
        return JSON.parse(r.stdout);
      };
      const cov = await cli(['awareness-coverage']);
      assert.ok(cov.total >= 3 && cov.total <= 4, `campaigns: ${cov.total}`);
      const ended = cov.items.filter((c) => c.status === 'closed');
      assert.ok(ended.length >= 2 && ended.every((c) => c.met), JSON.stringify(ended));
      const running = cov.items.filter((c) => c.status === 'running');
      assert.equal(running.length, 1);
      assert.ok(running[0].percent >= 60 && running[0].percent < 80, `running at ${running[0].percent} %`);
      assert.ok(running[0].document, 'the running campaign names a policy');
      const one = await cli(['awareness-coverage', '--campaign', String(running[0].campaign)]);
      assert.ok(one.done.filter((d) => d.via === 'acknowledgement').length > 10, 'acknowledgements count');
      assert.ok(one.done.some((d) => d.via === 'completion'));
      const plan = await cli(['list', 'communications']);
      assert.ok(plan.total >= 6 && plan.total <= 8, `plan entries: ${plan.total}`);
      const log = await cli(['list', 'communication-records', '--limit', '200']);
      assert.ok(log.total >= 12, `communications logged: ${log.total}`);
      const answered = log.items.filter((r) => r.direction === 'inbound' && r.responded_on);
      assert.ok(answered.length >= 1, 'an inbound item answered');
      const files = await cli(['list', 'attachments', 'record_type=communication-records']);
      assert.ok(files.items.some((f) => answered.some((r) => r.id === f.record_id)), 'with the reply as evidence');
      // `isms checks` exits 1 while any check of the demo fails (others do, on purpose).
      const r = await ismsOn(store, ['checks', '--json'], { as: 'isms.manager' });
      const checks = Object.fromEntries(JSON.parse(r.stdout).checks.map((c) => [c.id, c]));
      for (const id of ['awareness-coverage', 'communication-plan', 'communication-kept'])
        assert.equal(checks[id].ok, true, `${id}: ${checks[id].detail}`);
    } finally {
      await store.cleanup();
    }
  });
});

test('the server exits cleanly', async () => {
  await ctx.expectCleanShutdown();
});
