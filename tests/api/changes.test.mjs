// changes.test.mjs — 6.3 planning of changes: isms-changes records, their workflow (submit,
// return, approve with four eyes and authority, implement, review, cancel), the impact trace
// (assets → risks → controls → SoA entries, plus what the change names), the 6.3 checks and
// what is due.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createPerson, expectError, expectStatus, grantAuthority, linkUser, setup, uniq, USERS,
} from './lib.mjs';

const EXTRA = {
  boss: { role: 'top_management', name: 'Bea Boss' },   // top management by assignment
  hal: { role: 'isms_manager', name: 'Hal Head' },      // isms manager with top management: backdates
  cfo: { role: 'staff', name: 'Cleo CFO' },             // holds only the role a change names
  judge: { role: 'auditor', name: 'Jude Auditor' },     // auditor holding a top-management role
};
let ctx; let adam; let mona; let tom; let sam; let boss; let hal; let cfo; let judge;
let cfoRole; let person; let asset; let otherAsset; let risk; let namedRisk; let control; let namedControl;
let catalog; let soaEntry; let doc;
const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);

async function ok(res, status = 200) { expectStatus(res, status); return res.json; }
const act = (c, id, name, body = {}) => c.post(`/api/v1/isms-changes/${id}/actions/${name}`, body);
const checks = async (c) => (await ok(await c.get('/api/v1/reports/policy-checks'))).checks
  .filter((k) => k.clause === '6.3');

async function draft(fields = {}) {
  return ok(await mona.post('/api/v1/isms-changes', { title: uniq('Change'),
    purpose: 'Make the ISMS better.', ...fields }), 201);
}
async function submitted(fields = {}) {
  const ch = await draft(fields);
  return ok(await act(mona, ch.id, 'submit'));
}

