// records.test.mjs — CRUD, validation, references, ETag/If-Match and roles, on people and
// the test-only test-widgets type.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BY_ROLE, createPerson, createWidget, expectError, expectRecord, expectStatus, setup, uniq,
} from './lib.mjs';

let ctx;
let admin; // cookie client, role admin
let adminToken; // bearer client, role admin (a second writer for If-Match tests)
const as = {}; // role -> cookie client

before(async () => {
  ctx = await setup({ tokens: ['adam'] });
  admin = await ctx.login('adam');
  adminToken = ctx.tokenClient(ctx.tokens.adam);
  for (const [role, username] of Object.entries(BY_ROLE)) as[role] = await ctx.login(username);
});
after(async () => { if (ctx) await ctx.teardown(); });

const P = '/api/v1/people';
const W = '/api/v1/test-widgets';

describe('people CRUD', () => {
  test('POST creates (201, ETag "1"), GET reads, PATCH bumps the version, DELETE removes', async () => {
    const created = await admin.post(P, { name: 'Ann Lee', email: 'ann@example.com',
      department: 'Engineering', job_title: 'Engineer' });
    expectStatus(created, 201);
    assert.equal(created.etag, '"1"');
    const p = created.json;
    expectRecord(p, 'created person');
    assert.equal(p.version, 1);
    assert.equal(p.name, 'Ann Lee');
    assert.equal(p.email, 'ann@example.com');
    assert.equal(p.department, 'Engineering');
    assert.equal(p.job_title, 'Engineer');
    assert.equal(p.active, true, 'active defaults to true');
    assert.ok(p.manager === null || p.manager === undefined, 'no manager given');

    const got = await admin.get(`${P}/${p.id}`);
    expectStatus(got, 200);
    assert.equal(got.etag, '"1"');
    expectRecord(got.json, 'read person');
    assert.equal(got.json.id, p.id);
    assert.equal(got.json.name, 'Ann Lee');
    assert.equal(got.json.created_at, p.created_at);

    const patched = await admin.patch(`${P}/${p.id}`, { department: 'Sales' });
    expectStatus(patched, 200);
    expectRecord(patched.json, 'patched person');
    assert.equal(patched.json.version, 2);
    assert.equal(patched.json.department, 'Sales');
    assert.equal(patched.json.name, 'Ann Lee', 'PATCH keeps fields not sent');
    assert.equal(patched.json.email, 'ann@example.com');
    assert.equal(patched.json.created_at, p.created_at);
    assert.ok(Date.parse(patched.json.updated_at) >= Date.parse(p.updated_at));

    const again = await admin.get(`${P}/${p.id}`);
    assert.equal(again.etag, '"2"');
    assert.equal(again.json.version, 2);
    assert.equal(again.json.department, 'Sales');

    expectStatus(await admin.del(`${P}/${p.id}`), 204);
    expectError(await admin.get(`${P}/${p.id}`), 404, 'not_found');
    expectError(await admin.patch(`${P}/${p.id}`, { department: 'X' }), 404, 'not_found');
    expectError(await admin.del(`${P}/${p.id}`), 404, 'not_found');
  });

  test('a record that never existed is 404 not_found', async () => {
    expectError(await admin.get(`${P}/987654`), 404, 'not_found');
    expectError(await admin.patch(`${P}/987654`, { name: 'X' }), 404, 'not_found');
    expectError(await admin.del(`${P}/987654`), 404, 'not_found');
  });

  test('list items carry the record envelope', async () => {
    await createPerson(admin, { department: 'Envelope' });
    const res = await admin.get(`${P}?department=Envelope`);
    expectStatus(res, 200);
    assert.equal(res.json.items.length, 1);
    expectRecord(res.json.items[0], 'list item');
  });
});

