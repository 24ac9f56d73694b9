// risks.test.mjs — the risk method (6.1.2 a–b), the risk register (6.1.2 c–e, 8.2) and its
// workflow, acceptance of residual risk (6.1.3 f), the threat catalog, ISMS risks and
// opportunities (6.1.1) and risk assessment runs (8.2).
//
// The tests run in order and build on each other: the seeded method is checked and refused
// malformed variants while still a draft, then approved; risks are scored with it; a second
// method supersedes it at the end.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  actionName, BY_ROLE, createPerson, expectError, expectRecord, expectStatus, grantAuthority,
  linkUser, setup, uniq,
} from './lib.mjs';

let ctx;
const as = {}; // role -> cookie client
let mona; // isms_manager
let tom; // top_management
let rita; // risk_owner
let adam; // admin

// People and the accounts linked to them.
let pRita; // linked to rita (risk_owner)
let pTom; // linked to tom (top_management)
let pMona; // linked to mona (isms_manager)
let pNobody; // linked to no account

let method1; // the seeded default, approved below
let control; // an applied control for "modify"

const M = '/api/v1/risk-methods';
const R = '/api/v1/risks';
const act = (client, type, id, name, body) => client.post(`/api/v1/${type}/${id}/actions/${name}`, body);
const riskAct = (client, id, name, body = {}) => act(client, 'risks', id, name, body);

