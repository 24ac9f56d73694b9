// competence.test.mjs — competence (7.2): the catalog, one requirement per role and
// competence (409 on a second), training records (competence from the course, expiry from the
// competence's validity, past-only dates, the effectiveness check), the competence matrix
// (valid / expiring / expired / missing, role filter, `on` day, its schema, its XLSX export),
// gaps and expiries as due items owned by the holder, and the two 7.2 checks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Ajv from 'ajv';
import {
  createPerson, expectError, expectStatus, linkUser, setup, uniq, USERS,
} from './lib.mjs';

const C = '/api/v1/competences';
const REQ = '/api/v1/competence-requirements';
const T = '/api/v1/trainings';
const TR = '/api/v1/training-records';
const MATRIX = '/api/v1/reports/competence-matrix';

let ctx;
let mona; let adam; let sam; let tom;
let pAnn; let pBob; let pTom; let pCoach;

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const today = () => day(0);

async function make(path, fields) {
  const r = await mona.post(path, fields);
  expectStatus(r, 201);
  return r.json;
}
const competence = (fields = {}) => make(C, { name: uniq('Competence'), ...fields });
const role = (fields = {}) => make('/api/v1/roles', { name: uniq('Role'), responsibilities: 'Keeps things safe.', ...fields });
const assign = (person, r, starts_on = '2024-01-01', extra = {}) =>
  make('/api/v1/role-assignments', { person: person.id, role: r.id, starts_on, ...extra });

async function checks(client = mona) {
  const r = await client.get('/api/v1/reports/policy-checks');
  expectStatus(r, 200);
  return Object.fromEntries(r.json.checks.filter((c) => c.clause === '7.2').map((c) => [c.id, c]));
}

async function matrix(query = '', client = mona) {
  const r = await client.get(`${MATRIX}${query}`);
  expectStatus(r, 200);
  return r.json;
}
const cellOf = (m, personId, roleId, compId) =>
  m.rows.find((r) => r.person === personId && r.role === roleId)?.cells[String(compId)];