describe('people validation', () => {
  test('missing name gives 400 invalid field name', async () => {
    expectError(await admin.post(P, { email: 'noname@example.com' }), 400, 'invalid', 'name');
  });

  test('name: 200 characters accepted, 201 rejected', async () => {
    expectStatus(await admin.post(P, { name: 'n'.repeat(200) }), 201);
    expectError(await admin.post(P, { name: 'm'.repeat(201) }), 400, 'invalid', 'name');
  });

  test('an unknown input field gives 400 naming that field', async () => {
    expectError(await admin.post(P, { name: 'Bogus Field', bogus: 1 }), 400, 'invalid', 'bogus');
    const p = await createPerson(admin);
    expectError(await admin.patch(`${P}/${p.id}`, { nickname: 'x' }), 400, 'invalid', 'nickname');
  });

  test('a malformed email gives 400 field email', async () => {
    expectError(await admin.post(P, { name: 'Bad Mail', email: 'not-an-email' }), 400, 'invalid', 'email');
    const p = await createPerson(admin);
    expectError(await admin.patch(`${P}/${p.id}`, { email: 'still not one' }), 400, 'invalid', 'email');
  });

  test('a duplicate email gives 409 conflict field email (on create and update)', async () => {
    await createPerson(admin, { email: 'dup@example.com' });
    expectError(await admin.post(P, { name: 'Dup Two', email: 'dup@example.com' }), 409, 'conflict', 'email');
    const other = await createPerson(admin, { email: 'other@example.com' });
    expectError(await admin.patch(`${P}/${other.id}`, { email: 'dup@example.com' }), 409, 'conflict', 'email');
    const still = await admin.get(`${P}/${other.id}`);
    assert.equal(still.json.email, 'other@example.com');
    assert.equal(still.json.version, 1);
  });

  test('email is optional: several people without one are fine', async () => {
    const a = await createPerson(admin);
    const b = await createPerson(admin);
    assert.notEqual(a.id, b.id);
  });

  test('active is a bool: false accepted, a string rejected', async () => {
    const p = await createPerson(admin, { active: false });
    assert.equal(p.active, false);
    expectError(await admin.post(P, { name: 'Active Str', active: 'yes' }), 400, 'invalid', 'active');
  });

  test('manager must reference an existing person', async () => {
    expectError(await admin.post(P, { name: 'Orphan', manager: 999999 }), 400, 'invalid', 'manager');
    const boss = await createPerson(admin, { name: 'Big Boss' });
    const emp = await createPerson(admin, { name: 'Employee', manager: boss.id });
    assert.equal(emp.manager, boss.id);
    expectError(await admin.patch(`${P}/${emp.id}`, { manager: 999998 }), 400, 'invalid', 'manager');
  });

  test("deleting someone's manager gives 409 in_use", async () => {
    const boss = await createPerson(admin, { name: 'Boss In Use' });
    const emp = await createPerson(admin, { name: 'Report In Use', manager: boss.id });
    expectError(await admin.del(`${P}/${boss.id}`), 409, 'in_use');
    expectStatus(await admin.get(`${P}/${boss.id}`), 200);
    // Once nobody refers to it, it can go.
    expectStatus(await admin.patch(`${P}/${emp.id}`, { manager: null }), 200);
    expectStatus(await admin.del(`${P}/${boss.id}`), 204);
  });
});