before(async () => {
  ctx = await setup({ users: { ...USERS, ...EXTRA } });
  [adam, mona, tom, sam, boss, hal, cfo, judge] = await Promise.all(
    ['adam', 'mona', 'tom', 'sam', 'boss', 'hal', 'cfo', 'judge'].map((u) => ctx.login(u)));
  await grantAuthority(adam, 'boss', { top_management: true });
  await grantAuthority(adam, 'hal', { top_management: true });
  await grantAuthority(adam, 'judge', { top_management: true });
  cfoRole = (await grantAuthority(adam, 'cfo', {})).role;
  const p = await createPerson(adam, { name: uniq('mona') });
  await linkUser(adam, 'mona', p.id);
  person = await createPerson(mona);
  asset = await ok(await mona.post('/api/v1/assets', { name: uniq('Archive'), kind: 'information',
    classification: 'confidential', owner: person.id }), 201);
  otherAsset = await ok(await mona.post('/api/v1/assets', { name: uniq('Elsewhere'), kind: 'service',
    classification: 'internal', owner: person.id }), 201);
  catalog = (await ok(await mona.get('/api/v1/catalog-controls?limit=1'))).items[0];
  control = await ok(await mona.post('/api/v1/controls', { name: uniq('Backups'), owner: person.id,
    catalog_controls: [catalog.id] }), 201);
  namedControl = await ok(await mona.post('/api/v1/controls', { name: uniq('Retention'), owner: person.id }), 201);
  risk = await ok(await mona.post('/api/v1/risks', { title: uniq('Archive lost'), owner: person.id,
    assets: [asset.id], controls: [control.id], last_assessed: day(-30) }), 201);
  namedRisk = await ok(await mona.post('/api/v1/risks', { title: uniq('Region down'), owner: person.id,
    assets: [otherAsset.id] }), 201);
  soaEntry = (await ok(await mona.get(`/api/v1/soa?catalog_control=${catalog.id}`))).items[0];
  doc = await ok(await mona.post('/api/v1/documents', { identifier: uniq('POL'), title: 'Backup policy',
    kind: 'procedure' }), 201);
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('6.3 with no changes', () => {
  test('an organization with no changes meets the 6.3 checks', async () => {
    const items = await checks(tom);
    assert.equal(items.length, 2);
    for (const k of items) {
      assert.equal(k.ok, true, k.detail);
      assert.match(k.detail, /No changes planned/);
      assert.equal(k.link, '/t/isms-changes');
    }
  });
});

describe('recording a change', () => {
  test('purpose and title are required; 400 names the field and nothing is stored', async () => {
    const before = (await ok(await mona.get('/api/v1/isms-changes'))).total;
    expectError(await mona.post('/api/v1/isms-changes', { title: uniq('No purpose') }), 400, 'invalid', 'purpose');
    expectError(await mona.post('/api/v1/isms-changes', { purpose: 'x' }), 400, 'invalid', 'title');
    expectError(await mona.post('/api/v1/isms-changes', { title: uniq('c'), purpose: 'x', assets: [999999] }),
      400, 'invalid', 'assets');
    expectError(await mona.post('/api/v1/isms-changes', { title: uniq('c'), purpose: 'x', planned_on: '2026-13-01' }),
      400, 'invalid', 'planned_on');
    expectError(await mona.post('/api/v1/isms-changes', { title: uniq('c'), purpose: 'x', status: 'approved' }),
      400, 'invalid', 'status');
    assert.equal((await ok(await mona.get('/api/v1/isms-changes'))).total, before);
  });

  test('staff read changes but do not write them', async () => {
    expectError(await sam.post('/api/v1/isms-changes', { title: uniq('c'), purpose: 'x' }), 403, 'forbidden');
    const ch = await draft();
    assert.equal((await ok(await sam.get(`/api/v1/isms-changes/${ch.id}`))).status, 'draft');
  });

  test('a submitted change is fixed; return makes it editable again', async () => {
    const ch = await submitted();
    assert.equal(ch.status, 'submitted');
    assert.equal(ch.submitted_by, 'mona');
    expectError(await mona.patch(`/api/v1/isms-changes/${ch.id}`, { purpose: 'other' }), 409, 'conflict');
    const back = await ok(await act(mona, ch.id, 'return'));
    assert.equal(back.status, 'draft');
    assert.equal(back.submitted_by, null);
    await ok(await mona.patch(`/api/v1/isms-changes/${ch.id}`, { purpose: 'other' }));
  });
});

describe('approval: four eyes and authority', () => {
  test('the submitter may not approve (409 four eyes)', async () => {
    await grantAuthority(adam, 'mona', { top_management: true });
    const ch = await submitted();
    const r = await act(mona, ch.id, 'approve');
    expectError(r, 409, 'conflict');
    assert.match(r.json.error.message, /four eyes/);
  });

  test('someone who edited it may not approve it either (409)', async () => {
    const ch = await draft();
    await ok(await hal.patch(`/api/v1/isms-changes/${ch.id}`, { consequences: 'Some downtime.' }));
    await ok(await act(mona, ch.id, 'submit'));
    expectError(await act(hal, ch.id, 'approve'), 409, 'conflict');
  });

  test('without top management or the named role: 403 naming what is needed', async () => {
    const ch = await submitted();
    const r = await act(tom, ch.id, 'approve');
    expectError(r, 403, 'forbidden');
    assert.match(r.json.error.message, /top-management role/);
    const r2 = await act(cfo, ch.id, 'approve');
    expectError(r2, 403, 'forbidden');
    assert.equal((await ok(await mona.get(`/api/v1/isms-changes/${ch.id}`))).status, 'submitted');
  });

  test('the role the change names approves it; top management always may', async () => {
    const ch = await submitted({ approval_role: cfoRole });
    const done = await ok(await act(cfo, ch.id, 'approve'));
    assert.equal(done.status, 'approved');
    assert.equal(done.approved_by, 'cfo');
    assert.ok(done.approved_on);
    const ch2 = await submitted({ approval_role: cfoRole });
    assert.equal((await ok(await act(boss, ch2.id, 'approve'))).status, 'approved');
  });

  test('an auditor never approves (409), even holding a top-management role', async () => {
    const ch = await submitted();
    const r = await act(judge, ch.id, 'approve');
    expectError(r, 409, 'conflict');
    assert.match(r.json.error.message, /impartial/);
  });
});

describe('implementation, review and cancellation', () => {
  test('implement needs implemented_on, not in the future; review needs its text', async () => {
    const ch = await submitted();
    await ok(await act(boss, ch.id, 'approve'));
    expectError(await act(mona, ch.id, 'implement', {}), 400, 'invalid', 'implemented_on');
    expectError(await act(mona, ch.id, 'implement', { implemented_on: day(3) }), 400, 'invalid', 'implemented_on');
    expectError(await act(mona, ch.id, 'implement', { implemented_on: day(-400) }), 400, 'invalid', 'implemented_on');
    assert.equal((await ok(await mona.get(`/api/v1/isms-changes/${ch.id}`))).status, 'approved');
    const impl = await ok(await act(mona, ch.id, 'implement', { implemented_on: day(0) }));
    assert.equal(impl.status, 'implemented');
    assert.equal(impl.implemented_on, day(0));
    expectError(await act(mona, ch.id, 'review', {}), 400, 'invalid', 'review');
    const rev = await ok(await act(mona, ch.id, 'review', { review: 'Worked as planned.' }));
    assert.equal(rev.status, 'reviewed');
    assert.equal(rev.reviewed_by, 'mona');
    expectError(await act(mona, ch.id, 'cancel', { reason: 'late' }), 409, 'conflict');
  });

  test('cancel needs a reason; a cancelled change is fixed', async () => {
    const ch = await draft();
    expectError(await act(mona, ch.id, 'cancel', {}), 400, 'invalid', 'reason');
    const c = await ok(await act(mona, ch.id, 'cancel', { reason: 'Not needed after all.' }));
    assert.equal(c.status, 'cancelled');
    assert.equal(c.cancel_reason, 'Not needed after all.');
    expectError(await mona.patch(`/api/v1/isms-changes/${ch.id}`, { purpose: 'x' }), 409, 'conflict');
  });
});

describe('impact trace', () => {
  test('assets → risks → controls → SoA entries, plus what the change names', async () => {
    const ch = await submitted({ assets: [asset.id], risks: [namedRisk.id], controls: [namedControl.id],
      documents: [doc.id], planned_on: day(20) });
    let t = await ok(await mona.get(`/api/v1/reports/impact-trace?change=${ch.id}`));
    assert.equal(t.change.id, ch.id);
    assert.deepEqual(t.assets.map((a) => a.id), [asset.id]);
    assert.deepEqual(t.documents, [{ id: doc.id, title: 'Backup policy' }]);
    const r1 = t.risks.find((r) => r.id === risk.id);
    assert.deepEqual(r1.through, [asset.id]);
    assert.equal(r1.named, false);
    assert.equal(r1.reassess, false, 'not approved yet: nothing to reassess');
    const r2 = t.risks.find((r) => r.id === namedRisk.id);
    assert.equal(r2.named, true);
    assert.deepEqual(r2.through, []);
    assert.equal(t.risks.length, 2);
    const c1 = t.controls.find((c) => c.id === control.id);
    assert.deepEqual(c1.through, [risk.id]);
    assert.equal(t.controls.find((c) => c.id === namedControl.id).named, true);
    assert.deepEqual(t.soa.map((s) => s.id), [soaEntry.id]);
    assert.deepEqual(t.soa[0].through, [control.id]);

    await ok(await act(boss, ch.id, 'approve'));
    t = await ok(await mona.get(`/api/v1/reports/impact-trace?change=${ch.id}`));
    assert.equal(t.risks.find((r) => r.id === risk.id).reassess, true, 'assessed before the approval');
    assert.equal(t.risks.find((r) => r.id === namedRisk.id).reassess, true, 'never assessed');

    const cli = await ctx.cli(['--as', 'mona', 'impact-trace', String(ch.id)]);
    assert.equal(cli.code, 0, cli.out);
    assert.match(cli.stdout, /Risks \(2\)/);
    assert.match(cli.stdout, /reassess/);
    assert.match(cli.stdout, /SoA entries \(1\)/);
  });

  test('a change touching an asset with many risks traces them all (sets of ids bind on both stores)', async () => {
    const busy = await ok(await mona.post('/api/v1/assets', { name: uniq('Busy platform'), kind: 'service', classification: 'internal',
      owner: person.id }), 201);
    const made = [];
    for (let i = 0; i < 70; i++) {
      made.push((await ok(await mona.post('/api/v1/risks', { title: uniq(`Platform risk ${i}`), owner: person.id,
        assets: [busy.id], controls: [control.id] }), 201)).id);
    }
    const ch = await draft({ assets: [busy.id] });
    const t = await ok(await mona.get(`/api/v1/reports/impact-trace?change=${ch.id}`));
    assert.deepEqual(t.risks.map((r) => r.id).sort((a, b) => a - b), made);
    assert.deepEqual(t.controls.find((c) => c.id === control.id).through.length, 70);
  });

  test('400 naming change when missing or bad; 404 for an unknown change', async () => {
    expectError(await mona.get('/api/v1/reports/impact-trace'), 400, 'invalid', 'change');
    expectError(await mona.get('/api/v1/reports/impact-trace?change=abc'), 400, 'invalid', 'change');
    expectError(await mona.get('/api/v1/reports/impact-trace?change=999999'), 404, 'not_found');
  });
});

describe('6.3 checks and what is due', () => {
  test('submitted and approved changes are due on their planned date; drafts are not', async () => {
    const a = await submitted({ planned_on: day(5), responsible: person.id });
    const d = await draft({ planned_on: day(5) });
    const due = await ok(await mona.get('/api/v1/due?days=10'));
    const mine = due.items.filter((i) => i.type === 'isms-changes' || i.type === 'isms_change');
    assert.ok(mine.some((i) => i.id === a.id && i.date === day(5)), JSON.stringify(mine));
    assert.ok(!mine.some((i) => i.id === d.id));
  });

  test('an approved change past its planned date fails the check, naming it', async () => {
    const ch = await submitted({ planned_on: day(-3) });
    await ok(await act(boss, ch.id, 'approve'));
    let k = (await checks(mona)).find((x) => x.id === 'changes-implemented');
    assert.equal(k.ok, false);
    assert.match(k.detail, new RegExp(ch.title));
    await ok(await act(mona, ch.id, 'implement', { implemented_on: day(0) }));
    k = (await checks(mona)).find((x) => x.id === 'changes-implemented');
    assert.equal(k.ok, true, k.detail);
  });

  test('an implemented change without a review after 90 days fails the check', async () => {
    const ch = await submitted({ planned_on: day(-100) });
    await ok(await act(hal, ch.id, 'approve', { effective_on: day(-120), reason: 'Signed on paper.' }));
    await ok(await act(mona, ch.id, 'implement', { implemented_on: day(-100) }));
    let k = (await checks(mona)).find((x) => x.id === 'changes-reviewed');
    assert.equal(k.ok, false);
    assert.match(k.detail, new RegExp(ch.title));
    await ok(await act(mona, ch.id, 'review', { review: 'Done; no surprises.' }));
    k = (await checks(mona)).find((x) => x.id === 'changes-reviewed');
    assert.equal(k.ok, true, k.detail);
  });
});
