// effective_dates.test.mjs — decisions recorded with the day they took effect (issue 10):
// effective_on on approve, publish, acknowledge and the risk assessment actions (never in the
// future, earlier days only for roles that record on others' behalf, a reason when late),
// history that says when it was keyed in and for when, review dates and "what is due" from
// the effective date, paper acknowledgements with the day signed; and the date sanity rules
// (past-only fields, a sane year range, done_on only when done).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BY_ROLE, createPerson, expectError, expectStatus, grantAuthority, linkUser, setup, uniq, USERS,
} from './lib.mjs';

const D = '/api/v1/documents';
const V = '/api/v1/document-versions';
const EXTRA_USERS = { mia: { role: 'isms_manager', name: 'Mia Manager' } };

let ctx;
const as = {};
let mona; let mia; let tom; let sam; let adam; let rita;
let pSam; let pMona; let pRita;

const day = (offset) => new Date(Date.now() + offset * 86400e3).toISOString().slice(0, 10);
function addMonths(date, months) {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12); const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
const act = (client, plural, id, name, body = {}) => client.post(`/api/v1/${plural}/${id}/actions/${name}`, body);
async function ok(res) {
  assert.ok(res.status >= 200 && res.status < 300, res.describe());
  return res.json;
}
const get = async (path) => { const r = await mona.get(path); expectStatus(r, 200); return r.json; };

// A document with one version written by mona and submitted for review.
async function submitted(doc = {}) {
  const d = await ok(await mona.post(D, { identifier: uniq('PRO'), title: uniq('Procedure'),
    kind: 'procedure', ...doc }));
  const v = await ok(await mona.post(V, { document: d.id, body: '# Text' }));
  await ok(await act(mona, 'document-versions', v.id, 'submit'));
  return { d, v };
}

