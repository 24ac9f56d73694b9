// objectives.test.mjs — information security objectives (6.2): fields and their refusals (400
// naming the field, nothing stored), the activate / achieve / miss / withdraw decisions with
// their closing evaluations and effective dates, results (numbers, past dates, one a day, the
// owner's account), on_track from the latest result, the due rule, the objective-trend view
// over HTTP (JSON and SVG) and the CLI, the register export, and the 6.2 checks — which pass
// for a correct organization and name the objectives at fault.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  createPerson, createStore, expectError, expectStatus, ismsOn, linkUser, setup, uniq, USERS,
} from './lib.mjs';

const O = '/api/v1/objectives';
const RES = '/api/v1/objective-results';

let ctx;
let mona; let adam; let tom; let carl; let rita; let sam;
let pCarl; let pOther; let policy; let procedure;

const day = (offset = 0) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const act = (client, id, name, body = {}) => client.post(`${O}/${id}/actions/${name}`, body);

async function count(path) {
  const r = await mona.get(`${path}?limit=1`);
  expectStatus(r, 200);
  return r.json.total;
}

// A draft objective with everything activation needs.
async function objective(fields = {}) {
  const r = await mona.post(O, {
    statement: uniq('Objective'), policy: policy.id, level: 'tactical', metric: 'share of staff who clicked',
    unit: '%', baseline: 12, target: 5, direction: 'at_most', owner: pOther.id, due_on: day(200),
    resources: 'Phishing simulation licence', evaluation_method: 'Head of Security each month', ...fields,
  });
  expectStatus(r, 201);
  return r.json;
}

async function active(fields = {}, body = {}) {
  const o = await objective(fields);
  const r = await act(mona, o.id, 'activate', body);
  expectStatus(r, 200);
  assert.equal(r.json.status, 'active');
  return r.json;
}

async function result(objectiveId, measured_on, value, client = mona) {
  const r = await client.post(RES, { objective: objectiveId, measured_on, value });
  expectStatus(r, 201);
  return r.json;
}

async function checks() {
  const r = await sam.get('/api/v1/reports/policy-checks');
  expectStatus(r, 200);
  return Object.fromEntries(r.json.checks.filter((c) => c.clause === '6.2').map((c) => [c.id, c]));
}

before(async () => {
  ctx = await setup({ users: USERS });
  mona = await ctx.login('mona');
  adam = await ctx.login('adam');
  tom = await ctx.login('tom');
  carl = await ctx.login('carl');
  rita = await ctx.login('rita');
  sam = await ctx.login('sam');
  pCarl = await createPerson(adam, { name: uniq('Carl') });
  pOther = await createPerson(adam, { name: uniq('Olga') });
  await linkUser(adam, 'carl', pCarl.id);
  const top = await mona.post('/api/v1/documents', { identifier: uniq('POL'), title: 'Information security policy', kind: 'information_security_policy' });
  expectStatus(top, 201);
  policy = top.json;
  const pro = await mona.post('/api/v1/documents', { identifier: uniq('PRO'), title: 'A procedure', kind: 'procedure' });
  expectStatus(pro, 201);
  procedure = pro.json;
});
after(async () => { if (ctx) await ctx.teardown(); });