describe('If-Match / ETag', () => {
  test('PATCH with a stale If-Match gives 412; the current one or none succeeds', async () => {
    const p = await createPerson(admin, { name: 'Versioned' });
    // Someone else changes it (version 2).
    expectStatus(await adminToken.patch(`${P}/${p.id}`, { department: 'Other' }), 200);
    const stale = await admin.patch(`${P}/${p.id}`, { department: 'Mine' }, { headers: { 'If-Match': '"1"' } });
    expectError(stale, 412, 'stale_version');
    const unchanged = await admin.get(`${P}/${p.id}`);
    assert.equal(unchanged.json.version, 2);
    assert.equal(unchanged.json.department, 'Other');

    const ok = await admin.patch(`${P}/${p.id}`, { department: 'Mine' }, { headers: { 'If-Match': '"2"' } });
    expectStatus(ok, 200);
    assert.equal(ok.json.version, 3);
    assert.equal(ok.etag, '"3"');
    const none = await admin.patch(`${P}/${p.id}`, { department: 'Later' });
    expectStatus(none, 200);
    assert.equal(none.json.version, 4);
  });

  test('DELETE with a stale If-Match gives 412; with the current one it deletes', async () => {
    const p = await createPerson(admin, { name: 'Delete Versioned' });
    expectStatus(await adminToken.patch(`${P}/${p.id}`, { job_title: 'Changed' }), 200);
    expectError(await admin.del(`${P}/${p.id}`, { headers: { 'If-Match': '"1"' } }), 412, 'stale_version');
    expectStatus(await admin.get(`${P}/${p.id}`), 200);
    expectStatus(await admin.del(`${P}/${p.id}`, { headers: { 'If-Match': '"2"' } }), 204);
    expectError(await admin.get(`${P}/${p.id}`), 404, 'not_found');
  });

  test('DELETE without If-Match succeeds', async () => {
    const p = await createPerson(admin);
    expectStatus(await adminToken.patch(`${P}/${p.id}`, { job_title: 'Changed' }), 200);
    expectStatus(await admin.del(`${P}/${p.id}`), 204);
  });
});