before(async () => {
  ctx = await setup({ users: USERS });
  adam = await ctx.login('adam');
  mona = await ctx.login('mona');
  sam = await ctx.login('sam');
  tom = await ctx.login('tom');
  pAnn = await createPerson(adam, { name: uniq('Ann') });
  pBob = await createPerson(adam, { name: uniq('Bob') });
  pTom = await createPerson(adam, { name: uniq('Tom') });
  pCoach = await createPerson(adam, { name: uniq('Coach') });
  await linkUser(adam, 'tom', pTom.id);
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('before any requirement', () => {
  test('no roles: the determination check is not failed, and says why', async () => {
    const k = await checks();
    assert.equal(k['competence-determined'].ok, true, JSON.stringify(k));
    assert.match(k['competence-determined'].detail, /No organizational roles/);
    assert.equal(k['competence-held'].ok, true);
  });

  test('roles but no requirement at all: not met, in plain words', async () => {
    await role();
    const k = await checks();
    assert.equal(k['competence-determined'].ok, false);
    assert.match(k['competence-determined'].detail, /competence needs are not determined/);
    assert.equal(k['competence-determined'].link, '/competence');
  });
});

describe('catalog, requirements and records', () => {
  test('competences: kinds, a bounded validity, unique names; only editors write', async () => {
    const c = await competence({ kind: 'certification', validity_months: 36 });
    assert.equal(c.kind, 'certification');
    assert.equal((await competence()).kind, 'skill', 'kind defaults to skill');
    expectError(await mona.post(C, { name: c.name }), 409, 'conflict', 'name');
    expectError(await mona.post(C, { name: uniq('C'), kind: 'badge' }), 400, 'invalid', 'kind');
    expectError(await mona.post(C, { name: uniq('C'), validity_months: 0 }), 400, 'invalid', 'validity_months');
    expectError(await mona.post(C, { kind: 'skill' }), 400, 'invalid', 'name');
    expectError(await sam.post(C, { name: uniq('C') }), 403, 'forbidden');
    expectStatus(await sam.get(C), 200);
  });

  test('one requirement per role and competence: a second is 409 naming competence', async () => {
    const r = await role();
    const c = await competence();
    const first = await make(REQ, { role: r.id, competence: c.id, note: 'Needed from day one' });
    assert.match(first.title, new RegExp(`${r.name} — ${c.name}`));
    expectError(await mona.post(REQ, { role: r.id, competence: c.id }), 409, 'conflict', 'competence');
    // Changing another requirement into the same pair is refused too; nothing is stored.
    const c2 = await competence();
    const second = await make(REQ, { role: r.id, competence: c2.id });
    expectError(await mona.patch(`${REQ}/${second.id}`, { competence: c.id }, { headers: { 'If-Match': `"${second.version}"` } }),
      409, 'conflict', 'competence');
    const list = await mona.get(`${REQ}?role=${r.id}`);
    assert.equal(list.json.total, 2);
    expectError(await mona.post(REQ, { role: r.id }), 400, 'invalid', 'competence');
    expectError(await mona.post(REQ, { competence: c.id }), 400, 'invalid', 'role');
    expectError(await mona.post(REQ, { role: 999999, competence: c.id }), 400, 'invalid', 'role');
  });

  test('training records: competence from the course, expiry from the validity', async () => {
    const cert = await competence({ kind: 'certification', validity_months: 12 });
    const course = await make(T, { title: uniq('Course'), provider: 'Acme Academy', competence: cert.id, duration: '2 days' });
    const rec = await make(TR, { person: pAnn.id, course: course.id, obtained_on: '2026-03-15' });
    assert.equal(rec.competence, cert.id, 'the competence the course gives');
    assert.equal(rec.expires_on, '2027-03-14', '12 months less a day');
    assert.match(rec.title, new RegExp(pAnn.name));
    // An expiry given is kept.
    const given = await make(TR, { person: pAnn.id, competence: cert.id, obtained_on: '2026-03-15', expires_on: '2026-06-30' });
    assert.equal(given.expires_on, '2026-06-30');
    // A skill without validity does not expire.
    const skill = await competence();
    const open = await make(TR, { person: pAnn.id, competence: skill.id, obtained_on: '2026-01-10' });
    assert.equal(open.expires_on ?? null, null);
  });

  test('training records: 400s naming the field, nothing stored', async () => {
    const c = await competence();
    const before = (await mona.get(`${TR}?person=${pBob.id}`)).json.total;
    expectError(await mona.post(TR, { person: pBob.id, obtained_on: '2026-01-01' }), 400, 'invalid', 'competence');
    expectError(await mona.post(TR, { competence: c.id, obtained_on: '2026-01-01' }), 400, 'invalid', 'person');
    expectError(await mona.post(TR, { person: pBob.id, competence: c.id }), 400, 'invalid', 'obtained_on');
    expectError(await mona.post(TR, { person: pBob.id, competence: c.id, obtained_on: day(5) }), 400, 'invalid', 'obtained_on');
    expectError(await mona.post(TR, { person: pBob.id, competence: c.id, obtained_on: '2026-02-30' }), 400, 'invalid', 'obtained_on');
    expectError(await mona.post(TR, { person: pBob.id, competence: c.id, obtained_on: '2026-05-01', expires_on: '2026-04-30' }),
      400, 'invalid', 'expires_on');
    expectError(await mona.post(TR, { person: pBob.id, competence: c.id, obtained_on: '2026-05-01', effectiveness_by: pCoach.id }),
      400, 'invalid', 'effectiveness_method');
    expectError(await mona.post(TR, { person: pBob.id, competence: c.id, obtained_on: '2026-05-01', effectiveness_method: 'Exam passed' }),
      400, 'invalid', 'effectiveness_on');
    expectError(await mona.post(TR, { person: pBob.id, competence: c.id, obtained_on: '2026-05-01',
      effectiveness_method: 'Exam passed', effectiveness_on: '2026-04-01' }), 400, 'invalid', 'effectiveness_on');
    expectError(await mona.post(TR, { person: pBob.id, competence: c.id, obtained_on: '2026-05-01',
      effectiveness_method: 'Exam passed', effectiveness_on: day(3) }), 400, 'invalid', 'effectiveness_on');
    assert.equal((await mona.get(`${TR}?person=${pBob.id}`)).json.total, before, 'nothing stored');
    const ok = await make(TR, { person: pBob.id, competence: c.id, obtained_on: '2026-05-01',
      effectiveness_method: 'Observed in the October incident exercise', effectiveness_by: pCoach.id, effectiveness_on: '2026-10-20' });
    assert.equal(ok.effectiveness_by, pCoach.id);
  });
});

describe('the matrix, the due items and the checks', () => {
  let r; let r2; let cValid; let cSoon; let cOld; let cNone; let cOther;

  before(async () => {
    r = await role();
    r2 = await role();
    cValid = await competence({ name: uniq('A-valid') });
    cSoon = await competence({ name: uniq('B-soon'), kind: 'certification' });
    cOld = await competence({ name: uniq('C-old'), kind: 'certification' });
    cNone = await competence({ name: uniq('D-none') });
    cOther = await competence({ name: uniq('E-other') });
    for (const c of [cValid, cSoon, cOld, cNone]) await make(REQ, { role: r.id, competence: c.id });
    await make(REQ, { role: r2.id, competence: cOther.id });
    await assign(pTom, r);
    await assign(pBob, r, '2020-01-01', { ends_on: '2021-12-31' }); // a former holder
    await make(TR, { person: pTom.id, competence: cValid.id, obtained_on: '2025-01-01' });
    await make(TR, { person: pTom.id, competence: cSoon.id, obtained_on: '2025-01-01', expires_on: day(20) });
    await make(TR, { person: pTom.id, competence: cOld.id, obtained_on: '2024-01-01', expires_on: '2025-01-01' });
  });

  test('cells: valid, expiring, expired, missing; only current holders; schema holds', async () => {
    const m = await matrix(`?role=${r.id}`);
    assert.equal(m.on, today());
    assert.equal(m.expiring_days, 60);
    assert.deepEqual(m.rows.map((x) => x.person), [pTom.id], 'the former holder is not a row');
    assert.equal(cellOf(m, pTom.id, r.id, cValid.id).status, 'valid');
    const soon = cellOf(m, pTom.id, r.id, cSoon.id);
    assert.equal(soon.status, 'expiring');
    assert.equal(soon.expires_on, day(20));
    assert.equal(cellOf(m, pTom.id, r.id, cOld.id).status, 'expired');
    const none = cellOf(m, pTom.id, r.id, cNone.id);
    assert.equal(none.status, 'missing');
    assert.equal(none.record, undefined);
    assert.deepEqual(m.totals, { valid: 1, expiring: 1, expired: 1, missing: 1 });
    assert.deepEqual(m.competences.map((c) => c.id), [cValid.id, cSoon.id, cOld.id, cNone.id], 'columns by name');
    assert.equal(m.roles.length, 1);
    assert.equal(m.roles[0].holders, 1);
    // The answer matches the schema OpenAPI publishes for it.
    const doc = (await ctx.anon.get('/api/v1/openapi.json')).json;
    const schema = doc.paths[MATRIX].get.responses['200'].content['application/json'].schema;
    const ajv = new Ajv({ strict: false });
    assert.ok(ajv.validate(schema, m), JSON.stringify(ajv.errors));
    assert.ok(ajv.validate(schema, await matrix()), JSON.stringify(ajv.errors));
  });

  test('the on day: the former holder then, and what was valid then', async () => {
    const m = await matrix(`?role=${r.id}&on=2021-06-01`);
    assert.deepEqual(m.rows.map((x) => x.person), [pBob.id]);
    assert.equal(cellOf(m, pBob.id, r.id, cValid.id).status, 'missing');
    const then = await matrix(`?role=${r.id}&on=2024-12-01`);
    assert.equal(cellOf(then, pTom.id, r.id, cOld.id).status, 'expiring', 'a month before it expired');
    assert.equal(cellOf(then, pTom.id, r.id, cValid.id).status, 'missing', 'obtained only later');
  });

  test('a new record turns a missing cell valid; a renewal turns an expired one valid', async () => {
    await make(TR, { person: pTom.id, competence: cNone.id, obtained_on: day(-1) });
    await make(TR, { person: pTom.id, competence: cOld.id, obtained_on: day(-2), expires_on: day(400) });
    const m = await matrix(`?role=${r.id}`);
    assert.equal(cellOf(m, pTom.id, r.id, cNone.id).status, 'valid');
    assert.equal(cellOf(m, pTom.id, r.id, cOld.id).status, 'valid', 'the record that counts longest wins');
    assert.deepEqual(m.totals, { valid: 3, expiring: 1, expired: 0, missing: 0 });
  });

  test('bad parameters are 400 naming them; staff may read it', async () => {
    expectError(await mona.get(`${MATRIX}?role=abc`), 400, 'invalid', 'role');
    expectError(await mona.get(`${MATRIX}?role=999999`), 400, 'invalid', 'role');
    expectError(await mona.get(`${MATRIX}?on=2026-13-01`), 400, 'invalid', 'on');
    expectError(await mona.get(`${MATRIX}?colour=red`), 400, 'invalid', 'colour');
    expectStatus(await sam.get(MATRIX), 200);
  });

  test('XLSX, CSV and HTML exports answer with their media types', async () => {
    const x = await mona.get(`${MATRIX}.xlsx?role=${r.id}`);
    expectStatus(x, 200);
    assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.match(x.headers.get('content-disposition'), /competence-matrix-.*\.xlsx/);
    const csv = await mona.get(`${MATRIX}.csv?role=${r.id}`);
    expectStatus(csv, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.match(csv.text, new RegExp(`${cSoon.name}`));
    assert.match(csv.text, /Expiring \d{4}-\d{2}-\d{2}/);
    const html = await mona.get(`${MATRIX}.html?role=${r2.id}`);
    expectStatus(html, 200);
    assert.match(html.headers.get('content-type'), /^text\/html/);
    expectError(await mona.get(`${MATRIX}.xlsx?on=yesterday`), 400, 'invalid', 'on');
  });

  test('due: a gap is the holder\'s item; expiries within the period too', async () => {
    const h = await make('/api/v1/people', { name: uniq('Holder') });
    await assign(h, r2, day(-3));
    const due = await mona.get('/api/v1/due?days=60');
    expectStatus(due, 200);
    const gap = due.json.items.find((i) => i.owner === h.id);
    assert.ok(gap, JSON.stringify(due.json.items));
    assert.equal(gap.type, 'competence-requirements');
    assert.equal(gap.what, 'competence missing');
    // Due from the later of the day they took the role and the day the role came to need it
    // (the requirement was recorded today).
    assert.equal(gap.date, today());
    assert.equal(gap.overdue, false);
    assert.match(gap.title, new RegExp(`${h.name} — ${cOther.name}`));
    const soon = due.json.items.find((i) => i.owner === pTom.id && i.what === 'competence expires');
    assert.ok(soon, JSON.stringify(due.json.items));
    assert.equal(soon.type, 'training-records');
    assert.equal(soon.date, day(20));
    assert.equal(soon.overdue, false);
    // Outside a 10-day period the expiry is not listed; the gap is.
    const near = (await mona.get('/api/v1/due?days=10')).json.items;
    assert.ok(!near.some((i) => i.owner === pTom.id && i.what === 'competence expires'));
    assert.ok(near.some((i) => i.owner === h.id));
    // Mine: tom sees his expiry and not the other holder's gap.
    const mine = (await tom.get('/api/v1/due?days=60&mine=true')).json.items;
    assert.ok(mine.some((i) => i.what === 'competence expires'));
    assert.ok(!mine.some((i) => i.owner === h.id));
  });

  test('checks: gaps fail the holder check naming the person; closing them passes it', async () => {
    let k = await checks();
    assert.equal(k['competence-determined'].ok, true);
    assert.equal(k['competence-held'].ok, false);
    assert.match(k['competence-held'].detail, /missing/);
    // Close every gap of current holders.
    const m = await matrix();
    for (const row of m.rows) {
      for (const [cid, cell] of Object.entries(row.cells)) {
        if (cell.status === 'missing' || cell.status === 'expired')
          await make(TR, { person: row.person, competence: Number(cid), obtained_on: today() });
      }
    }
    k = await checks();
    assert.equal(k['competence-held'].ok, true, k['competence-held'].detail);
    assert.match(k['competence-held'].detail, /Expiring within 60 days/);
    // A course attended without an effectiveness check is said, not failed.
    const cert = await competence();
    const course = await make(T, { title: uniq('Course'), competence: cert.id });
    await make(TR, { person: pAnn.id, course: course.id, obtained_on: today() });
    k = await checks();
    assert.equal(k['competence-held'].ok, true);
    assert.match(k['competence-held'].detail, /no effectiveness check yet/);
  });

  test('the CLI prints the matrix and refuses a bad day with exit 1', async () => {
    const out = await ctx.cli(['competence-matrix', '--role', String(r.id)], { as: 'mona' });
    assert.equal(out.code, 0, out.describe);
    assert.match(out.stdout, new RegExp(`${pTom.name}.*${cSoon.name}: Expiring`));
    const bad = await ctx.cli(['competence-matrix', '--on', 'soon'], { as: 'mona' });
    assert.notEqual(bad.code, 0, bad.describe);
    assert.match(bad.stderr, /on/);
  });
});

describe('the demo organization', () => {
  test('requirements for its roles, one certification expiring, no gaps', async () => {
    const { createStore, ismsOn } = await import('./lib.mjs');
    const store = await createStore();
    try {
      const init = await ismsOn(store, ['init', '--demo']);
      assert.equal(init.code, 0, init.describe);
      const r = await ismsOn(store, ['competence-matrix', '--on', '2026-12-02', '--json'], { as: 'isms.manager' });
      assert.equal(r.code, 0, r.describe);
      const m = JSON.parse(r.stdout);
      assert.ok(m.competences.length >= 8 && m.competences.length <= 12, `${m.competences.length} competences`);
      assert.ok(m.rows.length >= 15, `${m.rows.length} holders`);
      assert.equal(m.totals.missing + m.totals.expired, 0, JSON.stringify(m.totals));
      const expiring = m.rows.flatMap((row) => Object.entries(row.cells)
        .filter(([, c]) => c.status === 'expiring')
        .map(([id]) => [row.person_name, m.competences.find((c) => c.id === Number(id))]));
      assert.equal(expiring.length, 1, JSON.stringify(expiring));
      assert.equal(expiring[0][1].kind, 'certification');
    } finally {
      await store.cleanup();
    }
  });
});
