// measures.test.mjs — monitoring and measurement (9.1): measures and their refusals (400
// naming the field, nothing stored), thresholds ordered by direction, the target defaulting to
// the green threshold, what is measured naming the record; measurements (numbers, past dates,
// one a day, inactive measures refuse new ones with 409, the collector's account); derived
// status, next due and overdue; the due items; the measure-trend and measure-dashboard views
// over HTTP (JSON, SVG, CSV) and the CLI; an objective measured by a measure; and the 9.1
// checks — met by a correct organization, naming the measures at fault.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPerson, expectError, expectStatus, linkUser, setup, uniq, USERS } from './lib.mjs';

const M = '/api/v1/measures';
const MS = '/api/v1/measurements';

let ctx;
let mona; let adam; let carl; let sam; let audrey;
let pCarl; let pAna;

const day = (offset = 0) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

async function count(p) {
  const r = await mona.get(`${p}?limit=1`);
  expectStatus(r, 200);
  return r.json.total;
}

async function measure(fields = {}) {
  const r = await mona.post(M, {
    name: uniq('MFA coverage'), information_need: 'Are remote logins protected by a second factor?',
    measured_kind: 'other', method: 'IdP enrolment export', formula: 'enrolled / active × 100', unit: '%',
    direction: 'higher_is_better', green: 98, red: 90, data_source: 'Identity provider',
    frequency: 'monthly', collector: pCarl.id, analyst: pAna.id, owner: pAna.id, ...fields,
  });
  expectStatus(r, 201);
  return r.json;
}

async function measurement(measureId, measured_on, value, client = mona, extra = {}) {
  const r = await client.post(MS, { measure: measureId, measured_on, value, ...extra });
  expectStatus(r, 201);
  return r.json;
}

async function checks() {
  const r = await audrey.get('/api/v1/reports/policy-checks');
  expectStatus(r, 200);
  return Object.fromEntries(r.json.checks.filter((c) => c.clause === '9.1').map((c) => [c.id, c]));
}