describe('test-widgets fields', () => {
  let owner;
  let m1;
  let m2;
  before(async () => {
    owner = await createPerson(admin, { name: 'Widget Owner' });
    m1 = await createPerson(admin, { name: 'Member One' });
    m2 = await createPerson(admin, { name: 'Member Two' });
  });

  test('all field types round-trip; status defaults to draft', async () => {
    const body = '# Heading\n\nSome *markdown* with `code` and "quotes" — ünïcode.\n';
    const res = await as.risk_owner.post(W, { title: 'Full Widget', body, count: 42, flag: true,
      kind: 'beta', due: '2024-02-29', owner: owner.id, members: [m1.id, m2.id], contact: m1.id });
    expectStatus(res, 201);
    assert.equal(res.etag, '"1"');
    const w = res.json;
    expectRecord(w, 'widget');
    assert.equal(w.title, 'Full Widget');
    assert.equal(w.body, body);
    assert.equal(w.count, 42);
    assert.equal(w.flag, true);
    assert.equal(w.kind, 'beta');
    assert.equal(w.due, '2024-02-29');
    assert.equal(w.owner, owner.id);
    assert.deepEqual([...w.members].sort((a, b) => a - b), [m1.id, m2.id].sort((a, b) => a - b));
    assert.equal(w.contact, m1.id);
    assert.equal(w.status, 'draft');

    const got = await as.staff.get(`${W}/${w.id}`);
    expectStatus(got, 200);
    for (const k of ['title', 'body', 'count', 'flag', 'kind', 'due', 'owner', 'contact', 'status'])
      assert.deepEqual(got.json[k], w[k], `GET ${k}`);

    const patched = await as.isms_manager.patch(`${W}/${w.id}`, { count: -7, flag: false,
      kind: 'gamma', members: [m2.id] });
    expectStatus(patched, 200);
    assert.equal(patched.json.version, 2);
    assert.equal(patched.json.count, -7);
    assert.equal(patched.json.flag, false);
    assert.equal(patched.json.kind, 'gamma');
    assert.deepEqual(patched.json.members, [m2.id]);
    assert.equal(patched.json.title, 'Full Widget');
  });

  test('title is required, unique (409 conflict) and at most 50 characters', async () => {
    expectError(await admin.post(W, { count: 1 }), 400, 'invalid', 'title');
    await createWidget(admin, { title: 'Unique Title' });
    expectError(await admin.post(W, { title: 'Unique Title' }), 409, 'conflict', 'title');
    const other = await createWidget(admin, { title: 'Another Title' });
    expectError(await admin.patch(`${W}/${other.id}`, { title: 'Unique Title' }), 409, 'conflict', 'title');
    expectStatus(await admin.post(W, { title: 't'.repeat(50) }), 201);
    expectError(await admin.post(W, { title: 'u'.repeat(51) }), 400, 'invalid', 'title');
  });

  const badValues = [
    ['count', '5', 'a string for an integer'],
    ['count', true, 'a bool for an integer'],
    ['flag', 1, 'a number for a bool'],
    ['flag', 'true', 'a string for a bool'],
    ['due', '2026-02-30', 'an impossible date'],
    ['due', '2026-13-01', 'month 13'],
    ['due', '01/02/2026', 'not YYYY-MM-DD'],
    ['kind', 'delta', 'a value outside the enum'],
    ['owner', 999999, 'a missing person'],
    ['owner', 'abc', 'a string for a reference'],
    ['members', 'not-a-list', 'a string for references'],
    ['contact', 999999, 'a missing person'],
    ['title', 42, 'a number for text'],
  ];
  for (const [field, value, why] of badValues) {
    test(`${field} = ${JSON.stringify(value)} (${why}) gives 400 field ${field}`, async () => {
      const t = uniq('bad');
      expectError(await admin.post(W, { title: t, [field]: value }), 400, 'invalid', field);
      const list = await admin.get(`${W}?q=${encodeURIComponent(t)}`);
      assert.equal(list.json.total, 0, 'nothing stored');
    });
  }

  test('members containing a missing id gives 400 field members', async () => {
    expectError(await admin.post(W, { title: uniq('mem'), members: [m1.id, 999999] }), 400, 'invalid', 'members');
    const w = await createWidget(admin, { members: [m1.id] });
    expectError(await admin.patch(`${W}/${w.id}`, { members: [999997] }), 400, 'invalid', 'members');
    assert.deepEqual((await admin.get(`${W}/${w.id}`)).json.members, [m1.id]);
  });

  test('read-only fields: sending status or approval_note gives 400 naming it', async () => {
    expectError(await admin.post(W, { title: uniq('ro'), status: 'approved' }), 400, 'invalid', 'status');
    expectError(await admin.post(W, { title: uniq('ro'), status: 'draft' }), 400, 'invalid', 'status');
    const w = await createWidget(admin);
    expectError(await admin.patch(`${W}/${w.id}`, { status: 'approved' }), 400, 'invalid', 'status');
    expectError(await admin.patch(`${W}/${w.id}`, { approval_note: 'sneaky' }), 400, 'invalid', 'approval_note');
    const now = await admin.get(`${W}/${w.id}`);
    assert.equal(now.json.status, 'draft');
    assert.notEqual(now.json.approval_note, 'sneaky');
    assert.equal(now.json.version, 1);
  });

  test('an unknown widget field gives 400 naming it', async () => {
    expectError(await admin.post(W, { title: uniq('unk'), colour: 'red' }), 400, 'invalid', 'colour');
  });
});

describe('Markdown rendered by the server', () => {
  test('a single record carries safe HTML of its Markdown fields; lists do not', async () => {
    const body = '**bold** <script>window.x=1</script> <img src=x onerror=alert(1)> [a](javascript:alert(1))';
    const res = await as.risk_owner.post(W, { title: 'Markdown widget', body });
    expectStatus(res, 201);
    const html = res.json.html.body;
    assert.match(html, /<strong>bold<\/strong>/);
    assert.ok(!/<script|<img|onerror|javascript:/i.test(html), html);
    const got = await as.risk_owner.get(`${W}/${res.json.id}`);
    assert.equal(got.json.html.body, html);
    assert.equal(got.json.body, body, 'the Markdown itself is returned unchanged');
    const list = await as.risk_owner.get(`${W}?limit=5`);
    assert.ok(list.json.items.every((i) => i.html === undefined), 'lists carry no HTML');
    // html is not a field: sending it back is refused like any unknown field.
    expectError(await as.risk_owner.patch(`${W}/${res.json.id}`, { html: {} }), 400, 'invalid', 'html');
  });
});