// First, while the store holds no objective: the checks of a store without objectives and of
// a correct organization.
describe('6.2 checks', () => {
  test('with no objective, only "set and active" fails', async () => {
    const c = await checks();
    assert.deepEqual(Object.keys(c).sort(),
      ['objectives-evaluated', 'objectives-measured', 'objectives-on-track', 'objectives-planned', 'objectives-set']);
    assert.equal(c['objectives-set'].ok, false);
    assert.match(c['objectives-set'].detail, /no objective is active/);
    for (const id of ['objectives-planned', 'objectives-measured', 'objectives-on-track', 'objectives-evaluated'])
      assert.equal(c[id].ok, true, `${id}: ${c[id].detail}`);
  });

  test('a correct organization passes every 6.2 check, a new objective without results included', async () => {
    const o = await active({ statement: uniq('Correct') }, { effective_on: day(-40), reason: 'Board decision keyed in late' });
    await result(o.id, day(-35), 9);
    await result(o.id, day(-3), 4.5);
    await active({ statement: uniq('Fresh') }); // activated today: no result owed yet
    const c = await checks();
    for (const [id, x] of Object.entries(c)) assert.equal(x.ok, true, `${id}: ${x.detail}`);
    assert.match(c['objectives-set'].detail, /^2 active/);
  });

  test('faults are named: no recent result, latest result off target, past due without evaluation', async () => {
    const stale = await active({ statement: uniq('Stale') }, { effective_on: day(-90), reason: 'Keyed in late' });
    await result(stale.id, day(-60), 4);
    const off = await active({ statement: uniq('Off') });
    await result(off.id, day(-1), 7);
    const late = await active({ statement: uniq('Late'), due_on: day(-2) }, { effective_on: day(-5) });
    await result(late.id, day(-3), 5);
    let c = await checks();
    assert.equal(c['objectives-measured'].ok, false);
    assert.match(c['objectives-measured'].detail, new RegExp(`^1 active objectives? without a recent result: "${stale.statement}"`));
    assert.equal(c['objectives-on-track'].ok, false);
    assert.match(c['objectives-on-track'].detail, new RegExp(`"${off.statement}"`));
    assert.doesNotMatch(c['objectives-on-track'].detail, new RegExp(stale.statement));
    assert.equal(c['objectives-evaluated'].ok, false);
    assert.match(c['objectives-evaluated'].detail, new RegExp(`"${late.statement}"`));
    assert.equal(c['objectives-planned'].ok, true);
    // Closing them clears the faults.
    for (const o of [stale, off, late])
      expectStatus(await act(mona, o.id, 'miss', { evaluation: 'Closed for the test.' }), 200);
    c = await checks();
    for (const [id, x] of Object.entries(c)) assert.equal(x.ok, true, `${id}: ${x.detail}`);
  });

  test('the CLI lists the 6.2 checks', async () => {
    const r = await ctx.cli(['--as', 'audrey', 'checks']);
    assert.match(r.stdout, /6\.2\s+Information security objectives are set and active/);
  });
});