before(async () => {
  ctx = await setup({ users: USERS });
  mona = await ctx.login('mona');
  adam = await ctx.login('adam');
  carl = await ctx.login('carl');
  sam = await ctx.login('sam');
  audrey = await ctx.login('audrey');
  pCarl = await createPerson(adam, { name: uniq('Carl') });
  pAna = await createPerson(adam, { name: uniq('Ana') });
  await linkUser(adam, 'carl', pCarl.id);
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('9.1 checks', () => {
  test('with no measure, only "defined" fails', async () => {
    const c = await checks();
    assert.deepEqual(Object.keys(c).sort(), ['measures-assigned', 'measures-collected', 'measures-defined']);
    assert.equal(c['measures-defined'].ok, false);
    assert.match(c['measures-defined'].detail, /no measure is active/);
    assert.equal(c['measures-assigned'].ok, true);
    assert.equal(c['measures-collected'].ok, true);
  });

  test('an organization with measures all current is met, even with a red result', async () => {
    const a = await measure({ name: uniq('Current') });
    await measurement(a.id, day(-40), 99);
    await measurement(a.id, day(-2), 80); // red: a result to act on, not a gap in the ISMS
    const c = await checks();
    for (const [id, x] of Object.entries(c)) assert.equal(x.ok, true, `${id}: ${x.detail}`);
    assert.match(c['measures-defined'].detail, /^1 active measure .*1 red/);
  });

  test('faults are named: no collector or analyst, an overdue collection; retiring clears them', async () => {
    const lone = await measure({ name: uniq('Lone'), analyst: null });
    await measurement(lone.id, day(-1), 99);
    const late = await measure({ name: uniq('Late') });
    await measurement(late.id, day(-50), 99);
    let c = await checks();
    assert.equal(c['measures-assigned'].ok, false);
    assert.match(c['measures-assigned'].detail, new RegExp(`^1 active measure without a collector or analyst: "${lone.name}"`));
    assert.equal(c['measures-collected'].ok, false);
    assert.match(c['measures-collected'].detail, new RegExp(`"${late.name}" \\(due \\d{4}-\\d{2}-\\d{2}\\)`));
    assert.doesNotMatch(c['measures-collected'].detail, new RegExp(lone.name));
    for (const m of [lone, late]) expectStatus(await mona.patch(`${M}/${m.id}`, { active: false }), 200);
    c = await checks();
    for (const [id, x] of Object.entries(c)) assert.equal(x.ok, true, `${id}: ${x.detail}`);
  });

  test('the CLI lists the 9.1 checks', async () => {
    const r = await ctx.cli(['--as', 'audrey', 'checks']);
    assert.match(r.stdout, /9\.1\s+What is monitored and measured is decided/);
  });
});

describe('measures', () => {
  test('defaults, the target from the green threshold, and derived values before any measurement', async () => {
    const m = await measure({ frequency: undefined, direction: undefined, measured_kind: undefined });
    assert.equal(m.frequency, 'monthly');
    assert.equal(m.direction, 'higher_is_better');
    assert.equal(m.measured_kind, 'other');
    assert.equal(m.active, true);
    assert.equal(m.target, 98);
    assert.equal(m.status, 'none');
    assert.equal(m.latest_value, null);
    assert.equal(m.next_due, day(0));
    assert.equal(m.overdue, false);
    const t = await measure({ target: 99.5 });
    assert.equal(t.target, 99.5);
  });

  test('bad input is 400 naming the field, and nothing is stored', async () => {
    const before = await count(M);
    const cases = [
      [{ name: '' }, 'name'],
      [{ information_need: null }, 'information_need'],
      [{ green: 'high' }, 'green'],
      [{ red: null }, 'red'],
      [{ green: 90, red: 98 }, 'red'], // higher is better: red above green
      [{ direction: 'lower_is_better', green: 5, red: 2 }, 'red'],
      [{ target: '99' }, 'target'],
      [{ green: 1e13 }, 'green'],
      [{ frequency: 'daily' }, 'frequency'],
      [{ direction: 'up' }, 'direction'],
      [{ measured_kind: 'process' }, 'process'],
      [{ measured_kind: 'control' }, 'control'],
      [{ measured_kind: 'objective' }, 'objective'],
      [{ measured_kind: 'other', control: 1 }, 'control'],
      [{ collector: 999999 }, 'collector'],
      [{ reported_to_roles: [999999] }, 'reported_to_roles'],
      [{ bogus: 1 }, 'bogus'],
    ];
    for (const [fields, field] of cases) {
      const r = await mona.post(M, {
        name: uniq('Bad'), information_need: 'Need', green: 98, red: 90, ...fields,
      });
      expectError(r, 400, 'invalid', field);
    }
    assert.equal(await count(M), before);
    const m = await measure();
    expectError(await mona.patch(`${M}/${m.id}`, { red: 99 }), 400, 'invalid', 'red');
    assert.equal((await mona.get(`${M}/${m.id}`)).json.red, 90);
  });

  test('lower is better: thresholds in the other order, status from them; equal thresholds leave no amber', async () => {
    const m = await measure({ direction: 'lower_is_better', green: 5, red: 10, unit: 'days' });
    await measurement(m.id, day(-3), 7);
    assert.equal((await sam.get(`${M}/${m.id}`)).json.status, 'amber');
    await measurement(m.id, day(-2), 10);
    assert.equal((await sam.get(`${M}/${m.id}`)).json.status, 'red');
    await measurement(m.id, day(-1), 5);
    const g = (await sam.get(`${M}/${m.id}`)).json;
    assert.equal(g.status, 'green');
    assert.equal(g.latest_value, 5);
    assert.equal(g.latest_on, day(-1));
    const eq = await measure({ green: 95, red: 95 });
    await measurement(eq.id, day(-1), 95);
    assert.equal((await sam.get(`${M}/${eq.id}`)).json.status, 'green');
  });

  test('what is measured links a process, a control or an objective', async () => {
    const proc = await mona.post('/api/v1/processes', { name: uniq('Monitoring') });
    expectStatus(proc, 201);
    const m = await measure({ measured_kind: 'process', process: proc.json.id });
    assert.equal(m.process, proc.json.id);
    const o = await mona.post('/api/v1/objectives', { statement: uniq('Objective') });
    expectStatus(o, 201);
    const mo = await measure({ measured_kind: 'objective', objective: o.json.id });
    assert.equal(mo.objective, o.json.id);
  });

  test('only editors write measures; a measure with measurements is retired, not deleted', async () => {
    expectStatus(await carl.post(M, { name: 'x', information_need: 'y', green: 1, red: 0 }), 403);
    const m = await measure();
    await measurement(m.id, day(-1), 99);
    expectError(await mona.del(`${M}/${m.id}`), 409, 'conflict', 'active');
    const bare = await measure();
    expectStatus(await mona.del(`${M}/${bare.id}`), 204);
  });
});

describe('measurements', () => {
  test('next due one period after the latest; overdue once it has passed', async () => {
    const m = await measure({ frequency: 'quarterly' });
    await measurement(m.id, day(-10), 99);
    let r = (await sam.get(`${M}/${m.id}`)).json;
    assert.ok(r.next_due > day(70) && r.next_due < day(85), r.next_due);
    assert.equal(r.overdue, false);
    const w = await measure({ frequency: 'weekly' });
    await measurement(w.id, day(-8), 99);
    r = (await sam.get(`${M}/${w.id}`)).json;
    assert.equal(r.next_due, day(-1));
    assert.equal(r.overdue, true);
  });

  test('bad input is 400 naming the field; a second one the same day is 409; nothing is stored', async () => {
    const m = await measure();
    await measurement(m.id, day(-5), 97.5);
    const before = await count(MS);
    const cases = [
      [{ value: 'a lot' }, 400, 'value'],
      [{ value: null }, 400, 'value'],
      [{ measured_on: day(3) }, 400, 'measured_on'],
      [{ measured_on: '2026-02-30' }, 400, 'measured_on'],
      [{ measure: null }, 400, 'measure'],
      [{ measure: 999999 }, 400, 'measure'],
      [{ measured_on: day(-5) }, 409, 'measured_on'],
    ];
    for (const [fields, status, field] of cases) {
      const r = await mona.post(MS, { measure: m.id, measured_on: day(-1), value: 1, ...fields });
      expectError(r, status, status === 409 ? 'conflict' : 'invalid', field);
    }
    assert.equal(await count(MS), before);
  });

  test('an inactive measure refuses new measurements (409); its old ones stay editable', async () => {
    const m = await measure();
    const old = await measurement(m.id, day(-9), 96);
    expectStatus(await mona.patch(`${M}/${m.id}`, { active: false }), 200);
    const before = await count(MS);
    expectError(await mona.post(MS, { measure: m.id, measured_on: day(-1), value: 99 }), 409, 'conflict', 'measure');
    assert.equal(await count(MS), before);
    const r = await mona.patch(`${MS}/${old.id}`, { note: 'Corrected source' });
    expectStatus(r, 200);
    const inactive = (await sam.get(`${M}/${m.id}`)).json;
    assert.equal(inactive.next_due, null);
    assert.equal(inactive.overdue, false);
  });

  test('the collector records measurements of their measure; others may not (403)', async () => {
    const mine = await measure();
    const r = await measurement(mine.id, day(-1), 99.2, carl, { note: 'From the IdP export' });
    assert.equal(r.value, 99.2);
    assert.match(r.title, new RegExp(mine.name));
    const notMine = await measure({ collector: pAna.id });
    expectError(await carl.post(MS, { measure: notMine.id, measured_on: day(-1), value: 1 }), 403, 'forbidden', 'measure');
    expectStatus(await audrey.post(MS, { measure: mine.id, measured_on: day(-2), value: 1 }), 403);
  });

  test('a staff account that collects a measure records it; auditors never do', async () => {
    const pSam = await createPerson(adam, { name: uniq('Sam') });
    await linkUser(adam, 'sam', pSam.id);
    const m = await measure({ collector: pSam.id });
    const r = await measurement(m.id, day(-1), 98.5, sam);
    assert.equal(r.measure, m.id);
    expectError(await sam.patch(`${M}/${m.id}`, { green: 97 }), 403, 'forbidden');
  });

  test('a measurement stays with its measure', async () => {
    const a = await measure();
    const b = await measure();
    const x = await measurement(a.id, day(-1), 99);
    expectError(await mona.patch(`${MS}/${x.id}`, { measure: b.id }), 400, 'invalid', 'measure');
  });
});

describe('what is due', () => {
  test('a measure whose next collection has come is due to its collector; retired ones are not', async () => {
    const late = await measure({ frequency: 'weekly' });
    await measurement(late.id, day(-10), 99);
    const fresh = await measure({ frequency: 'yearly' });
    await measurement(fresh.id, day(-1), 99);
    const retired = await measure({ frequency: 'weekly', active: false });
    const r = await mona.get('/api/v1/due?days=30');
    expectStatus(r, 200);
    const items = r.json.items.filter((i) => i.type === 'measures');
    const item = items.find((i) => i.id === late.id);
    assert.ok(item, 'the late measure is due');
    assert.equal(item.what, 'measurement');
    assert.equal(item.date, day(-3));
    assert.equal(item.overdue, true);
    assert.equal(item.owner, pCarl.id);
    assert.ok(!items.some((i) => i.id === fresh.id || i.id === retired.id));
    const mine = await carl.get('/api/v1/due?days=30&mine=true');
    expectStatus(mine, 200);
    assert.ok(mine.json.items.some((i) => i.type === 'measures' && i.id === late.id));
  });
});

describe('measure-trend and measure-dashboard views', () => {
  let m;
  before(async () => {
    m = await measure({ name: uniq('Trend'), direction: 'lower_is_better', green: 5, red: 10, unit: '%' });
    await measurement(m.id, day(-60), 12);
    await measurement(m.id, day(-30), 8);
    await measurement(m.id, day(-1), 4.5);
  });

  test('trend JSON: points oldest first with their status, and the bands', async () => {
    const r = await sam.get(`/api/v1/reports/measure-trend?measure=${m.id}`);
    expectStatus(r, 200);
    assert.deepEqual(r.json.points.map((p) => [p.measured_on, p.value, p.status]),
      [[day(-60), 12, 'red'], [day(-30), 8, 'amber'], [day(-1), 4.5, 'green']]);
    assert.deepEqual(r.json.bands, [
      { status: 'green', from: null, to: 5 }, { status: 'amber', from: 5, to: 10 }, { status: 'red', from: 10, to: null }]);
    assert.equal(r.json.status, 'green');
  });

  test('trend SVG: the bands labelled in words, the line, each point with its status', async () => {
    const r = await sam.get(`/api/v1/reports/measure-trend.svg?measure=${m.id}`);
    expectStatus(r, 200);
    assert.match(r.headers.get('content-type'), /image\/svg\+xml/);
    assert.equal((r.text.match(/<rect class="band /g) || []).length, 3);
    assert.equal(r.text.match(/<polyline class="values"[^>]* points="([^"]+)"/)[1].split(' ').length, 3);
    assert.match(r.text, /class="point red"[^>]*><title>[^<]*\(red\)/);
    const empty = await measure();
    const e = await sam.get(`/api/v1/reports/measure-trend.svg?measure=${empty.id}`);
    assert.match(e.text, /No measurements yet/);
  });

  test('trend: 400 naming measure, 404 for an unknown one', async () => {
    expectError(await sam.get('/api/v1/reports/measure-trend'), 400, 'invalid', 'measure');
    expectError(await sam.get('/api/v1/reports/measure-trend?measure=x'), 400, 'invalid', 'measure');
    expectError(await sam.get('/api/v1/reports/measure-trend?measure=999999'), 404, 'not_found');
  });

  test('dashboard: every active measure with status, latest, trend arrow and next due; totals', async () => {
    const r = await sam.get('/api/v1/reports/measure-dashboard');
    expectStatus(r, 200);
    const row = r.json.measures.find((x) => x.id === m.id);
    assert.equal(row.status, 'green');
    assert.equal(row.latest_value, 4.5);
    assert.equal(row.trend, 'down');
    assert.equal(row.improving, true);
    assert.equal(row.overdue, false);
    const t = r.json.totals;
    assert.equal(t.green + t.amber + t.red + t.none, r.json.measures.length);
    assert.ok(!r.json.measures.some((x) => x.id === undefined));
    const all = await mona.get(`${M}?limit=500&active=false`);
    for (const retired of all.json.items) assert.ok(!r.json.measures.some((x) => x.id === retired.id));
  });

  test('dashboard CSV and XLSX exports', async () => {
    const r = await sam.get('/api/v1/reports/measure-dashboard.csv');
    expectStatus(r, 200);
    assert.match(r.headers.get('content-type'), /text\/csv/);
    assert.match(r.text, new RegExp(`${m.name}.*green`));
    const x = await sam.get('/api/v1/reports/measure-dashboard.xlsx');
    expectStatus(x, 200);
  });

  test('CLI: trend and dashboard as text and --json', async () => {
    const t = await ctx.cli(['--as', 'sam', 'measure-trend', '--measure', String(m.id)]);
    assert.equal(t.code, 0, t.out);
    assert.match(t.stdout, new RegExp(`${day(-60)}\\s+12 %\\s+red`));
    assert.match(t.stdout, /\(3 measurements; status green\)/);
    const d = await ctx.cli(['--as', 'sam', 'measure-dashboard', '--json']);
    assert.equal(d.code, 0, d.out);
    assert.ok(JSON.parse(d.stdout).measures.some((x) => x.id === m.id));
    const text = await ctx.cli(['--as', 'sam', 'measure-dashboard']);
    assert.match(text.stdout, new RegExp(`green\\s+${m.name}`));
  });
});

describe('an objective measured by a measure', () => {
  test('its page shows the measure status; on_track follows the measure until it has results of its own', async () => {
    const m = await measure({ direction: 'lower_is_better', green: 5, red: 10 });
    await measurement(m.id, day(-2), 4);
    const o = await mona.post('/api/v1/objectives', {
      statement: uniq('Phish'), target: 5, direction: 'at_most', measure: m.id,
    });
    expectStatus(o, 201);
    assert.equal(o.json.measure_status, 'green');
    assert.equal(o.json.latest_value, 4);
    assert.equal(o.json.on_track, true);
    expectStatus(await mona.post('/api/v1/objective-results', { objective: o.json.id, measured_on: day(-1), value: 7 }), 201);
    const after = (await mona.get(`/api/v1/objectives/${o.json.id}`)).json;
    assert.equal(after.latest_value, 7);
    assert.equal(after.on_track, false);
    assert.equal(after.measure_status, 'green');
    // The 6.2 check counts the measure's measurement for an active objective without results.
    const only = await mona.post('/api/v1/objectives', {
      statement: uniq('Only measured'), target: 5, direction: 'at_most', measure: m.id, owner: pAna.id, due_on: day(100),
    });
    expectStatus(await mona.post(`/api/v1/objectives/${only.json.id}/actions/activate`, { effective_on: day(-60), reason: 'Keyed in late' }), 200);
    const c = await audrey.get('/api/v1/reports/policy-checks');
    const measured = c.json.checks.find((x) => x.id === 'objectives-measured');
    assert.doesNotMatch(measured.detail, new RegExp(only.json.statement));
    const plain = await mona.post('/api/v1/objectives', { statement: uniq('Plain') });
    assert.equal(plain.json.measure_status, null);
    expectError(await mona.post('/api/v1/objectives', { statement: uniq('Bad'), measure: 999999 }), 400, 'invalid', 'measure');
  });
});
