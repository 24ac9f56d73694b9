// controls.test.mjs — treatment and controls (6.1.3, 8.3): the ISO/IEC 27001:2022 catalog
// loaded by init (read-only for everyone), applied controls, the Statement of Applicability
// (one entry per Annex A control, exclusions that need a justification, reasons, the
// implementation status and the risks and requirements derived from the links), SoA versions
// (numbered, hashed, frozen), treatment actions (done_on, overdue), the audit trail and
// `isms verify`.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  createPerson, decideSoa, expectError, expectRecord, expectStatus, grantAuthority, ROLES, setup,
  uniq, USERS,
} from './lib.mjs';

let ctx;
const as = {}; // role -> cookie client
let mona; // isms_manager
let tom; // top_management
let carl; // control_owner
let rita; // risk_owner
let adam; // admin
let owner; // a person owning controls, risks and actions
let requirement; // a contractual requirement

before(async () => {
  ctx = await setup();
  for (const [username, u] of Object.entries(USERS)) as[u.role] = await ctx.login(username);
  mona = as.isms_manager;
  tom = as.top_management;
  carl = as.control_owner;
  rita = as.risk_owner;
  adam = as.admin;
  owner = await createPerson(adam, { name: 'Olga Owner' });
  // Authority to approve SoA versions comes from organizational roles: tom is top
  // management, mona holds a role that approves the scope and the SoA.
  await grantAuthority(adam, 'tom', { top_management: true });
  await grantAuthority(adam, 'mona', { approves_scope_soa: true });
  const party = await create(mona, 'interested-parties',
    { name: uniq('Customer'), origin: 'external', kind: 'customer' });
  requirement = await create(mona, 'requirements', { description: uniq('Backups encrypted'),
    party: party.id, source: 'contractual', how_addressed: 'Encrypted backups' });
});
after(async () => { if (ctx) await ctx.teardown(); });

const url = (type, id, rest = '') => `/api/v1/${type}${id === undefined ? '' : `/${id}`}${rest}`;
const utcDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86400000).toISOString().slice(0, 10);

async function create(client, type, body) {
  // An applied control needs an owner (issue 10); the tests that are not about it use Olga.
  if (type === 'controls' && !('owner' in body)) body = { owner: owner.id, ...body };
  const res = await client.post(url(type), body);
  expectStatus(res, 201);
  expectRecord(res.json, `created ${type}`);
  return res.json;
}

async function read(client, type, id) {
  const res = await client.get(url(type, id));
  expectStatus(res, 200);
  expectRecord(res.json, `${type} ${id}`);
  return res.json;
}

async function patch(client, type, id, body) {
  const res = await client.patch(url(type, id), body);
  expectStatus(res, 200);
  return res.json;
}

async function list(client, type, query = '') {
  const res = await client.get(`${url(type)}${query}`);
  expectStatus(res, 200);
  assert.ok(Array.isArray(res.json?.items), `items: ${res.describe()}`);
  return res.json;
}

async function history(client, type, id) {
  const res = await client.get(url(type, id, '/history'));
  expectStatus(res, 200);
  return res.json.items;
}

// The catalog, read once: control id ("5.1") -> catalog control record.
let catalog;
async function catalogControl(controlId) {
  if (!catalog) {
    const all = await list(as.staff, 'catalog-controls', '?limit=500');
    catalog = new Map(all.items.map((c) => [c.control_id, c]));
  }
  const c = catalog.get(controlId);
  assert.ok(c, `catalog control ${controlId}`);
  return c;
}

async function soaEntry(client, controlId) {
  const cc = await catalogControl(controlId);
  const found = await list(client, 'soa', `?catalog_control=${cc.id}`);
  assert.equal(found.total, 1, `one SoA entry for ${controlId}`);
  return read(client, 'soa', found.items[0].id);
}