// YYYY-MM-DD plus months, the day kept where the month allows (clamped otherwise).
function addMonths(date, months) {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
const utcToday = () => new Date().toISOString().slice(0, 10);

async function getRisk(id, client = mona) {
  const res = await client.get(`${R}/${id}`);
  expectStatus(res, 200);
  expectRecord(res.json, `risk ${id}`);
  return res.json;
}

async function createRisk(fields = {}, client = mona) {
  const res = await client.post(R, { title: uniq('Risk'), owner: pRita.id, ...fields });
  expectStatus(res, 201);
  expectRecord(res.json, 'created risk');
  return res.json;
}

async function patchRisk(id, fields, client = mona) {
  const res = await client.patch(`${R}/${id}`, fields);
  expectStatus(res, 200);
  return res.json;
}

async function doAct(client, id, name, body = {}) {
  const res = await riskAct(client, id, name, body);
  assert.ok(res.status >= 200 && res.status < 300, `${name} should succeed: ${res.describe()}`);
  return getRisk(id);
}

// A risk taken to "treated" with the given scores and residual scores.
async function treatedRisk({ owner = pRita.id, l = 4, c = 4, rl, rc, treatment = 'retain' } = {}) {
  const r = await createRisk({ owner, likelihood: l, consequence: c });
  await doAct(mona, r.id, 'analyse');
  await doAct(mona, r.id, 'evaluate');
  await patchRisk(r.id, {
    treatment, treatment_justification: 'Reasoned choice of treatment.',
    residual_likelihood: rl, residual_consequence: rc,
    ...(treatment === 'modify' ? { controls: [control.id] } : {}),
  });
  const t = await doAct(mona, r.id, 'treat');
  assert.equal(t.status, 'treated');
  return t;
}

async function history(type, id) {
  const res = await mona.get(`/api/v1/${type}/${id}/history`);
  expectStatus(res, 200);
  return res.json.items;
}

// The writable fields of a method record, for building new methods from the seeded one.
const METHOD_FIELDS = ['name', 'likelihood_levels', 'impact_areas', 'consequence_levels',
  'risk_levels', 'matrix', 'acceptance_threshold', 'accepting_role', 'reassessment_months'];
function methodBody(m, changes = {}) {
  const body = {};
  for (const f of METHOD_FIELDS) body[f] = structuredClone(m[f]);
  body.name = uniq('Method');
  return { ...body, ...changes };
}

before(async () => {
  ctx = await setup();
  for (const [role, username] of Object.entries(BY_ROLE)) as[role] = await ctx.login(username);
  ({ isms_manager: mona, top_management: tom, risk_owner: rita, admin: adam } = as);
  pRita = await createPerson(mona, { name: 'Rita Risk (person)' });
  pTom = await createPerson(mona, { name: 'Tom Top (person)' });
  pMona = await createPerson(mona, { name: 'Mona Manager (person)' });
  pNobody = await createPerson(mona, { name: 'Nobody Linked' });
  await linkUser(adam, BY_ROLE.risk_owner, pRita.id);
  await linkUser(adam, BY_ROLE.top_management, pTom.id);
  await linkUser(adam, BY_ROLE.isms_manager, pMona.id);
  // Tom's person holds a top-management role: the authority to approve the method and to
  // accept risks above the threshold comes from it, not from the account's role.
  await grantAuthority(adam, BY_ROLE.top_management, { top_management: true });
  // Sign in again so that the sessions certainly carry the links.
  for (const role of ['risk_owner', 'top_management', 'isms_manager'])
    as[role] = await ctx.login(BY_ROLE[role], { fresh: true });
  ({ isms_manager: mona, top_management: tom, risk_owner: rita } = as);
  const c = await mona.post('/api/v1/controls', { name: uniq('Control'), owner: pRita.id });
  expectStatus(c, 201);
  control = c.json;
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('risk method', () => {
  test('init seeds the default 5x5 method as a draft', async () => {
    const res = await as.staff.get(M);
    expectStatus(res, 200);
    assert.equal(res.json.total, 1, `one seeded method: ${res.describe()}`);
    const m = res.json.items[0];
    expectRecord(m, 'seeded method');
    assert.equal(m.status, 'draft');
    assert.equal(m.likelihood_levels.length, 5);
    assert.equal(m.consequence_levels.length, 5);
    assert.equal(m.risk_levels.length, 4);
    const names = m.risk_levels.map((l) => l.name);
    assert.equal(m.matrix.length, 5, 'one matrix row per likelihood level');
    for (const row of m.matrix) {
      assert.equal(row.length, 5, 'one cell per consequence level');
      for (const cell of row) assert.ok(names.includes(cell), `cell ${cell} is a risk level`);
    }
    assert.equal(m.acceptance_threshold, 'medium');
    assert.ok(names.includes('medium'));
    assert.equal(m.accepting_role, null, 'no named role: top management accepts above the threshold');
    assert.ok(!('acceptance_role' in m), 'the application-role field is gone');
    assert.equal(m.reassessment_months, 12);
    for (const l of [...m.likelihood_levels, ...m.consequence_levels])
      assert.ok(typeof l.label === 'string' && l.label.length > 0, 'each level has a label');
    for (const c of m.consequence_levels)
      for (const area of m.impact_areas)
        assert.ok(c.descriptions?.[area], `consequence ${c.label} describes ${area}`);
    method1 = m;
  });

  test('a well-formed new method is accepted as a draft', async () => {
    const res = await mona.post(M, methodBody(method1));
    expectStatus(res, 201);
    assert.equal(res.json.status, 'draft');
    expectStatus(await mona.del(`${M}/${res.json.id}`), 204);
  });

  const bad = {
    'two likelihood levels': [(b) => {
      b.likelihood_levels = b.likelihood_levels.slice(0, 2);
      b.matrix = b.matrix.slice(0, 2);
    }, 'likelihood_levels'],
    'eight likelihood levels': [(b) => {
      for (let i = 0; i < 3; i++) {
        b.likelihood_levels.push({ label: `Extra ${i}`, description: 'More often still.' });
        b.matrix.push([...b.matrix[4]]);
      }
    }, 'likelihood_levels'],
    'a matrix row missing a cell': [(b) => { b.matrix[2] = b.matrix[2].slice(0, 4); }, 'matrix'],
    'a matrix row missing': [(b) => { b.matrix = b.matrix.slice(0, 4); }, 'matrix'],
    'a cell naming an undefined level': [(b) => { b.matrix[1][3] = 'catastrophic'; }, 'matrix'],
    'a threshold that is not a level': [(b) => { b.acceptance_threshold = 'moderate'; },
      'acceptance_threshold'],
    'a consequence level without a description for an impact area': [(b) => {
      delete b.consequence_levels[2].descriptions[b.impact_areas[1]];
    }, 'consequence_levels'],
    'a new impact area the consequence levels do not describe': [(b) => {
      b.impact_areas.push('safety');
    }, 'consequence_levels'],
    'a bad colour': [(b) => { b.risk_levels[1].colour = 'yellow'; }, 'risk_levels'],
    'reassessment_months 0': [(b) => { b.reassessment_months = 0; }, 'reassessment_months'],
    'an accepting role that does not exist': [(b) => { b.accepting_role = 999999; }, 'accepting_role'],
    'an application role as accepting role': [(b) => { b.accepting_role = 'top_management'; }, 'accepting_role'],
    'the old acceptance_role field': [(b) => { b.acceptance_role = 'top_management'; }, 'acceptance_role'],
  };
  for (const [what, [mutate, field]] of Object.entries(bad)) {
    test(`a method with ${what} is refused: 400 field ${field}`, async () => {
      const body = methodBody(method1);
      mutate(body);
      expectError(await mona.post(M, body), 400, 'invalid', field);
    });
  }

  test('a malformed change to the draft is refused with the field at fault', async () => {
    const matrix = structuredClone(method1.matrix);
    matrix[4].pop();
    expectError(await mona.patch(`${M}/${method1.id}`, { matrix }), 400, 'invalid', 'matrix');
    expectError(await mona.patch(`${M}/${method1.id}`, { status: 'approved' }), 400, 'invalid',
      'status');
  });
});

describe('before any method is approved', () => {
  test('a risk with a likelihood is refused: 409 field likelihood', async () => {
    const res = await mona.post(R, { title: uniq('Too early'), owner: pRita.id, likelihood: 3 });
    expectError(res, 409, 'conflict', 'likelihood');
  });

  test('a risk without scores can be identified', async () => {
    const r = await createRisk({ title: uniq('Unscored') });
    assert.equal(r.status, 'identified');
    assert.equal(r.inherent_level, null);
  });
});

describe('approving the method', () => {
  test('isms_manager and admin may not approve (403); the auditor never decides (409)', async () => {
    expectError(await act(mona, 'risk-methods', method1.id, 'approve', {}), 403, 'forbidden');
    const refused = await act(adam, 'risk-methods', method1.id, 'approve', {});
    expectError(refused, 403, 'forbidden');
    assert.match(refused.json.error.message, /top-management role/);
    const aud = await act(as.auditor, 'risk-methods', method1.id, 'approve', {});
    expectError(aud, 409, 'conflict');
    assert.match(aud.json.error.message, /impartial/);
    const m = await mona.get(`${M}/${method1.id}`);
    assert.equal(m.json.status, 'draft');
  });

  test('top management (by assignment) approves: status approved, approved_by', async () => {
    const res = await act(tom, 'risk-methods', method1.id, 'approve', {});
    expectStatus(res, 200);
    const m = await mona.get(`${M}/${method1.id}`);
    expectStatus(m, 200);
    assert.equal(m.json.status, 'approved');
    assert.equal(m.json.approved_by, BY_ROLE.top_management);
    assert.equal(m.json.approved_on, m.json.updated_at.slice(0, 10));
    method1 = m.json;
  });

  test('an approved method is frozen: PATCH gives 409', async () => {
    expectError(await mona.patch(`${M}/${method1.id}`, { name: 'Renamed after approval' }), 409,
      'conflict');
    expectError(await mona.patch(`${M}/${method1.id}`, { reassessment_months: 6 }), 409, 'conflict');
    const m = await mona.get(`${M}/${method1.id}`);
    assert.equal(m.json.name, method1.name);
    assert.equal(m.json.reassessment_months, 12);
    assert.equal(m.json.version, method1.version);
  });

  test('approving again is a conflict: 409', async () => {
    expectError(await act(tom, 'risk-methods', method1.id, 'approve', {}), 409, 'conflict');
  });
});

describe('risk scoring', () => {
  test('likelihood and consequence outside 1..5 are refused naming the field', async () => {
    for (const [field, value] of [['likelihood', 0], ['likelihood', 6], ['consequence', 0],
      ['consequence', 6], ['residual_likelihood', 9], ['residual_consequence', -1]]) {
      const res = await mona.post(R, { title: uniq('Out of range'), owner: pRita.id,
        likelihood: 3, consequence: 3, [field]: value });
      expectError(res, 400, 'invalid', field);
    }
    const r = await createRisk({ likelihood: 2, consequence: 2 });
    expectError(await mona.patch(`${R}/${r.id}`, { consequence: 7 }), 400, 'invalid', 'consequence');
    assert.equal((await getRisk(r.id)).consequence, 2);
  });

  test('inherent level and evaluation come from the matrix', async () => {
    const cases = [
      [4, 4, 'high', 'needs_treatment'],
      [1, 2, 'low', 'acceptable'],
      [3, 2, 'medium', 'acceptable'],
      [5, 5, 'critical', 'needs_treatment'],
      [2, 5, 'high', 'needs_treatment'],
      [4, 1, 'medium', 'acceptable'],
      [1, 1, 'low', 'acceptable'],
    ];
    for (const [l, c, level, evaluation] of cases) {
      const r = await createRisk({ likelihood: l, consequence: c });
      assert.deepEqual([r.inherent_level, r.evaluation], [level, evaluation], `L${l} x C${c}`);
      assert.equal(r.method, method1.id, 'scored with the approved method');
      const again = await getRisk(r.id);
      assert.deepEqual([again.inherent_level, again.evaluation], [level, evaluation],
        `L${l} x C${c} as read back`);
    }
  });

  test('changing the scores recomputes the level; clearing them clears it', async () => {
    const r = await createRisk({ likelihood: 4, consequence: 4 });
    assert.equal(r.inherent_level, 'high');
    let u = await patchRisk(r.id, { consequence: 1 });
    assert.deepEqual([u.inherent_level, u.evaluation], ['medium', 'acceptable']);
    u = await patchRisk(r.id, { likelihood: 1 });
    assert.deepEqual([u.inherent_level, u.evaluation], ['low', 'acceptable']);
    u = await patchRisk(r.id, { likelihood: 5, consequence: 5 });
    assert.deepEqual([u.inherent_level, u.evaluation], ['critical', 'needs_treatment']);
    u = await patchRisk(r.id, { likelihood: null });
    assert.equal(u.inherent_level, null);
    assert.equal(u.evaluation, null);
  });

  test('computed and workflow fields are read-only: 400 naming the field', async () => {
    const r = await createRisk({ likelihood: 1, consequence: 1 });
    const attempts = {
      inherent_level: 'low', evaluation: 'acceptable', residual_level: 'low',
      status: 'accepted', next_review: '2030-01-01', accepted_by: BY_ROLE.risk_owner,
    };
    for (const [field, value] of Object.entries(attempts)) {
      expectError(await mona.post(R, { title: uniq('Read-only'), owner: pRita.id, [field]: value }),
        400, 'invalid', field);
      expectError(await mona.patch(`${R}/${r.id}`, { [field]: value }), 400, 'invalid', field);
    }
    const after = await getRisk(r.id);
    assert.equal(after.status, 'identified');
    assert.equal(after.inherent_level, 'low');
    assert.equal(after.accepted_by, null);
  });

  test('residual level is computed from residual likelihood and consequence', async () => {
    const r = await createRisk({ likelihood: 5, consequence: 5, residual_likelihood: 2,
      residual_consequence: 3 });
    assert.equal(r.residual_level, 'medium');
    let u = await patchRisk(r.id, { residual_likelihood: 5 });
    assert.equal(u.residual_level, 'high');
    u = await patchRisk(r.id, { residual_consequence: 1 });
    assert.equal(u.residual_level, 'medium');
    u = await patchRisk(r.id, { residual_likelihood: 1 });
    assert.equal(u.residual_level, 'low');
    assert.equal(u.inherent_level, 'critical', 'the inherent level is unaffected');
    u = await patchRisk(r.id, { residual_consequence: null });
    assert.equal(u.residual_level, null);
  });

  test('next_review is last_assessed plus 12 months', async () => {
    const r = await createRisk({ last_assessed: '2026-01-31' });
    assert.equal(r.next_review, '2027-01-31');
    let u = await patchRisk(r.id, { last_assessed: '2024-02-29' });
    assert.equal(u.next_review, '2025-02-28', 'the day is clamped to the month');
    u = await patchRisk(r.id, { last_assessed: '2025-06-15' });
    assert.equal(u.next_review, '2026-06-15');
    u = await patchRisk(r.id, { last_assessed: null });
    assert.equal(u.next_review, null);
  });

  test('owner is required: 400 owner', async () => {
    expectError(await mona.post(R, { title: uniq('No owner') }), 400, 'invalid', 'owner');
    expectError(await mona.post(R, { title: uniq('Unknown owner'), owner: 999999 }), 400,
      'invalid', 'owner');
    const r = await createRisk();
    expectError(await mona.patch(`${R}/${r.id}`, { owner: null }), 400, 'invalid', 'owner');
  });

  test('threat and assets references are validated', async () => {
    const threats = await mona.get('/api/v1/threats?limit=1');
    expectStatus(threats, 200);
    const threat = threats.json.items[0];
    const a = await mona.post('/api/v1/assets', { name: uniq('Asset'), kind: 'information',
      owner: pRita.id, classification: 'internal' });
    expectStatus(a, 201);
    const r = await createRisk({ approach: 'asset_based', threat: threat.id, assets: [a.json.id],
      vulnerability: 'Unpatched server' });
    assert.equal(r.threat, threat.id);
    assert.deepEqual(r.assets, [a.json.id]);
    expectError(await mona.post(R, { title: uniq('Bad threat'), owner: pRita.id, threat: 999999 }),
      400, 'invalid', 'threat');
    expectError(await mona.post(R, { title: uniq('Bad asset'), owner: pRita.id,
      assets: [a.json.id, 999999] }), 400, 'invalid', 'assets');
    expectError(await mona.patch(`${R}/${r.id}`, { threat: 999999 }), 400, 'invalid', 'threat');
    expectError(await mona.patch(`${R}/${r.id}`, { assets: [999999] }), 400, 'invalid', 'assets');
    const kept = await getRisk(r.id);
    assert.equal(kept.threat, threat.id);
    assert.deepEqual(kept.assets, [a.json.id]);
  });
});

describe('risk workflow', () => {
  test('analyse needs likelihood and consequence and stamps last_assessed', async () => {
    const r = await createRisk();
    expectError(await riskAct(mona, r.id, 'analyse'), 400, 'invalid', 'likelihood');
    await patchRisk(r.id, { likelihood: 4 });
    expectError(await riskAct(mona, r.id, 'analyse'), 400, 'invalid', 'consequence');
    await patchRisk(r.id, { likelihood: null, consequence: 2 });
    expectError(await riskAct(mona, r.id, 'analyse'), 400, 'invalid', 'likelihood');
    assert.equal((await getRisk(r.id)).status, 'identified');
    await patchRisk(r.id, { likelihood: 4, consequence: 4 });
    const res = await riskAct(mona, r.id, 'analyse');
    expectStatus(res, 200);
    const a = await getRisk(r.id);
    assert.equal(a.status, 'analysed');
    assert.equal(a.last_assessed, a.updated_at.slice(0, 10), 'last_assessed is the day of analysis');
    assert.equal(a.next_review, addMonths(a.last_assessed, 12));
    assert.equal(a.inherent_level, 'high');
  });

  test('evaluate, then treat needs treatment, justification and residual scores', async () => {
    const r = await createRisk({ likelihood: 4, consequence: 4 });
    await doAct(mona, r.id, 'analyse');
    const e = await doAct(rita, r.id, 'evaluate');
    assert.equal(e.status, 'evaluated');
    assert.equal(e.evaluation, 'needs_treatment');
    expectError(await riskAct(mona, r.id, 'treat'), 400, 'invalid', 'treatment');
    await patchRisk(r.id, { treatment: 'share' });
    expectError(await riskAct(mona, r.id, 'treat'), 400, 'invalid', 'treatment_justification');
    await patchRisk(r.id, { treatment_justification: 'Insured against it.' });
    expectError(await riskAct(mona, r.id, 'treat'), 400, 'invalid', 'residual_likelihood');
    await patchRisk(r.id, { residual_likelihood: 2 });
    expectError(await riskAct(mona, r.id, 'treat'), 400, 'invalid', 'residual_consequence');
    assert.equal((await getRisk(r.id)).status, 'evaluated');
    await patchRisk(r.id, { residual_consequence: 2 });
    const t = await doAct(mona, r.id, 'treat');
    assert.equal(t.status, 'treated');
    assert.equal(t.residual_level, 'low');
  });

  test('treatment "modify" needs at least one control: 400 controls', async () => {
    const r = await createRisk({ likelihood: 4, consequence: 4 });
    await doAct(mona, r.id, 'analyse');
    await doAct(mona, r.id, 'evaluate');
    await patchRisk(r.id, { treatment: 'modify', treatment_justification: 'Apply controls.',
      residual_likelihood: 2, residual_consequence: 2 });
    expectError(await riskAct(mona, r.id, 'treat'), 400, 'invalid', 'controls');
    assert.equal((await getRisk(r.id)).status, 'evaluated');
    await patchRisk(r.id, { controls: [control.id] });
    const t = await doAct(mona, r.id, 'treat');
    assert.equal(t.status, 'treated');
    assert.deepEqual(t.controls, [control.id]);
  });

  test('an action from the wrong state gives 409', async () => {
    // Scored low, so that the owner is not refused acceptance for the level.
    const r = await createRisk({ likelihood: 1, consequence: 2 });
    expectError(await riskAct(mona, r.id, 'evaluate'), 409, 'conflict');
    expectError(await riskAct(mona, r.id, 'treat'), 409, 'conflict');
    expectError(await riskAct(mona, r.id, 'reassess'), 409, 'conflict');
    expectError(await riskAct(rita, r.id, 'accept', { justification: 'Too early.' }), 409,
      'conflict');
    await doAct(mona, r.id, 'analyse');
    expectError(await riskAct(mona, r.id, 'analyse'), 409, 'conflict');
    expectError(await riskAct(mona, r.id, 'treat'), 409, 'conflict');
    expectError(await riskAct(rita, r.id, 'accept', { justification: 'Still too early.' }), 409,
      'conflict');
    const s = await getRisk(r.id);
    assert.equal(s.status, 'analysed');
    assert.equal(s.accepted_by, null);
  });

  test('staff and auditor may not take risk actions: 403', async () => {
    const r = await createRisk({ likelihood: 4, consequence: 4 });
    for (const role of ['staff', 'auditor']) {
      expectError(await riskAct(as[role], r.id, 'analyse'), 403, 'forbidden');
      expectError(await riskAct(as[role], r.id, 'close'), 403, 'forbidden');
    }
    await doAct(mona, r.id, 'analyse');
    for (const role of ['staff', 'auditor']) {
      expectError(await riskAct(as[role], r.id, 'evaluate'), 403, 'forbidden');
      expectError(await riskAct(as[role], r.id, 'reassess'), 403, 'forbidden');
    }
    await doAct(mona, r.id, 'evaluate');
    await patchRisk(r.id, { treatment: 'avoid', treatment_justification: 'Stop doing it.',
      residual_likelihood: 1, residual_consequence: 1 });
    for (const role of ['staff', 'auditor'])
      expectError(await riskAct(as[role], r.id, 'treat'), 403, 'forbidden');
    expectError(await riskAct(as.staff, r.id, 'accept', { justification: 'Not mine.' }), 403,
      'forbidden');
    // accepting is a decision: an auditor never takes one (impartiality)
    const aud = await riskAct(as.auditor, r.id, 'accept', { justification: 'Not mine.' });
    expectError(aud, 409, 'conflict');
    assert.match(aud.json.error.message, /impartial/);
    assert.equal((await getRisk(r.id)).status, 'evaluated');
  });
});

describe('acceptance of residual risk', () => {
  const J = 'Residual risk is low after the treatment; we accept it.';

  test('at or below the threshold only the owner\'s account may accept: others get 403, even top management; the auditor 409', async () => {
    const r = await treatedRisk({ rl: 1, rc: 2 });
    assert.equal(r.residual_level, 'low');
    for (const role of ['isms_manager', 'top_management', 'admin', 'control_owner', 'staff']) {
      expectError(await riskAct(as[role], r.id, 'accept', { justification: J }), 403, 'forbidden');
    }
    expectError(await riskAct(as.auditor, r.id, 'accept', { justification: J }), 409, 'conflict');
    const s = await getRisk(r.id);
    assert.equal(s.status, 'treated');
    assert.equal(s.accepted_by, null);
  });

  test('the actions array offers "accept" only to the owner\'s account', async () => {
    const r = await treatedRisk({ rl: 1, rc: 2 });
    for (const role of Object.keys(BY_ROLE)) {
      const rec = await getRisk(r.id, as[role]);
      const names = rec.actions.map(actionName);
      assert.equal(names.includes('accept'), role === 'risk_owner',
        `actions for ${role}: ${JSON.stringify(rec.actions)}`);
    }
  });

  test('missing justification: 400 field justification', async () => {
    const r = await treatedRisk({ rl: 1, rc: 2 });
    expectError(await riskAct(rita, r.id, 'accept', {}), 400, 'invalid', 'justification');
    expectError(await riskAct(rita, r.id, 'accept', { justification: '' }), 400, 'invalid',
      'justification');
    assert.equal((await getRisk(r.id)).status, 'treated');
  });

  let accepted; // accepted by rita, used below
  test('the owner accepts a residual risk below the threshold', async () => {
    const r = await treatedRisk({ rl: 1, rc: 2 });
    const res = await riskAct(rita, r.id, 'accept', { justification: J });
    expectStatus(res, 200);
    const a = await getRisk(r.id);
    assert.equal(a.status, 'accepted');
    assert.equal(a.accepted_by, BY_ROLE.risk_owner);
    assert.equal(a.accepted_on, a.updated_at.slice(0, 10));
    assert.ok(Math.abs(Date.parse(a.updated_at) - Date.now()) < 10 * 60_000,
      `accepted just now: ${a.updated_at}`);
    assert.equal(a.acceptance_justification, J);
    accepted = a;
  });

  test('the owner accepts a residual risk exactly at the threshold', async () => {
    const r = await treatedRisk({ rl: 3, rc: 2 });
    assert.equal(r.residual_level, 'medium');
    expectStatus(await riskAct(rita, r.id, 'accept', { justification: J }), 200);
    const a = await getRisk(r.id);
    assert.equal(a.status, 'accepted');
    assert.equal(a.accepted_by, BY_ROLE.risk_owner);
  });

  test('acceptance is its own history entry naming the account and the justification', async () => {
    const h = await history('risks', accepted.id);
    const acc = h.filter((e) => e.op === 'accept');
    assert.equal(acc.length, 1, `one accept entry: ${JSON.stringify(h.map((e) => e.op))}`);
    assert.equal(acc[0].actor, BY_ROLE.risk_owner);
    assert.ok(JSON.stringify(acc[0].detail ?? null).includes(J),
      `detail holds the justification: ${JSON.stringify(acc[0].detail)}`);
    assert.equal(acc[0].state.status, 'accepted');
    assert.equal(acc[0].state.accepted_by, BY_ROLE.risk_owner);
    assert.deepEqual(h.map((e) => e.op),
      ['create', 'analyse', 'evaluate', 'update', 'treat', 'accept']);
  });

  test('above the threshold the risk_owner owner gets 403', async () => {
    const r = await treatedRisk({ rl: 4, rc: 4 });
    assert.equal(r.residual_level, 'high');
    expectError(await riskAct(rita, r.id, 'accept', { justification: J }), 403, 'forbidden');
    const s = await getRisk(r.id, rita);
    assert.equal(s.status, 'treated');
    assert.ok(!s.actions.map(actionName).includes('accept'),
      `no accept offered above the threshold: ${JSON.stringify(s.actions)}`);
  });

  test('above the threshold top management (by assignment) accepts, owner or not', async () => {
    const r = await treatedRisk({ owner: pRita.id, rl: 4, rc: 4 });
    assert.equal(r.residual_level, 'high');
    const offered = await getRisk(r.id, tom);
    assert.ok(offered.actions.map(actionName).includes('accept'),
      `accept offered to top management: ${JSON.stringify(offered.actions)}`);
    expectError(await riskAct(rita, r.id, 'accept', { justification: J }), 403, 'forbidden');
    const refused = await riskAct(mona, r.id, 'accept', { justification: J });
    expectError(refused, 403, 'forbidden');
    assert.match(refused.json.error.message, /above the acceptance threshold/);
    expectStatus(await riskAct(tom, r.id, 'accept', { justification: 'Board accepts it.' }), 200);
    const a = await getRisk(r.id);
    assert.equal(a.status, 'accepted');
    assert.equal(a.accepted_by, BY_ROLE.top_management);
    assert.equal(a.acceptance_justification, 'Board accepts it.');
  });

  test('above the threshold a role whose "accepts up to" reaches the level accepts, not beyond', async () => {
    const high = await treatedRisk({ owner: pRita.id, rl: 4, rc: 4 });
    assert.equal(high.residual_level, 'high');
    const critical = await treatedRisk({ owner: pRita.id, l: 5, c: 5, rl: 5, rc: 5 });
    assert.equal(critical.residual_level, 'critical');
    expectError(await riskAct(mona, high.id, 'accept', { justification: J }), 403, 'forbidden');
    // from today on, mona's person holds a role that accepts risks up to "high"
    await grantAuthority(adam, BY_ROLE.isms_manager, { accepts_up_to: 'high' },
      { since: new Date().toISOString().slice(0, 10) });
    const tooHigh = await riskAct(mona, critical.id, 'accept', { justification: J });
    expectError(tooHigh, 403, 'forbidden');
    assert.match(tooHigh.json.error.message, /critical/);
    assert.ok(!(await getRisk(critical.id, mona)).actions.map(actionName).includes('accept'));
    assert.ok((await getRisk(high.id, mona)).actions.map(actionName).includes('accept'));
    expectStatus(await riskAct(mona, high.id, 'accept', { justification: J }), 200);
    const a = await getRisk(high.id);
    assert.equal(a.status, 'accepted');
    assert.equal(a.accepted_by, BY_ROLE.isms_manager);
    assert.equal((await getRisk(critical.id)).status, 'treated');
  });

  test('a risk owned by a person with no account can be accepted by nobody', async () => {
    const r = await treatedRisk({ owner: pNobody.id, rl: 1, rc: 1 });
    for (const role of Object.keys(BY_ROLE))
      expectError(await riskAct(as[role], r.id, 'accept', { justification: J }),
        ...(role === 'auditor' ? [409, 'conflict'] : [403, 'forbidden']));
  });

  test('changing the residual likelihood of an accepted risk sends it back to treated', async () => {
    const before = await getRisk(accepted.id);
    assert.equal(before.status, 'accepted');
    const u = await patchRisk(accepted.id, { residual_likelihood: 2 });
    assert.equal(u.status, 'treated');
    assert.equal(u.accepted_by, null);
    assert.equal(u.accepted_on, null);
    const s = await getRisk(accepted.id);
    assert.equal(s.status, 'treated');
    assert.equal(s.accepted_by, null);
    assert.equal(s.residual_level, 'low');
  });

  test('an edit that leaves the scores alone keeps the acceptance', async () => {
    const r = await treatedRisk({ rl: 1, rc: 1 });
    expectStatus(await riskAct(rita, r.id, 'accept', { justification: J }), 200);
    const u = await patchRisk(r.id, { scenario: 'A clearer description of the scenario.' });
    assert.equal(u.status, 'accepted');
    assert.equal(u.accepted_by, BY_ROLE.risk_owner);
  });

  test('reassess clears the acceptance', async () => {
    expectStatus(await riskAct(rita, accepted.id, 'accept', { justification: 'Accepted again.' }),
      200);
    const a = await getRisk(accepted.id);
    assert.equal(a.status, 'accepted');
    assert.equal(a.accepted_by, BY_ROLE.risk_owner);
    expectStatus(await riskAct(mona, accepted.id, 'reassess'), 200);
    const r = await getRisk(accepted.id);
    assert.equal(r.status, 'analysed');
    assert.equal(r.accepted_by, null);
    assert.equal(r.accepted_on, null);
    assert.equal(r.acceptance_justification, null);
    assert.equal(r.last_assessed, r.updated_at.slice(0, 10));
    const h = await history('risks', accepted.id);
    assert.equal(h[h.length - 1].op, 'reassess');
    assert.equal(h[h.length - 1].actor, BY_ROLE.isms_manager);
  });
});

describe('threats, ISMS risks, assessment runs', () => {
  test('the threat catalog holds at least 30 threats with unique names', async () => {
    const res = await as.staff.get('/api/v1/threats?limit=500');
    expectStatus(res, 200);
    assert.ok(res.json.total >= 30, `at least 30 threats: ${res.json.total}`);
    assert.equal(res.json.items.length, res.json.total);
    const names = res.json.items.map((t) => t.name);
    assert.equal(new Set(names).size, names.length, 'threat names are unique');
    for (const t of res.json.items) {
      assert.ok(typeof t.name === 'string' && t.name.length > 0);
      assert.ok(['deliberate', 'accidental', 'environmental', 'technical', 'organizational']
        .includes(t.category), `category of ${t.name}: ${t.category}`);
    }
    expectError(await mona.post('/api/v1/threats', { name: names[0], category: 'technical' }), 409,
      'conflict', 'name');
  });

  test('an ISMS risk marked done needs effectiveness: 400 effectiveness', async () => {
    const I = '/api/v1/isms-risks';
    expectError(await mona.post(I, { title: uniq('ISMS risk'), kind: 'risk', status: 'done' }),
      400, 'invalid', 'effectiveness');
    const open = await mona.post(I, { title: uniq('ISMS opportunity'), kind: 'opportunity',
      planned_action: 'Automate evidence collection.', owner: pMona.id, due_date: '2026-12-31' });
    expectStatus(open, 201);
    assert.equal(open.json.status, 'open');
    expectError(await mona.patch(`${I}/${open.json.id}`, { status: 'done' }), 400, 'invalid',
      'effectiveness');
    const done = await mona.patch(`${I}/${open.json.id}`, { status: 'done',
      effectiveness: 'Checked at the quarterly review: evidence is complete.' });
    expectStatus(done, 200);
    assert.equal(done.json.status, 'done');
    const direct = await mona.post(I, { title: uniq('ISMS risk'), kind: 'risk', status: 'done',
      effectiveness: 'Verified by the internal audit.' });
    expectStatus(direct, 201);
  });

  test('risk assessment runs: next_due and due for the latest run only', async () => {
    const A = '/api/v1/risk-assessments';
    const old = await mona.post(A, { title: uniq('Assessment 2024'), held_on: '2024-01-10' });
    expectStatus(old, 201);
    let g = await mona.get(`${A}/${old.json.id}`);
    expectStatus(g, 200);
    assert.equal(g.json.next_due, '2025-01-10');
    assert.equal(g.json.due, true, 'the latest run, held long ago, is due');

    const older = await mona.post(A, { title: uniq('Assessment 2023'), held_on: '2023-05-05' });
    expectStatus(older, 201);
    g = await mona.get(`${A}/${older.json.id}`);
    assert.equal(g.json.next_due, '2024-05-05');
    assert.equal(g.json.due, false, 'an earlier run is never due');
    g = await mona.get(`${A}/${old.json.id}`);
    assert.equal(g.json.due, true, 'the 2024 run is still the latest');

    expectError(await mona.post(A, { title: uniq('Bad'), held_on: '2024-01-10',
      next_due: '2030-01-01' }), 400, 'invalid', 'next_due');
    expectError(await mona.post(A, { title: uniq('Bad'), held_on: '2024-01-10', due: false }),
      400, 'invalid', 'due');

    const today = utcToday();
    const recent = await mona.post(A, { title: uniq('Assessment now'), held_on: today });
    expectStatus(recent, 201);
    g = await mona.get(`${A}/${recent.json.id}`);
    assert.equal(g.json.next_due, addMonths(today, 12));
    assert.equal(g.json.due, false, 'a recent run is not due');
    g = await mona.get(`${A}/${old.json.id}`);
    assert.equal(g.json.due, false, 'once a newer run exists the old one is not due');
    const l = await mona.get(`${A}?limit=500`);
    expectStatus(l, 200);
    assert.deepEqual(l.json.items.filter((x) => x.due).map((x) => x.id), []);
    assert.equal(l.json.items.find((x) => x.id === old.json.id)?.next_due, '2025-01-10');
  });
});

describe('a new method version', () => {
  const J2 = 'The risk committee accepts what remains.';
  let method2;
  let risk; // last assessed 2026-01-31
  let risk2; // last assessed 2026-08-31
  let riskCommittee; // the organizational role method2 names to accept above the threshold

  test('a second approved method supersedes the first', async () => {
    risk = await createRisk({ likelihood: 2, consequence: 2, last_assessed: '2026-01-31' });
    assert.equal(risk.next_review, '2027-01-31');
    risk2 = await createRisk({ last_assessed: '2026-08-31' });
    assert.equal(risk2.next_review, '2027-08-31');

    const committee = await adam.post('/api/v1/roles', { name: uniq('Risk committee'),
      responsibilities: 'Accepts residual risks above the threshold.' });
    expectStatus(committee, 201);
    riskCommittee = committee.json;
    const created = await mona.post(M, methodBody(method1, { reassessment_months: 6,
      accepting_role: riskCommittee.id }));
    expectStatus(created, 201);
    assert.equal(created.json.status, 'draft');
    assert.equal(created.json.accepting_role, riskCommittee.id);
    expectError(await act(mona, 'risk-methods', created.json.id, 'approve', {}), 403, 'forbidden');
    expectStatus(await act(tom, 'risk-methods', created.json.id, 'approve', {}), 200);
    const m2 = await mona.get(`${M}/${created.json.id}`);
    assert.equal(m2.json.status, 'approved');
    assert.equal(m2.json.approved_by, BY_ROLE.top_management);
    method2 = m2.json;

    const m1 = await mona.get(`${M}/${method1.id}`);
    expectStatus(m1, 200);
    assert.equal(m1.json.status, 'superseded');
    const h = await history('risk-methods', method1.id);
    const sup = h.filter((e) => e.op === 'supersede');
    assert.equal(sup.length, 1, `one supersede entry: ${JSON.stringify(h.map((e) => e.op))}`);
    assert.equal(sup[0].state.status, 'superseded');
    assert.equal(h[h.length - 1].op, 'supersede');

    const all = await mona.get(`${M}?status=approved`);
    assert.deepEqual(all.json.items.map((m) => m.id), [method2.id], 'one approved method');
  });

  test('holders of the role the method names accept above the threshold', async () => {
    const r = await treatedRisk({ owner: pRita.id, rl: 4, rc: 4 });
    assert.equal(r.residual_level, 'high');
    const refused = await riskAct(rita, r.id, 'accept', { justification: J2 });
    expectError(refused, 403, 'forbidden');
    assert.ok(refused.json.error.message.includes(riskCommittee.name), refused.describe());
    expectStatus(await adam.post('/api/v1/role-assignments', { person: pRita.id,
      role: riskCommittee.id, starts_on: '2020-01-01' }), 201);
    expectStatus(await riskAct(rita, r.id, 'accept', { justification: J2 }), 200);
    assert.equal((await getRisk(r.id)).accepted_by, BY_ROLE.risk_owner);
  });

  test('a superseded method is frozen too', async () => {
    expectError(await mona.patch(`${M}/${method1.id}`, { name: 'Edit old' }), 409, 'conflict');
    expectError(await act(tom, 'risk-methods', method1.id, 'approve', {}), 409, 'conflict');
    expectError(await mona.patch(`${M}/${method2.id}`, { name: 'Edit new' }), 409, 'conflict');
  });

  test('next_review follows the new reassessment interval on the next save', async () => {
    let u = await patchRisk(risk.id, { scenario: 'Saved under the new method.' });
    assert.equal(u.next_review, '2026-07-31');
    assert.equal(u.method, method2.id, 'rescored with the method in force');
    assert.equal(u.inherent_level, 'low');
    u = await patchRisk(risk2.id, { title: uniq('Renamed') });
    assert.equal(u.next_review, '2027-02-28', 'six months after 31 August, clamped');
    const fresh = await createRisk({ last_assessed: '2026-01-31' });
    assert.equal(fresh.next_review, '2026-07-31');
  });

  test('isms verify exits 0', async () => {
    const r = await ctx.cli(['verify']);
    assert.equal(r.code, 0, r.describe);
  });
});