describe('objectives', () => {
  test('a draft with its defaults and derived values', async () => {
    const r = await mona.post(O, { statement: uniq('Plain') });
    expectStatus(r, 201);
    const o = r.json;
    assert.equal(o.status, 'draft');
    assert.equal(o.level, 'tactical');
    assert.equal(o.direction, 'at_least');
    assert.equal(o.frequency, 'monthly');
    assert.equal(o.audience, 'all_staff');
    assert.equal(o.on_track, null);
    assert.equal(o.latest_value, null);
    assert.deepEqual(o.actions.map((a) => (typeof a === 'string' ? a : a.name)).sort(), ['activate', 'withdraw']);
  });

  test('bad input is refused naming the field, and nothing is stored', async () => {
    const before = await count(O);
    const base = { statement: uniq('Bad') };
    const cases = [
      [{ statement: undefined }, 'statement'],
      [{ statement: 'x'.repeat(301) }, 'statement'],
      [{ target: 'five' }, 'target'],
      [{ target: true }, 'target'],
      [{ target: 1e13 }, 'target'],
      [{ baseline: [1] }, 'baseline'],
      [{ level: 'visionary' }, 'level'],
      [{ direction: 'sideways' }, 'direction'],
      [{ frequency: 'weekly' }, 'frequency'],
      [{ due_on: '2026-02-30' }, 'due_on'],
      [{ owner: 999999 }, 'owner'],
      [{ policy: procedure.id }, 'policy'],
      [{ audience: 'named' }, 'audience_roles'],
      [{ status: 'active' }, 'status'],
    ];
    for (const [fields, field] of cases)
      expectError(await mona.post(O, { ...base, ...fields }), 400, 'invalid', field);
    assert.equal(await count(O), before);
  });

  test('the audience may name organizational roles and people', async () => {
    const role = await mona.post('/api/v1/roles', { name: uniq('Role'), responsibilities: 'Tells people.' });
    expectStatus(role, 201);
    const o = await objective({ audience: 'named', audience_roles: [role.json.id], audience_people: [pCarl.id] });
    assert.deepEqual(o.audience_roles, [role.json.id]);
    assert.deepEqual(o.audience_people, [pCarl.id]);
  });

  test('decimals are kept as numbers, whole values as integers', async () => {
    const o = await objective({ baseline: 99.85, target: 99.9, direction: 'at_least', unit: '%' });
    assert.equal(o.target, 99.9);
    assert.equal(o.baseline, 99.85);
    assert.match(o.baseline.toString(), /^99\.85$/);
    const w = await objective({ target: 5.0 });
    assert.ok(Number.isInteger(w.target));
  });

  test('activation needs a target, an owner and a due date (400 naming it), and changes nothing until then', async () => {
    for (const field of ['target', 'owner', 'due_on']) {
      const o = await objective({ [field]: null });
      const r = await act(mona, o.id, 'activate');
      expectError(r, 400, 'invalid', field);
      const again = await mona.get(`${O}/${o.id}`);
      assert.equal(again.json.status, 'draft');
      assert.equal(again.json.version, o.version);
    }
    const o = await active();
    assert.equal(o.activated_on, day());
    assert.equal(o.activated_by, 'mona');
    // An active objective keeps them.
    for (const field of ['target', 'owner', 'due_on'])
      expectError(await mona.patch(`${O}/${o.id}`, { [field]: null }), 400, 'invalid', field);
  });

  test('who may write and decide: editors write, top management decides, others neither', async () => {
    expectError(await sam.post(O, { statement: uniq('S') }), 403, 'forbidden');
    expectError(await tom.post(O, { statement: uniq('T') }), 403, 'forbidden');
    const o = await objective();
    expectError(await act(sam, o.id, 'activate'), 403, 'forbidden');
    const r = await act(tom, o.id, 'activate');
    expectStatus(r, 200);
    assert.equal(r.json.activated_by, 'tom');
  });

  test('activation is a decision with an effective date; the future is refused', async () => {
    const o = await objective();
    expectError(await act(mona, o.id, 'activate', { effective_on: day(3) }), 400, 'invalid', 'effective_on');
    expectError(await act(mona, o.id, 'activate', { effective_on: day(-30) }), 400, 'invalid', 'reason');
    const r = await act(mona, o.id, 'activate', { effective_on: day(-30), reason: 'Approved at the board meeting' });
    expectStatus(r, 200);
    assert.equal(r.json.activated_on, day(-30));
  });

  test('closing: an evaluation is required; achieving needs a latest result that meets the target', async () => {
    const o = await active({ target: 95, direction: 'at_least' });
    expectError(await act(mona, o.id, 'achieve', { evaluation: 'Done' }), 409, 'conflict');
    await result(o.id, day(-20), 96);
    await result(o.id, day(-1), 93);
    expectError(await act(mona, o.id, 'achieve', { evaluation: 'Done' }), 409, 'conflict');
    expectError(await act(mona, o.id, 'miss', {}), 400, 'invalid', 'evaluation');
    expectError(await act(mona, o.id, 'miss', { evaluation: '' }), 400, 'invalid', 'evaluation');
    expectError(await act(mona, o.id, 'miss', { evaluation: 'x', colour: 'red' }), 400, 'invalid', 'colour');
    const still = await mona.get(`${O}/${o.id}`);
    assert.equal(still.json.status, 'active');
    await result(o.id, day(0), 97);
    const r = await act(mona, o.id, 'achieve', { evaluation: 'Reached 97 % in the last month.', effective_on: day(-0) });
    expectStatus(r, 200);
    assert.equal(r.json.status, 'achieved');
    assert.equal(r.json.evaluation, 'Reached 97 % in the last month.');
    assert.equal(r.json.closed_by, 'mona');
    assert.equal(r.json.closed_on, day());
    assert.equal(r.json.on_track, true);
  });

  test('not achieved, backdated, and a closed objective is kept as it was', async () => {
    const o = await active();
    await result(o.id, day(-2), 8);
    const r = await act(mona, o.id, 'miss', { evaluation: 'Click rate stayed at 8 %.', effective_on: day(-1) });
    expectStatus(r, 200);
    assert.equal(r.json.status, 'not_achieved');
    assert.equal(r.json.closed_on, day(-1));
    expectError(await mona.patch(`${O}/${o.id}`, { statement: 'changed' }), 409, 'conflict');
    expectError(await mona.del(`${O}/${o.id}`), 409, 'conflict');
    const before = await count(RES);
    expectError(await mona.post(RES, { objective: o.id, measured_on: day(0), value: 4 }), 409, 'conflict', 'objective');
    assert.equal(await count(RES), before);
    expectError(await act(mona, o.id, 'withdraw', { evaluation: 'x' }), 409, 'conflict');
  });

  test('withdrawing a draft; only drafts are deleted', async () => {
    const d = await objective();
    expectStatus(await mona.del(`${O}/${d.id}`), 204);
    const w = await objective();
    const r = await act(mona, w.id, 'withdraw', { evaluation: 'Superseded by the 2027 plan.' });
    expectStatus(r, 200);
    assert.equal(r.json.status, 'withdrawn');
    const a = await active();
    expectError(await mona.del(`${O}/${a.id}`), 409, 'conflict', 'status');
  });
});