describe('test-widgets references on delete', () => {
  test('deleting a person referenced as owner gives 409 in_use', async () => {
    const p = await createPerson(admin, { name: 'Owner Ref' });
    const w = await createWidget(admin, { owner: p.id });
    expectError(await admin.del(`${P}/${p.id}`), 409, 'in_use');
    expectStatus(await admin.get(`${P}/${p.id}`), 200);
    assert.equal((await admin.get(`${W}/${w.id}`)).json.owner, p.id);
  });

  test('deleting a person who is only a contact succeeds and clears contact (version+1)', async () => {
    const p = await createPerson(admin, { name: 'Contact Ref' });
    const w = await createWidget(admin, { contact: p.id });
    assert.equal(w.contact, p.id);
    assert.equal(w.version, 1);
    expectStatus(await admin.del(`${P}/${p.id}`), 204);
    const after = await admin.get(`${W}/${w.id}`);
    expectStatus(after, 200);
    assert.equal(after.json.contact, null);
    assert.equal(after.json.version, 2);
    assert.equal(after.etag, '"2"');
  });
});

describe('roles', () => {
  test('staff and auditor can read people and test-widgets but not write', async () => {
    const p = await createPerson(admin, { name: 'Read Only Target' });
    const w = await createWidget(admin);
    for (const role of ['staff', 'auditor']) {
      const c = as[role];
      expectStatus(await c.get(P), 200);
      expectStatus(await c.get(`${P}/${p.id}`), 200);
      expectStatus(await c.get(W), 200);
      expectStatus(await c.get(`${W}/${w.id}`), 200);
      expectError(await c.post(P, { name: `By ${role}` }), 403, 'forbidden');
      expectError(await c.patch(`${P}/${p.id}`, { department: role }), 403, 'forbidden');
      expectError(await c.del(`${P}/${p.id}`), 403, 'forbidden');
      expectError(await c.post(W, { title: uniq(role) }), 403, 'forbidden');
      expectError(await c.patch(`${W}/${w.id}`, { count: 1 }), 403, 'forbidden');
      expectError(await c.del(`${W}/${w.id}`), 403, 'forbidden');
    }
    assert.equal((await admin.get(`${P}/${p.id}`)).json.version, 1);
    assert.equal((await admin.get(`${W}/${w.id}`)).json.version, 1);
  });

  test('test-widgets: admin, isms_manager and risk_owner write; the others get 403', async () => {
    for (const role of ['admin', 'isms_manager', 'risk_owner']) {
      const w = await createWidget(as[role]);
      expectStatus(await as[role].patch(`${W}/${w.id}`, { count: 3 }), 200);
      expectStatus(await as[role].del(`${W}/${w.id}`), 204);
    }
    const w = await createWidget(admin);
    for (const role of ['top_management', 'control_owner', 'auditor', 'staff']) {
      expectStatus(await as[role].get(`${W}/${w.id}`), 200);
      expectError(await as[role].post(W, { title: uniq(role) }), 403, 'forbidden');
      expectError(await as[role].patch(`${W}/${w.id}`, { count: 9 }), 403, 'forbidden');
      expectError(await as[role].del(`${W}/${w.id}`), 403, 'forbidden');
    }
  });

  test('/api/v1/users is admin-only', async () => {
    const res = await admin.get('/api/v1/users');
    expectStatus(res, 200);
    for (const u of ['adam', 'mona', 'sam']) assert.ok(res.text.includes(`"${u}"`), `users list lacks ${u}`);
    assert.ok(!/argon2/i.test(res.text), 'users list must not expose password hashes');
    for (const role of ['isms_manager', 'top_management', 'risk_owner', 'control_owner', 'auditor', 'staff'])
      expectError(await as[role].get('/api/v1/users'), 403, 'forbidden');
  });
});

test('the server exits 0 on SIGTERM', async () => {
  await ctx.expectCleanShutdown();
});