before(async () => {
  ctx = await setup({ users: { ...USERS, ...EXTRA_USERS } });
  for (const [username, u] of Object.entries(USERS)) as[u.role] = await ctx.login(username);
  ({ isms_manager: mona, top_management: tom, staff: sam, admin: adam, risk_owner: rita } = as);
  pSam = await createPerson(mona, { name: 'Sam Staff (person)' });
  pMona = await createPerson(mona, { name: 'Mona Manager (person)' });
  pRita = await createPerson(mona, { name: 'Rita Risk (person)' });
  await linkUser(adam, BY_ROLE.staff, pSam.id);
  await linkUser(adam, BY_ROLE.isms_manager, pMona.id);
  await linkUser(adam, BY_ROLE.risk_owner, pRita.id);
  mona = await ctx.login('mona', { fresh: true });
  sam = await ctx.login('sam', { fresh: true });
  rita = await ctx.login('rita', { fresh: true });
  mia = await ctx.login('mia');
  // Authority comes from the organization's roles held on the decision's day: tom is top
  // management, mia holds a role that approves documents (both since long ago).
  await grantAuthority(adam, 'tom', { top_management: true });
  await grantAuthority(adam, 'mia', { approves_documents: true });
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('effective_on on decisions', () => {
  test('meta marks decisions and names the roles that may backdate', async () => {
    const meta = await get('/api/v1/meta');
    const vt = meta.types.find((t) => t.plural === 'document-versions');
    const by = Object.fromEntries(vt.actions.map((a) => [a.name, a.effective]));
    assert.deepEqual(by, { submit: false, approve: true, publish: true, withdraw: false, acknowledge: true });
    assert.deepEqual(meta.backdate_roles, ['admin', 'isms_manager']);
    assert.equal(meta.late_days, 7);
  });

  test('a future date, a bad date, a reason alone, or effective_on on a non-decision: 400, nothing changes', async () => {
    const { v } = await submitted();
    expectError(await act(mia, 'document-versions', v.id, 'approve', { effective_on: day(1) }), 400, 'invalid', 'effective_on');
    expectError(await act(mia, 'document-versions', v.id, 'approve', { effective_on: '2026-02-30' }), 400, 'invalid', 'effective_on');
    expectError(await act(mia, 'document-versions', v.id, 'approve', { effective_on: '1850-01-01', reason: 'old' }), 400, 'invalid', 'effective_on');
    expectError(await act(mia, 'document-versions', v.id, 'approve', { effective_on: 20250101 }), 400, 'invalid', 'effective_on');
    expectError(await act(mia, 'document-versions', v.id, 'approve', { reason: 'late' }), 400, 'invalid', 'reason');
    const fresh = await ok(await mona.post(D, { identifier: uniq('PRO'), title: 'x', kind: 'procedure' }));
    const draft = await ok(await mona.post(V, { document: fresh.id, body: 'x' }));
    expectError(await act(mona, 'document-versions', draft.id, 'submit', { effective_on: day(-1) }), 400, 'invalid', 'effective_on');
    const still = await get(`${V}/${v.id}`);
    assert.equal(still.status, 'in_review');
    assert.equal(still.approved_on, null);
  });

  test('more than 7 days back needs a reason (400 naming reason); up to 7 days does not', async () => {
    const { v } = await submitted();
    expectError(await act(mia, 'document-versions', v.id, 'approve', { effective_on: day(-30) }), 400, 'invalid', 'reason');
    expectError(await act(mia, 'document-versions', v.id, 'approve', { effective_on: day(-30), reason: '' }), 400, 'invalid', 'reason');
    const approved = await ok(await act(mia, 'document-versions', v.id, 'approve', { effective_on: day(-7) }));
    assert.equal(approved.approved_on, day(-7));
  });

  test('only roles that record on others\' behalf may backdate (403 naming effective_on); today is fine for anyone', async () => {
    const { v } = await submitted();
    expectError(await act(tom, 'document-versions', v.id, 'approve', { effective_on: day(-2) }), 403, 'forbidden', 'effective_on');
    const approved = await ok(await act(tom, 'document-versions', v.id, 'approve', { effective_on: day(0) }));
    assert.equal(approved.approved_on, day(0));
  });

  test('a backdated approval stamps its day, shows in history as recorded today for that day, and drives the review date and what is due', async () => {
    const { d, v } = await submitted({ review_months: 12 });
    const on = addMonths(day(0), -14);
    const reason = 'Approved at the board meeting; moved in from the old spreadsheet';
    const approved = await ok(await act(mia, 'document-versions', v.id, 'approve', { effective_on: on, reason }));
    assert.equal(approved.approved_on, on);
    assert.equal(approved.approver, 'mia');
    await ok(await act(mona, 'document-versions', v.id, 'publish', { effective_on: on, reason }));
    const doc = await get(`${D}/${d.id}`);
    assert.equal(doc.status, 'published');
    assert.equal(doc.next_review, addMonths(on, 12), 'the review falls due a year after the effective approval');
    assert.ok(doc.next_review < day(0), 'so the document is overdue, not current');
    const due = await get('/api/v1/due?days=0');
    const item = due.items.find((i) => i.type === 'documents' && i.id === d.id);
    assert.ok(item, 'the overdue review is due');
    assert.equal(item.overdue, true);
    const h = await get(`${V}/${v.id}/history`);
    const ap = h.items.find((i) => i.op === 'approve');
    assert.equal(ap.effective_on, on);
    assert.equal(ap.reason, reason);
    assert.equal(ap.at.slice(0, 10), day(0), 'the change log keeps the day it was keyed in');
    assert.equal(h.items.find((i) => i.op === 'create').effective_on, null);
    // The document's own change, made by the same decision, carries the date too.
    const dh = await get(`${D}/${d.id}/history`);
    assert.ok(dh.items.some((i) => i.op === 'follow_version' && i.effective_on === on));
    // The chain still verifies.
    const verify = await ctx.cli(['verify']);
    assert.equal(verify.code, 0, verify.stderr);
  });

  test('risks: analyse backdated sets last_assessed and the next review from it; accept carries its day', async () => {
    const methods = await get('/api/v1/risk-methods');
    const m = methods.items[0];
    if (m.status !== 'approved') await ok(await act(tom, 'risk-methods', m.id, 'approve'));
    const r = await ok(await mona.post('/api/v1/risks', { title: uniq('Risk'), owner: pRita.id, likelihood: 1, consequence: 1, treatment: 'retain' }));
    const on = day(-40);
    expectError(await act(mona, 'risks', r.id, 'analyse', { effective_on: on }), 400, 'invalid', 'reason');
    const analysed = await ok(await act(mona, 'risks', r.id, 'analyse', { effective_on: on, reason: 'Workshop in October' }));
    assert.equal(analysed.last_assessed, on);
    assert.equal(analysed.next_review, addMonths(on, m.reassessment_months || 12));
    await ok(await act(mona, 'risks', r.id, 'evaluate'));
    // The owner's own account records its decision today; backdating is for the recorders.
    expectError(await act(rita, 'risks', r.id, 'accept', { justification: 'Low', effective_on: day(-3) }), 403, 'forbidden', 'effective_on');
    const accepted = await ok(await act(rita, 'risks', r.id, 'accept', { justification: 'Low' }));
    assert.equal(accepted.accepted_on, day(0));
  });
});

describe('acknowledgements carry the day they were made', () => {
  let v; let d;
  before(async () => {
    ({ d, v } = await submitted());
    await ok(await act(mia, 'document-versions', v.id, 'approve'));
    await ok(await act(mona, 'document-versions', v.id, 'publish'));
  });

  test('in isms: the day of the action; staff may not backdate their own', async () => {
    expectError(await act(sam, 'document-versions', v.id, 'acknowledge', { effective_on: day(-1) }), 403, 'forbidden', 'effective_on');
    await ok(await act(sam, 'document-versions', v.id, 'acknowledge'));
    const acks = await get(`/api/v1/acknowledgements?person=${pSam.id}`);
    assert.equal(acks.items[0].acknowledged_on, day(0));
    // An ISMS manager acknowledging their own copy a few days late.
    await ok(await act(mona, 'document-versions', v.id, 'acknowledge', { effective_on: day(-3) }));
    const mine = await get(`/api/v1/acknowledgements?person=${pMona.id}`);
    assert.equal(mine.items[0].acknowledged_on, day(-3));
  });

  test('on paper: the day signed; not in the future; long ago only with a note', async () => {
    const p = await createPerson(mona, { name: uniq('Paper Signer') });
    const base = { document_version: v.id, person: p.id, method: 'on_paper' };
    expectError(await mona.post('/api/v1/acknowledgements', { ...base, acknowledged_on: day(2) }), 400, 'invalid', 'acknowledged_on');
    expectError(await mona.post('/api/v1/acknowledgements', { ...base, acknowledged_on: day(-200) }), 400, 'invalid', 'note');
    const a = await ok(await mona.post('/api/v1/acknowledgements', { ...base, acknowledged_on: day(-200), note: 'Signed form in the HR file' }));
    assert.equal(a.acknowledged_on, day(-200));
    assert.equal(a.acknowledged_at.slice(0, 10), day(0));
    const progress = await get(`/api/v1/reports/acknowledgements?document=${d.id}`);
    const line = progress.acknowledgements.find((x) => x.person === p.id);
    assert.equal(line.on, day(-200));
  });
});

describe('date sanity', () => {
  test('fields that record the past refuse the future; every date stays within 1900–2200', async () => {
    const r = await ok(await mona.post('/api/v1/risks', { title: uniq('Risk'), owner: pRita.id }));
    expectError(await mona.patch(`/api/v1/risks/${r.id}`, { last_assessed: day(1) }), 400, 'invalid', 'last_assessed');
    expectError(await mona.post('/api/v1/leadership-evidence', { occurred_on: day(5), kind: 'decision', summary: 'x', description: 'x' }), 400, 'invalid', 'occurred_on');
    expectError(await mona.post('/api/v1/treatment-actions', { risk: r.id, action: 'x', due_date: '2201-01-01' }), 400, 'invalid', 'due_date');
    expectError(await mona.post('/api/v1/treatment-actions', { risk: r.id, action: 'x', due_date: '1899-12-31' }), 400, 'invalid', 'due_date');
    expectStatus(await mona.post('/api/v1/treatment-actions', { risk: r.id, action: 'x', due_date: '2200-12-31' }), 201);
  });

  test('done_on only when done, and never in the future', async () => {
    const r = await ok(await mona.post('/api/v1/risks', { title: uniq('Risk'), owner: pRita.id }));
    const T = '/api/v1/treatment-actions';
    expectError(await mona.post(T, { risk: r.id, action: 'x', status: 'planned', done_on: day(-1) }), 400, 'invalid', 'done_on');
    expectError(await mona.post(T, { risk: r.id, action: 'x', status: 'done', done_on: day(1) }), 400, 'invalid', 'done_on');
    const t = await ok(await mona.post(T, { risk: r.id, action: 'x', status: 'done', done_on: day(-1) }));
    expectError(await mona.patch(`${T}/${t.id}`, { status: 'in_progress' }), 400, 'invalid', 'done_on');
    const back = await ok(await mona.patch(`${T}/${t.id}`, { status: 'in_progress', done_on: null }));
    assert.equal(back.done_on, null);
  });
});

describe('rules', () => {
  test('requirements: addressed is yes, no or undecided (null stays null); a decision needs how or why not', async () => {
    const party = await ok(await mona.post('/api/v1/interested-parties', { name: uniq('Party'), origin: 'external', kind: 'customer' }));
    const R = '/api/v1/requirements';
    const base = { description: uniq('Requirement'), party: party.id, source: 'contractual' };
    const open = await ok(await mona.post(R, base));
    assert.equal(open.addressed, null, 'undecided stays null');
    assert.equal((await get(`${R}/${open.id}`)).addressed, null);
    expectError(await mona.patch(`${R}/${open.id}`, { addressed: false }), 400, 'invalid', 'how_addressed');
    expectError(await mona.patch(`${R}/${open.id}`, { addressed: true }), 400, 'invalid', 'how_addressed');
    const no = await ok(await mona.patch(`${R}/${open.id}`, { addressed: false, how_addressed: 'Out of scope: no EU customers' }));
    assert.equal(no.addressed, false);
    const undecided = await ok(await mona.patch(`${R}/${open.id}`, { addressed: null }));
    assert.equal(undecided.addressed, null);
    const list = await get(`${R}?addressed=false&party=${party.id}`);
    assert.equal(list.total, 0, 'an undecided requirement is not "not addressed"');
    const meta = await get('/api/v1/meta');
    const f = meta.types.find((t) => t.plural === 'requirements').fields.find((x) => x.name === 'addressed');
    assert.equal(f.nullable, true);
  });

  test('applied controls: owner required; implemented needs a date; effective needs evidence', async () => {
    const C = '/api/v1/controls';
    const owner = pRita.id;
    expectError(await mona.post(C, { name: uniq('Control') }), 400, 'invalid', 'owner');
    expectError(await mona.post(C, { name: uniq('Control'), owner, status: 'implemented' }), 400, 'invalid', 'implemented_on');
    expectError(await mona.post(C, { name: uniq('Control'), owner, status: 'implemented', implemented_on: day(3) }), 400, 'invalid', 'implemented_on');
    expectError(await mona.post(C, { name: uniq('Control'), owner, effectiveness: 'effective' }), 400, 'invalid', 'effectiveness');
    const c = await ok(await mona.post(C, { name: uniq('Control'), owner, status: 'implemented', implemented_on: day(-90) }));
    expectError(await mona.patch(`${C}/${c.id}`, { effectiveness: 'effective' }), 400, 'invalid', 'effectiveness');
    // A dated effectiveness check is evidence…
    const dated = await ok(await mona.patch(`${C}/${c.id}`, { effectiveness: 'effective', effectiveness_reviewed_on: day(-10) }));
    assert.equal(dated.effectiveness, 'effective');
    // …and so is an uploaded file.
    const c2 = await ok(await mona.post(C, { name: uniq('Control'), owner, status: 'implemented', implemented_on: day(-90) }));
    const up = await mona.request('POST', `${C}/${c2.id}/attachments`, { body: new TextEncoder().encode('report'),
      contentType: 'application/octet-stream', headers: { 'X-Filename': 'test-report.txt' } });
    expectStatus(up, 201);
    const filed = await ok(await mona.patch(`${C}/${c2.id}`, { effectiveness: 'effective' }));
    assert.equal(filed.effectiveness, 'effective');
  });

  test('acknowledgement targets are per document and checked for every published document', async () => {
    const { d, v } = await submitted({ ack_target: 50 });
    assert.equal((await get(`${D}/${d.id}`)).ack_target, 50);
    expectError(await mona.patch(`${D}/${d.id}`, { ack_target: 0 }), 400, 'invalid', 'ack_target');
    expectError(await mona.patch(`${D}/${d.id}`, { ack_target: 101 }), 400, 'invalid', 'ack_target');
    await ok(await act(mia, 'document-versions', v.id, 'approve'));
    await ok(await act(mona, 'document-versions', v.id, 'publish'));
    const line = async () => (await get('/api/v1/reports/acknowledgements')).items.find((x) => x.document === d.id);
    let l = await line();
    assert.equal(l.target, 50);
    assert.equal(l.met, false);
    const checks = async () => Object.fromEntries((await get('/api/v1/reports/policy-checks')).checks.map((c) => [c.id, c]));
    let c = await checks();
    assert.equal(c['documents-acknowledged'].ok, false);
    assert.ok(c['documents-acknowledged'].detail.includes(d.identifier) || /more/.test(c['documents-acknowledged'].detail));
    // Half the audience is enough for this document.
    const audience = (await get(`/api/v1/reports/acknowledgements?document=${d.id}`)).pending;
    for (const p of audience.slice(0, Math.ceil(audience.length / 2)))
      await ok(await mona.post('/api/v1/acknowledgements', { document_version: v.id, person: p.person, method: 'on_paper' }));
    l = await line();
    assert.equal(l.met, true);
    c = await checks();
    assert.ok(!c['documents-acknowledged'].detail.includes(d.identifier));
  });

  test('5.3: a process with an owner needs no RACI; one without an owner needs one accountable role', async () => {
    const owned = await ok(await mona.post('/api/v1/processes', { name: uniq('Owned process'), owner: pMona.id }));
    const bare = await ok(await mona.post('/api/v1/processes', { name: uniq('Bare process') }));
    const c = Object.fromEntries((await get('/api/v1/reports/policy-checks')).checks.map((x) => [x.id, x]));
    const check = c['raci-accountable'];
    assert.match(check.rule, /owner or one accountable role/);
    assert.ok(!check.detail.includes(owned.name));
    assert.ok(check.detail.includes(bare.name) || /more/.test(check.detail));
  });

  test('document versions are approved under 7.5.2 c', async () => {
    const meta = await get('/api/v1/meta');
    assert.match(meta.types.find((t) => t.plural === 'document-versions').clause, /7\.5\.2 c/);
  });
});