describe('results and on_track', () => {
  test('on_track follows the latest result in the objective\'s direction', async () => {
    const low = await active({ target: 5, direction: 'at_most' });
    assert.equal(low.on_track, null);
    await result(low.id, day(-40), 4);
    await result(low.id, day(-10), 6.5);
    let got = (await mona.get(`${O}/${low.id}`)).json;
    assert.equal(got.on_track, false);
    assert.equal(got.latest_value, 6.5);
    assert.equal(got.latest_on, day(-10));
    await result(low.id, day(-5), 5);
    got = (await mona.get(`${O}/${low.id}`)).json;
    assert.equal(got.on_track, true, 'equal to the target meets it');
    const high = await active({ target: 99.9, direction: 'at_least' });
    await result(high.id, day(-3), 99.95);
    assert.equal((await mona.get(`${O}/${high.id}`)).json.on_track, true);
    await result(high.id, day(-2), 99.89);
    assert.equal((await mona.get(`${O}/${high.id}`)).json.on_track, false);
    // The list carries it too.
    const list = await mona.get(`${O}?status=active&limit=500`);
    assert.equal(list.json.items.find((x) => x.id === high.id).on_track, false);
  });

  test('bad results are refused naming the field, nothing stored', async () => {
    const o = await active();
    await result(o.id, day(-1), 3);
    const before = await count(RES);
    const cases = [
      [{ value: 'seven' }, 400, 'invalid', 'value'],
      [{ value: null }, 400, 'invalid', 'value'],
      [{ measured_on: day(2) }, 400, 'invalid', 'measured_on'],
      [{ measured_on: 'yesterday' }, 400, 'invalid', 'measured_on'],
      [{ objective: 999999 }, 400, 'invalid', 'objective'],
      [{ measured_on: day(-1) }, 409, 'conflict', 'measured_on'],
    ];
    for (const [fields, status, code, field] of cases)
      expectError(await mona.post(RES, { objective: o.id, measured_on: day(-7), value: 4, ...fields }), status, code, field);
    assert.equal(await count(RES), before);
  });

  test('the owner\'s account records results of its own objectives only', async () => {
    const mine = await active({ owner: pCarl.id });
    const theirs = await active({ owner: pOther.id });
    const r = await result(mine.id, day(-1), 4, carl);
    assert.match(r.title, new RegExp(`${mine.statement} — ${day(-1)}`));
    expectError(await carl.post(RES, { objective: theirs.id, measured_on: day(-1), value: 4 }), 403, 'forbidden', 'objective');
    expectError(await rita.post(RES, { objective: mine.id, measured_on: day(-2), value: 4 }), 403, 'forbidden', 'objective');
    expectError(await sam.post(RES, { objective: mine.id, measured_on: day(-2), value: 4 }), 403, 'forbidden');
    expectError(await carl.del(`${RES}/${(await result(theirs.id, day(-1), 4)).id}`), 403, 'forbidden');
    expectStatus(await carl.del(`${RES}/${r.id}`), 204);
  });
});