// Canonical JSON as the server hashes it: compact, object keys sorted.
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
const sha256 = (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

// ---------------------------------------------------------------------------------------------

describe('the ISO/IEC 27001:2022 catalog', () => {
  test('init ships the framework', async () => {
    const fw = await list(as.auditor, 'frameworks');
    assert.equal(fw.total, 1);
    assert.equal(fw.items[0].name, 'ISO/IEC 27001:2022');
    assert.equal(fw.items[0].edition, '2022');
  });

  test('93 Annex A controls: 37 organizational, 8 people, 14 physical, 34 technological', async () => {
    const all = await list(as.staff, 'catalog-controls', '?limit=500');
    assert.equal(all.total, 93);
    assert.equal(all.items.length, 93);
    const count = {};
    for (const c of all.items) count[c.theme] = (count[c.theme] || 0) + 1;
    assert.deepEqual(count, { organizational: 37, people: 8, physical: 14, technological: 34 });
    assert.equal(new Set(all.items.map((c) => c.control_id)).size, 93, 'control ids are unique');
    assert.equal(all.items.filter((c) => c.new_in_2022).length, 11);
    assert.deepEqual(all.items.slice(0, 3).map((c) => c.control_id), ['5.1', '5.2', '5.3'], 'catalog order');
    for (const c of all.items) {
      assert.match(c.control_id, /^[5-8]\.\d{1,2}$/);
      assert.equal(c.name, `${c.control_id} ${c.title}`);
      assert.equal(c.theme, { 5: 'organizational', 6: 'people', 7: 'physical', 8: 'technological' }[c.control_id[0]]);
      assert.deepEqual(Object.keys(c.attributes).sort(), ['control_types', 'cybersecurity_concepts',
        'information_security_properties', 'operational_capabilities', 'security_domains']);
      for (const tags of Object.values(c.attributes)) assert.ok(tags.length > 0 && tags.every((t) => typeof t === 'string'));
    }
    const people = await list(as.staff, 'catalog-controls', '?theme=people&limit=500');
    assert.equal(people.total, 8);
    const found = await list(as.staff, 'catalog-controls', '?q=monitoring%20activities');
    assert.deepEqual(found.items.map((c) => c.control_id), ['8.16']);
    const intel = await catalogControl('5.7');
    assert.equal(intel.title, 'Threat intelligence');
    assert.equal(intel.new_in_2022, true);
  });

  test('catalog writes are refused (403) for every role, the administrator included', async () => {
    const cc = await catalogControl('5.1');
    const fw = (await list(adam, 'frameworks')).items[0];
    for (const role of ROLES) {
      const c = as[role];
      expectError(await c.post(url('catalog-controls'), { framework: fw.id, control_id: '9.1',
        title: 'Made up', name: '9.1 Made up' }), 403, 'forbidden');
      expectError(await c.patch(url('catalog-controls', cc.id), { title: 'Renamed' }), 403, 'forbidden');
      expectError(await c.del(url('catalog-controls', cc.id)), 403, 'forbidden');
      expectError(await c.post(url('frameworks'), { name: uniq('NIST') }), 403, 'forbidden');
      expectError(await c.patch(url('frameworks', fw.id), { edition: '2013' }), 403, 'forbidden');
      expectError(await c.del(url('frameworks', fw.id)), 403, 'forbidden');
    }
    const again = await read(as.auditor, 'catalog-controls', cc.id);
    assert.equal(again.title, 'Policies for information security');
    assert.equal(again.version, 1);
    assert.equal((await list(adam, 'catalog-controls')).total, 93);
    const meta = await adam.get('/api/v1/meta');
    expectStatus(meta, 200);
    for (const name of ['framework', 'catalog_control']) {
      const t = meta.json.types.find((x) => x.name === name);
      assert.deepEqual({ read: t.can_read, write: t.can_write }, { read: true, write: false }, name);
    }
  });
});

describe('the Statement of Applicability', () => {
  test('one entry per Annex A control, applicable by default, nothing linked yet', async () => {
    const soa = await list(as.auditor, 'soa', '?limit=500');
    assert.equal(soa.total, 93);
    const all = await list(as.staff, 'catalog-controls', '?limit=500');
    assert.deepEqual(soa.items.map((e) => e.catalog_control).sort((a, b) => a - b),
      all.items.map((c) => c.id).sort((a, b) => a - b), 'one entry for each catalog control');
    for (const e of soa.items) {
      assert.equal(e.applicable, true);
      assert.deepEqual(e.inclusion_reasons, []);
      assert.equal(e.implementation_status, 'not_started');
      assert.deepEqual([e.controls, e.risks, e.requirements], [[], [], []]);
      assert.equal(e.status_override, null);
      assert.equal(e.title, all.items.find((c) => c.id === e.catalog_control).name);
      assert.equal(soa.refs['catalog-controls'][String(e.catalog_control)], e.title);
    }
    assert.equal(soa.items[0].title, '5.1 Policies for information security', 'Annex A order');
  });

  test('clients cannot create entries; catalog_control is read-only', async () => {
    const cc = await catalogControl('5.1');
    for (const c of [mona, adam]) {
      const res = await c.post(url('soa'), { applicable: true, note: 'extra' });
      expectError(res, 403, 'forbidden');
      assert.match(res.json.error.message, /created by isms/);
      expectError(await c.post(url('soa'), { catalog_control: cc.id }), 400, 'invalid', 'catalog_control');
    }
    expectError(await as.staff.post(url('soa'), {}), 403, 'forbidden');
    const e = await soaEntry(mona, '5.2');
    expectError(await mona.patch(url('soa', e.id), { catalog_control: cc.id }), 400, 'invalid', 'catalog_control');
    expectError(await mona.patch(url('soa', e.id), { implementation_status: 'implemented' }), 400, 'invalid', 'implementation_status');
    expectError(await mona.patch(url('soa', e.id), { risks: [] }), 400, 'invalid', 'risks');
    assert.equal((await list(mona, 'soa')).total, 93);
  });

  test('not applicable without exclusion_justification: 400 on that field', async () => {
    const e = await soaEntry(mona, '7.5');
    expectError(await mona.patch(url('soa', e.id), { applicable: false }), 400, 'invalid', 'exclusion_justification');
    expectError(await mona.patch(url('soa', e.id), { applicable: false, exclusion_justification: '  ' }),
      400, 'invalid', 'exclusion_justification');
    expectError(await mona.patch(url('soa', e.id), { applicable: false, exclusion_justification: '' }),
      400, 'invalid', 'exclusion_justification');
    const ok = await patch(mona, 'soa', e.id,
      { applicable: false, exclusion_justification: 'We have no premises of our own.' });
    assert.equal(ok.applicable, false);
    assert.equal(ok.version, 2);
    // Dropping the justification of an excluded control is refused as well.
    expectError(await mona.patch(url('soa', e.id), { exclusion_justification: null }), 400, 'invalid', 'exclusion_justification');
    // Only admin and isms_manager change the SoA.
    for (const role of ['staff', 'auditor', 'control_owner', 'risk_owner', 'top_management'])
      expectError(await as[role].patch(url('soa', e.id), { note: 'mine' }), 403, 'forbidden');
    const back = await read(as.auditor, 'soa', e.id);
    assert.equal(back.exclusion_justification, 'We have no premises of our own.');
    assert.equal(back.version, 2);
    assert.equal((await list(as.auditor, 'soa', '?applicable=false')).items.some((x) => x.id === e.id), true);
  });

  test('inclusion reasons: only the five known ones, stored in one order without duplicates', async () => {
    const e = await soaEntry(mona, '5.2');
    for (const bad of [['because'], 'legal', [1], { legal: true }, ['legal', null]])
      expectError(await mona.patch(url('soa', e.id), { inclusion_reasons: bad }), 400, 'invalid', 'inclusion_reasons');
    const ok = await patch(adam, 'soa', e.id,
      { inclusion_reasons: ['good_practice', 'legal', 'risk_treatment', 'legal', 'contractual', 'business_requirement'] });
    assert.deepEqual(ok.inclusion_reasons, ['risk_treatment', 'legal', 'contractual', 'business_requirement', 'good_practice']);
    assert.deepEqual((await patch(mona, 'soa', e.id, { inclusion_reasons: ['legal'] })).inclusion_reasons, ['legal']);
  });

  test('implementation status: none → not_started; implemented + planned → partial; all implemented → implemented; the override wins', async () => {
    const cc = await catalogControl('8.13');
    let e = await soaEntry(carl, '8.13');
    assert.equal(e.implementation_status, 'not_started');
    const a = await create(carl, 'controls', { name: uniq('Nightly backups'), status: 'implemented',
      owner: owner.id, catalog_controls: [cc.id], implemented_on: '2025-01-10' });
    const b = await create(carl, 'controls', { name: uniq('Offsite copy'), catalog_controls: [cc.id] });
    assert.deepEqual([b.status, b.effectiveness], ['planned', 'not_assessed']);
    e = await read(carl, 'soa', e.id);
    assert.equal(e.implementation_status, 'partial');
    assert.deepEqual(e.controls, [a.id, b.id]);
    await patch(carl, 'controls', b.id, { status: 'implemented', implemented_on: '2025-02-01',
      effectiveness: 'effective', effectiveness_reviewed_on: '2025-06-01' });
    e = await read(carl, 'soa', e.id);
    assert.equal(e.implementation_status, 'implemented');
    await patch(mona, 'soa', e.id, { status_override: 'partial', note: 'Restore never tested' });
    e = await read(carl, 'soa', e.id);
    assert.equal(e.implementation_status, 'partial');
    await patch(mona, 'soa', e.id, { status_override: 'not_started' });
    assert.equal((await read(carl, 'soa', e.id)).implementation_status, 'not_started');
    await patch(mona, 'soa', e.id, { status_override: null });
    assert.equal((await read(carl, 'soa', e.id)).implementation_status, 'implemented');
    await patch(carl, 'controls', a.id, { status: 'not_implemented' });
    await patch(carl, 'controls', b.id, { status: 'planned' });
    assert.equal((await read(carl, 'soa', e.id)).implementation_status, 'not_started');
    await patch(carl, 'controls', b.id, { status: 'in_progress' });
    assert.equal((await read(carl, 'soa', e.id)).implementation_status, 'partial');
    // Lists show derived values too.
    const listed = await list(as.staff, 'soa', `?catalog_control=${cc.id}`);
    assert.equal(listed.items[0].implementation_status, 'partial');
    assert.deepEqual(listed.items[0].controls, [a.id, b.id]);
  });

  test('one applied control can serve many catalog controls', async () => {
    const ids = ['5.15', '5.18', '8.2', '8.5'];
    const ccs = await Promise.all(ids.map(catalogControl));
    const c = await create(carl, 'controls', { name: uniq('Single sign-on with MFA'),
      catalog_controls: ccs.map((x) => x.id).reverse().concat([ccs[0].id]), status: 'implemented',
      implemented_on: '2025-02-01' });
    assert.deepEqual(c.catalog_controls, ccs.map((x) => x.id).sort((p, q) => p - q), 'sorted, no duplicates');
    for (const id of ids) {
      const e = await soaEntry(as.auditor, id);
      assert.deepEqual(e.controls, [c.id], id);
      assert.equal(e.implementation_status, 'implemented', id);
    }
    const byCatalog = await list(as.staff, 'controls', `?catalog_controls=${ccs[2].id}`);
    assert.deepEqual(byCatalog.items.map((x) => x.id), [c.id]);
    expectError(await carl.post(url('controls'), { name: 'x', owner: owner.id, catalog_controls: [987654] }), 400, 'invalid', 'catalog_controls');
    // Unlinking takes it off the SoA.
    await patch(carl, 'controls', c.id, { catalog_controls: [ccs[0].id] });
    assert.deepEqual((await soaEntry(as.auditor, '8.5')).controls, []);
    assert.equal((await soaEntry(as.auditor, '8.5')).implementation_status, 'not_started');
    assert.deepEqual((await soaEntry(as.auditor, '5.15')).controls, [c.id]);
  });

  test('the risks and requirements behind an entry are derived from the links', async () => {
    const cc = await catalogControl('5.31');
    const ctl = await create(mona, 'controls', { name: uniq('Legal register'),
      catalog_controls: [cc.id], requirements: [requirement.id] });
    const other = await create(mona, 'controls', { name: uniq('Contract reviews'),
      catalog_controls: [cc.id], requirements: [requirement.id] });
    const r1 = await create(rita, 'risks', { title: uniq('Fine for missed obligation'), owner: owner.id,
      controls: [ctl.id] });
    const r2 = await create(rita, 'risks', { title: uniq('Lost tender'), owner: owner.id,
      controls: [ctl.id, other.id] });
    await create(rita, 'risks', { title: uniq('Unrelated'), owner: owner.id });
    const e = await soaEntry(as.auditor, '5.31');
    assert.deepEqual(e.controls, [ctl.id, other.id]);
    assert.deepEqual(e.risks, [r1.id, r2.id]);
    assert.deepEqual(e.requirements, [requirement.id]);
    assert.deepEqual((await read(as.auditor, 'controls', ctl.id)).risks, [r1.id, r2.id]);
    // Titles for the derived references come along for display.
    const res = await as.auditor.get(url('soa', e.id));
    assert.equal(res.json.refs?.risks?.[String(r1.id)], r1.title, res.describe());
    assert.equal(res.json.refs?.requirements?.[String(requirement.id)], requirement.description);
    // Deleting a risk takes it off the SoA.
    expectStatus(await mona.del(url('risks', r1.id)), 204);
    assert.deepEqual((await read(as.auditor, 'soa', e.id)).risks, [r2.id]);
    // A requirement that goes is dropped from the controls (a logged update) and the SoA.
    const gone = await create(mona, 'requirements', { description: uniq('Short-lived'),
      party: requirement.party, source: 'legal', how_addressed: 'n/a' });
    await patch(mona, 'controls', other.id, { requirements: [requirement.id, gone.id] });
    assert.deepEqual((await read(as.auditor, 'soa', e.id)).requirements, [requirement.id, gone.id]);
    expectStatus(await mona.del(url('requirements', gone.id)), 204);
    assert.deepEqual((await read(as.auditor, 'soa', e.id)).requirements, [requirement.id]);
    assert.deepEqual((await read(as.auditor, 'controls', other.id)).requirements, [requirement.id]);
  });
});

let v1; // the first SoA version
describe('SoA versions', () => {
  let v2;
  const approveVersion = (client, id, body) => client.post(url('soa-versions', id, '/actions/approve'), body ?? {});

  test('editors prepare a version once every entry is decided (409 field entries before); others get 403', async () => {
    const undecided = await mona.post(url('soa-versions'), { note: 'too early' });
    expectError(undecided, 409, 'conflict', 'entries');
    assert.match(undecided.json.error.message, /applicable but no reason for inclusion/);
    for (const role of ['staff', 'auditor', 'control_owner', 'risk_owner', 'top_management'])
      expectError(await as[role].post(url('soa-versions'), { note: 'mine' }), 403, 'forbidden');
    assert.ok(await decideSoa(mona) > 0);
    for (const role of ['staff', 'auditor', 'control_owner', 'risk_owner', 'top_management'])
      expectError(await as[role].post(url('soa-versions'), { note: 'mine' }), 403, 'forbidden');
    assert.equal((await list(mona, 'soa-versions')).total, 0);
  });

  test('clients send only a note: number, status, preparer, approver, dates, hash and snapshot are set by isms', async () => {
    for (const field of ['number', 'status', 'title', 'prepared_by', 'prepared_on', 'approved_by', 'approved_on',
      'content_hash', 'snapshot'])
      expectError(await mona.post(url('soa-versions'), { [field]: field === 'number' ? 9 : 'x' }),
        400, 'invalid', field);
  });

  test('prepared by one, approved by another with the authority: numbered 1, 2; same content, same hash', async () => {
    const day = utcDay();
    v1 = await create(mona, 'soa-versions', { note: 'First approval' });
    assert.equal(v1.status, 'prepared');
    assert.equal(v1.number, null);
    assert.equal(v1.prepared_by, 'mona');
    assert.ok([day, utcDay()].includes(v1.prepared_on), v1.prepared_on);
    assert.equal(v1.approved_by, null);
    assert.equal(v1.approved_on, null);
    assert.match(v1.content_hash, /^[0-9a-f]{64}$/);
    assert.equal(v1.snapshot.length, 93);
    assert.equal(v1.content_hash, sha256(canonical(v1.snapshot)), 'SHA-256 of the canonical snapshot');
    const first = v1.snapshot[0];
    assert.deepEqual([first.control_id, first.title, first.theme], ['5.1', 'Policies for information security', 'organizational']);
    const excluded = v1.snapshot.find((x) => x.control_id === '7.5');
    assert.equal(excluded.applicable, false);
    assert.equal(excluded.exclusion_justification, 'We have no premises of our own.');
    const legal = v1.snapshot.find((x) => x.control_id === '5.31');
    assert.equal(legal.requirements[0].title, requirement.description);
    assert.equal(legal.risks.length, 1);
    assert.ok(legal.controls.every((c) => typeof c.title === 'string' && c.title.length > 0));

    // Who may not approve: no authority (403), the auditor (409, impartial), the preparer (409).
    for (const c of [as.staff, carl, rita, adam]) expectError(await approveVersion(c, v1.id), 403, 'forbidden');
    const aud = await approveVersion(as.auditor, v1.id);
    expectError(aud, 409, 'conflict');
    assert.match(aud.json.error.message, /impartial/);
    const self = await approveVersion(mona, v1.id);
    expectError(self, 409, 'conflict');
    assert.match(self.json.error.message, /four eyes/);
    assert.equal((await read(as.auditor, 'soa-versions', v1.id)).status, 'prepared');

    // Top management approves it: it is numbered and named.
    let res = await approveVersion(tom, v1.id);
    expectStatus(res, 200);
    assert.equal(res.json.status, 'approved');
    assert.equal(res.json.number, 1);
    assert.equal(res.json.title, 'SoA version 1');
    assert.equal(res.json.approved_by, 'tom');
    assert.ok([day, utcDay()].includes(res.json.approved_on), res.json.approved_on);
    assert.equal(res.json.content_hash, v1.content_hash, 'approval does not change the content');
    expectError(await approveVersion(tom, v1.id), 409, 'conflict');

    // The administrator prepares; an ISMS manager whose person holds a role that approves the
    // scope and the SoA approves.
    v2 = await create(adam, 'soa-versions', {});
    assert.equal(v2.prepared_by, 'adam');
    res = await approveVersion(mona, v2.id);
    expectStatus(res, 200);
    assert.equal(res.json.number, 2);
    assert.equal(res.json.approved_by, 'mona');
    assert.equal(res.json.content_hash, v1.content_hash, 'nothing changed in between');
    const got = await read(as.auditor, 'soa-versions', v1.id);
    assert.deepEqual(got.snapshot, v1.snapshot);
    assert.equal(got.content_hash, v1.content_hash);
    assert.equal(got.number, 1);
  });

  test('a changed SoA gives a new hash; versions list newest first; a prepared version can be deleted', async () => {
    const e = await soaEntry(mona, '6.7');
    await patch(mona, 'soa', e.id, { inclusion_reasons: ['risk_treatment'], note: 'Remote work policy' });
    const v3 = await create(mona, 'soa-versions', { note: 'Remote work' });
    assert.equal(v3.number, null);
    assert.notEqual(v3.content_hash, v1.content_hash);
    assert.equal(v3.content_hash, sha256(canonical(v3.snapshot)));
    const ok3 = await approveVersion(tom, v3.id);
    expectStatus(ok3, 200);
    assert.equal(ok3.json.number, 3);
    const spare = await create(mona, 'soa-versions', { note: 'Not to be approved' });
    let all = await list(as.staff, 'soa-versions');
    assert.deepEqual(all.items.map((v) => v.number), [null, 3, 2, 1]);
    expectError(await as.staff.del(url('soa-versions', spare.id)), 403, 'forbidden');
    expectStatus(await mona.del(url('soa-versions', spare.id)), 204);
    all = await list(as.staff, 'soa-versions');
    assert.deepEqual(all.items.map((v) => v.number), [3, 2, 1]);
  });

  test('versions are never edited: PATCH gives 409 for every editor, prepared or approved; 403 for others', async () => {
    const prepared = await create(adam, 'soa-versions', { note: 'Pending' });
    for (const c of [mona, adam]) {
      expectError(await c.patch(url('soa-versions', v1.id), { note: 'Edited later' }), 409, 'conflict');
      expectError(await c.patch(url('soa-versions', v2.id), {}), 409, 'conflict');
      expectError(await c.patch(url('soa-versions', prepared.id), { note: 'Edited later' }), 409, 'conflict');
    }
    for (const c of [as.staff, tom])
      expectError(await c.patch(url('soa-versions', v1.id), { note: 'x' }), 403, 'forbidden');
    const got = await read(mona, 'soa-versions', v1.id);
    assert.equal(got.note, 'First approval');
    assert.equal(got.version, 2, 'created, then approved');
    assert.equal((await read(mona, 'soa-versions', prepared.id)).note, 'Pending');
    expectStatus(await adam.del(url('soa-versions', prepared.id)), 204);
  });
});

describe('treatment actions', () => {
  let risk;
  before(async () => {
    risk = await create(rita, 'risks', { title: uniq('Stolen laptop'), owner: owner.id });
  });

  test('overdue: open and past its due date (UTC); done, cancelled, due today or later are not', async () => {
    const cases = [
      [utcDay(-3), 'planned', null, true],
      [utcDay(-1), 'in_progress', null, true],
      [utcDay(+2), 'planned', null, false],
      [utcDay(+40), 'in_progress', null, false],
      [utcDay(-10), 'done', utcDay(-12), false],
      [utcDay(-10), 'cancelled', null, false],
      [null, 'planned', null, false],
    ];
    for (const [due, status, doneOn, overdue] of cases) {
      const a = await create(rita, 'treatment-actions', { risk: risk.id, action: uniq('Step'),
        owner: owner.id, due_date: due, status, done_on: doneOn });
      assert.equal(a.overdue, overdue, `${status} due ${due}`);
      assert.equal((await read(as.auditor, 'treatment-actions', a.id)).overdue, overdue);
    }
    const late = await list(as.auditor, 'treatment-actions', `?risk=${risk.id}&limit=500`);
    assert.equal(late.items.filter((a) => a.overdue).length, 2);
  });

  test('done needs done_on (400); completing an overdue action clears overdue', async () => {
    const a = await create(carl, 'treatment-actions', { risk: risk.id, action: uniq('Encrypt disks'),
      due_date: utcDay(-5) });
    assert.deepEqual([a.status, a.overdue], ['planned', true]);
    expectError(await carl.patch(url('treatment-actions', a.id), { status: 'done' }), 400, 'invalid', 'done_on');
    expectError(await carl.post(url('treatment-actions'), { risk: risk.id, action: 'x', status: 'done' }),
      400, 'invalid', 'done_on');
    const done = await patch(carl, 'treatment-actions', a.id, { status: 'done', done_on: utcDay(-1) });
    assert.equal(done.overdue, false);
    expectError(await carl.patch(url('treatment-actions', a.id), { overdue: false }), 400, 'invalid', 'overdue');
    const h = await history(as.auditor, 'treatment-actions', a.id);
    assert.deepEqual(h.map((x) => [x.op, x.actor]), [['create', 'carl'], ['update', 'carl']]);
    assert.ok(!('overdue' in h[1].state), 'derived values are not logged');
  });

  test('risk and action are required; the control is optional; roles', async () => {
    expectError(await rita.post(url('treatment-actions'), { action: 'No risk' }), 400, 'invalid', 'risk');
    expectError(await rita.post(url('treatment-actions'), { risk: risk.id }), 400, 'invalid', 'action');
    expectError(await rita.post(url('treatment-actions'), { risk: risk.id, action: 'x', status: 'finished' }),
      400, 'invalid', 'status');
    const ctl = await create(carl, 'controls', { name: uniq('Disk encryption') });
    const a = await create(mona, 'treatment-actions', { risk: risk.id, action: uniq('Roll out'), control: ctl.id });
    assert.equal(a.control, ctl.id);
    for (const role of ['staff', 'auditor', 'top_management'])
      expectError(await as[role].post(url('treatment-actions'), { risk: risk.id, action: 'x' }), 403, 'forbidden');
    // Deleting the control clears it from the action (a logged update); the risk cannot go
    // while its plan refers to it.
    expectStatus(await carl.del(url('controls', ctl.id)), 204);
    assert.equal((await read(mona, 'treatment-actions', a.id)).control, null);
    expectError(await mona.del(url('risks', risk.id)), 409, 'in_use');
  });
});

describe('the audit trail', () => {
  test('every write to the SoA and its versions is in the history', async () => {
    const e = await soaEntry(as.auditor, '7.5');
    const h = await history(as.auditor, 'soa', e.id);
    assert.deepEqual(h.map((x) => [x.op, x.actor]), [['create', '@local'], ['update', 'mona']]);
    assert.equal(h[1].state.applicable, false);
    assert.ok(!('implementation_status' in h[1].state), 'derived values are not logged');
    const reasons = await soaEntry(as.auditor, '5.2');
    assert.deepEqual((await history(as.auditor, 'soa', reasons.id)).map((x) => [x.op, x.actor]),
      [['create', '@local'], ['update', 'adam'], ['update', 'mona']]);
    const versions = await list(as.auditor, 'soa-versions');
    for (const v of versions.items) {
      const vh = await history(as.auditor, 'soa-versions', v.id);
      assert.deepEqual(vh.map((x) => [x.op, x.actor]), [['create', v.prepared_by], ['approve', v.approved_by]]);
      assert.equal(vh[0].state.content_hash, v.content_hash);
    }
    const cat = await catalogControl('8.16');
    assert.deepEqual((await history(as.auditor, 'catalog-controls', cat.id)).map((x) => [x.op, x.actor]),
      [['create', '@local']]);
  });

  test('the change log lists the seeded catalog and SoA', async () => {
    for (const [type, n] of [['frameworks', 1], ['catalog-controls', 93]]) {
      const res = await adam.get(`/api/v1/changes?type=${type}&limit=500`);
      expectStatus(res, 200);
      assert.equal(res.json.total, n, type);
    }
    const soa = await adam.get('/api/v1/changes?type=soa&limit=500');
    expectStatus(soa, 200);
    assert.equal(soa.json.items.filter((c) => c.op === 'create').length, 93);
  });
});

describe('what must stay', () => {
  test('an SoA entry cannot be deleted (409), by anyone', async () => {
    const e = await soaEntry(mona, '5.3');
    const before = e.version;
    for (const c of [mona, adam]) {
      const res = await c.del(url('soa', e.id));
      expectError(res, 409, 'conflict');
      assert.match(res.json.error.message, /not applicable/);
    }
    expectError(await as.staff.del(url('soa', e.id)), 403, 'forbidden');
    assert.equal((await list(mona, 'soa')).total, 93);
    assert.equal((await read(mona, 'soa', e.id)).version, before);
  });

  test('an approved SoA version cannot be deleted (409)', async () => {
    for (const c of [mona, adam]) {
      const res = await c.del(url('soa-versions', v1.id));
      expectError(res, 409, 'conflict');
      assert.match(res.json.error.message, /approved/);
    }
    for (const c of [as.staff, tom])
      expectError(await c.del(url('soa-versions', v1.id)), 403, 'forbidden');
    assert.deepEqual((await list(as.auditor, 'soa-versions')).items.map((v) => v.number), [3, 2, 1]);
    assert.deepEqual((await history(as.auditor, 'soa-versions', v1.id)).map((x) => x.op), ['create', 'approve']);
  });
});

test('isms verify exits 0 after all of this', async () => {
  const r = await ctx.cli(['verify']);
  assert.equal(r.code, 0, r.describe);
});

test('the server exits 0 on SIGTERM', async () => {
  await ctx.expectCleanShutdown();
});