describe('what is due', () => {
  test('an active objective past its due date, or within the window, is due; drafts and closed ones are not', async () => {
    const past = await active({ due_on: day(-3) }, { effective_on: day(-6) });
    const soon = await active({ due_on: day(10) });
    const later = await active({ due_on: day(200) });
    const draft = await objective({ due_on: day(-3) });
    const closed = await active({ due_on: day(-2) }, { effective_on: day(-4) });
    expectStatus(await act(mona, closed.id, 'withdraw', { evaluation: 'No longer relevant.' }), 200);
    const r = await mona.get('/api/v1/due?days=30');
    expectStatus(r, 200);
    const mine = r.json.items.filter((i) => i.type === 'objectives');
    const ids = mine.map((i) => i.id);
    assert.ok(ids.includes(past.id) && ids.includes(soon.id));
    for (const o of [later, draft, closed]) assert.ok(!ids.includes(o.id), `objective ${o.id} is not due`);
    const item = mine.find((i) => i.id === past.id);
    assert.equal(item.what, 'objective evaluation');
    assert.equal(item.overdue, true);
    assert.equal(item.owner, pOther.id);
    assert.equal(mine.find((i) => i.id === soon.id).overdue, false);
  });
});

describe('objective-trend view', () => {
  let o;
  before(async () => {
    o = await active({ statement: uniq('Trend'), target: 5, direction: 'at_most', unit: '%' });
    await result(o.id, day(-60), 9.5);
    await result(o.id, day(-30), 6.2);
    await result(o.id, day(-1), 4.8);
  });

  test('JSON: the results oldest first, each against the target', async () => {
    const r = await sam.get(`/api/v1/reports/objective-trend?objective=${o.id}`);
    expectStatus(r, 200);
    assert.equal(r.json.objective.id, o.id);
    assert.equal(r.json.objective.target, 5);
    assert.deepEqual(r.json.points.map((p) => [p.measured_on, p.value, p.meets]),
      [[day(-60), 9.5, false], [day(-30), 6.2, false], [day(-1), 4.8, true]]);
    assert.equal(r.json.on_track, true);
  });

  test('SVG: a line of the results, the target line, the misses in red', async () => {
    const r = await sam.get(`/api/v1/reports/objective-trend.svg?objective=${o.id}`);
    expectStatus(r, 200);
    assert.match(r.headers.get('content-type'), /image\/svg\+xml/);
    assert.match(r.text, /^<svg /);
    assert.match(r.text, /<polyline class="results"[^>]* points="[\d., ]+"/);
    assert.equal((r.text.match(/<polyline class="results"[^>]* points="([^"]+)"/)[1].split(' ')).length, 3);
    assert.match(r.text, /<line class="target"/);
    assert.equal((r.text.match(/class="point misses"/g) || []).length, 2);
    assert.match(r.text, new RegExp(`<title>${o.statement}: results against the target</title>`));
    const empty = await active({ statement: uniq('Empty') });
    const e = await sam.get(`/api/v1/reports/objective-trend.svg?objective=${empty.id}`);
    expectStatus(e, 200);
    assert.match(e.text, /No results yet/);
  });

  test('bad parameters: 400 naming objective; an unknown one is 404', async () => {
    expectError(await sam.get('/api/v1/reports/objective-trend'), 400, 'invalid', 'objective');
    expectError(await sam.get('/api/v1/reports/objective-trend?objective=x'), 400, 'invalid', 'objective');
    expectError(await sam.get('/api/v1/reports/objective-trend?objective=1&extra=2'), 400, 'invalid', 'extra');
    expectError(await sam.get('/api/v1/reports/objective-trend?objective=999999'), 404, 'not_found');
  });

  test('CLI: text and --json, and usage on a bad id', async () => {
    const t = await ctx.cli(['--as', 'sam', 'objective-trend', '--objective', String(o.id)]);
    assert.equal(t.code, 0, t.out);
    assert.match(t.stdout, new RegExp(o.statement));
    assert.match(t.stdout, /target: at most 5 %/);
    assert.match(t.stdout, new RegExp(`${day(-60)}\\s+9\\.5 %\\s+MISSES`));
    assert.match(t.stdout, /\(3 results; on track\)/);
    const j = await ctx.cli(['--as', 'sam', 'objective-trend', '--objective', String(o.id), '--json']);
    assert.equal(j.code, 0, j.out);
    const body = JSON.parse(j.stdout);
    assert.equal(body.points.length, 3);
    assert.equal(body.points[1].value, 6.2);
    assert.match(j.stdout, /"value": 6\.2,/, 'decimals print as written');
    const bad = await ctx.cli(['--as', 'sam', 'objective-trend', '--objective', 'x']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /objective/);
    const file = `trend-${process.pid}.svg`;
    const svg = await ctx.cli(['--as', 'sam', 'report', 'objective-trend', '--objective', String(o.id), '--format', 'svg', '--output', file]);
    assert.equal(svg.code, 0, svg.out);
    assert.match(fs.readFileSync(path.join(ctx.store.dir, file), 'utf8'), /<polyline class="results"/);
  });

  test('the register exports every objective as CSV', async () => {
    const r = await sam.get('/api/v1/reports/objective-register.csv');
    expectStatus(r, 200);
    assert.match(r.headers.get('content-type'), /text\/csv/);
    assert.match(r.text, new RegExp(o.statement));
  });
});

describe('the demo organization', () => {
  let store;
  before(async () => {
    store = await createStore();
    const init = await ismsOn(store, ['init', '--demo']);
    assert.equal(init.code, 0, init.describe);
  });
  after(async () => { if (store) await store.cleanup(); });

  test('objectives from the policies, monthly results for a year, exactly one off track', async () => {
    const list = async (type, args = []) => {
      const r = await ismsOn(store, ['list', type, '--json', '--limit', '500', ...args], { as: 'auditor' });
      assert.equal(r.code, 0, r.describe);
      return JSON.parse(r.stdout).items;
    };
    const objectives = await list('objectives');
    assert.ok(objectives.length >= 5 && objectives.length <= 7, `objectives: ${objectives.length}`);
    const active = objectives.filter((o) => o.status === 'active');
    assert.ok(active.length >= 5);
    assert.deepEqual(objectives.filter((o) => o.on_track === false).map((o) => o.statement),
      ['Cut the phishing click rate to 5 % or less by the end of 2026']);
    assert.ok(objectives.some((o) => /certification/i.test(o.statement)), 'the certification objective the requirements cite');
    const docs = new Map((await list('documents')).map((d) => [d.id, d]));
    for (const o of objectives) {
      assert.match(docs.get(o.policy)?.kind || '', /policy/, `${o.statement}: consistent with a policy`);
      assert.ok(o.owner && typeof o.target === 'number' && o.due_on, `${o.statement}: planned`);
    }
    for (const o of active) {
      const results = await list('objective-results', [`objective=${o.id}`, '--sort', 'measured_on']);
      assert.deepEqual(results.map((r) => r.measured_on.slice(0, 7)),
        ['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08',
          '2026-09', '2026-10', '2026-11'], `${o.statement}: monthly results`);
    }
    const checks = await ismsOn(store, ['checks', '--json'], { as: 'auditor' });
    const byId = Object.fromEntries(JSON.parse(checks.stdout).checks.map((c) => [c.id, c]));
    assert.equal(byId['objectives-on-track'].ok, false, 'the deliberate miss');
    for (const id of ['objectives-set', 'objectives-planned', 'objectives-measured', 'objectives-evaluated'])
      assert.equal(byId[id].ok, true, `${id}: ${byId[id].detail}`);
  });
});
