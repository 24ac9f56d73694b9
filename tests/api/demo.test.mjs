// demo.test.mjs — `isms init --demo` on a fresh store: the accounts it prints, the demo
// organization's records (counts and shape), `isms verify`, refusal to load twice, and
// signing in over HTTP with a printed password.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  clientFromLogin, Client, createStore, expectError, expectStatus, ismsOn, startServer,
} from './lib.mjs';

// The demo accounts: username -> role.
const ACCOUNTS = {
  'it.admin': 'admin',
  'isms.manager': 'isms_manager',
  ceo: 'top_management',
  'risk.owner': 'risk_owner',
  'control.owner': 'control_owner',
  auditor: 'auditor',
  staff: 'staff',
};
const TYPES = ['people', 'context-issues', 'climate-decisions', 'interested-parties', 'requirements',
  'scopes', 'processes', 'assets', 'documents', 'document-versions'];

let store;
let init; // the result of `init --demo`
let server;
const passwords = {}; // username -> password from stdout

before(async () => {
  store = await createStore();
  init = await ismsOn(store, ['init', '--demo']);
});
after(async () => {
  if (server) await server.stop();
  if (store) await store.cleanup();
});

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// `isms --as isms.manager list TYPE --json [args]` -> {items, total}
async function list(type, args = [], as = 'isms.manager') {
  const r = await ismsOn(store, ['list', type, '--json', '--limit', '500', ...args], { as });
  assert.equal(r.code, 0, r.describe);
  let body;
  try { body = JSON.parse(r.stdout); } catch (e) { assert.fail(`list ${type}: not JSON: ${r.describe}`); }
  assert.ok(Array.isArray(body.items), r.describe);
  assert.ok(Number.isInteger(body.total), r.describe);
  return body;
}

async function counts() {
  const out = {};
  for (const t of TYPES) out[t] = (await list(t)).total;
  out.users = (await list('users', [], 'it.admin')).total;
  return out;
}

test('init --demo exits 0 and prints a password line for each demo account', async () => {
  assert.equal(init.code, 0, init.describe);
  for (const [username, role] of Object.entries(ACCOUNTS)) {
    const re = new RegExp(`^\\s*${escapeRe(username)}\\s+(.*?)\\bpassword:\\s*(\\S+)\\s*$`, 'm');
    const m = init.stdout.match(re);
    assert.ok(m, `no "password:" line for ${username}: ${init.describe}`);
    assert.match(m[1], new RegExp(`\\b${role}\\b`), `the line for ${username} names its role ${role}`);
    passwords[username] = m[2];
  }
  assert.equal(new Set(Object.values(passwords)).size, Object.keys(ACCOUNTS).length,
    'each account has its own password');
});

test('people >= 25; context issues >= 10, internal and external; a climate decision', async () => {
  assert.ok((await list('people')).total >= 25);
  const issues = await list('context-issues');
  assert.ok(issues.total >= 10, `context issues: ${issues.total}`);
  assert.ok((await list('context-issues', ['origin=internal'])).total >= 1, 'an internal issue');
  assert.ok((await list('context-issues', ['origin=external'])).total >= 1, 'an external issue');
  const origins = new Set(issues.items.map((i) => i.origin));
  assert.deepEqual([...origins].sort(), ['external', 'internal']);
  const climate = await list('climate-decisions');
  assert.ok(climate.total >= 1);
  for (const c of climate.items) {
    assert.match(String(c.decided_on), /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(typeof c.rationale === 'string' && c.rationale.length > 0);
  }
});

test('interested parties >= 8, requirements >= 15, and every party has a requirement', async () => {
  const parties = await list('interested-parties');
  assert.ok(parties.total >= 8, `parties: ${parties.total}`);
  assert.equal(parties.items.length, parties.total);
  const reqs = await list('requirements');
  assert.ok(reqs.total >= 15, `requirements: ${reqs.total}`);
  assert.equal(reqs.items.length, reqs.total);
  const withReq = new Set(reqs.items.map((r) => r.party));
  const lacking = parties.items.filter((p) => !withReq.has(p.id)).map((p) => p.name);
  assert.deepEqual(lacking, [], 'parties without a requirement');
  // The list filter agrees for one party.
  const one = parties.items[0];
  const byParty = await list('requirements', [`party=${one.id}`]);
  assert.equal(byParty.total, reqs.items.filter((r) => r.party === one.id).length);
});

test('exactly one scope is approved, by ceo', async () => {
  const scopes = await list('scopes');
  assert.ok(scopes.total >= 1);
  const approved = scopes.items.filter((s) => s.status === 'approved');
  assert.equal(approved.length, 1, `approved scopes: ${JSON.stringify(scopes.items.map((s) => s.status))}`);
  assert.equal(approved[0].approved_by, 'ceo');
  assert.match(String(approved[0].approved_on), /^\d{4}-\d{2}-\d{2}$/);
  const filtered = await list('scopes', ['status=approved']);
  assert.equal(filtered.total, 1);
  assert.equal(filtered.items[0].id, approved[0].id);
});

test('processes >= 6; assets >= 40, each with an owner and a classification', async () => {
  assert.ok((await list('processes')).total >= 6);
  const assets = await list('assets');
  assert.ok(assets.total >= 40, `assets: ${assets.total}`);
  assert.equal(assets.items.length, assets.total);
  const people = new Set((await list('people')).items.map((p) => p.id));
  const CLASSES = ['public', 'internal', 'confidential', 'restricted'];
  for (const a of assets.items) {
    assert.ok(Number.isInteger(a.owner) && people.has(a.owner), `asset ${a.name}: owner ${a.owner}`);
    assert.ok(CLASSES.includes(a.classification), `asset ${a.name}: classification ${a.classification}`);
  }
});

// The policy framework (5.2, 7.5): documents and their versions.
const SECTIONS = ['Administrative data', 'Summary', 'Introduction', 'Scope', 'Objectives and principles',
  'Responsibilities', 'Key outcomes', 'Related policies', 'Requirements', 'References', 'Glossary'];
const TOPICS = [/access control/i, /cryptography/i, /backup/i, /supplier/i, /incident/i, /acceptable use/i,
  /classification/i, /secure development/i];

// The organization's roles the account's person held on a day.
async function authorityOf(username, day) {
  const user = (await list('users', [`username=${username}`], 'it.admin')).items[0];
  assert.ok(user && user.person, `${username} belongs to a person`);
  const roles = new Map((await list('roles')).items.map((r) => [r.id, r]));
  return (await list('role-assignments', [`person=${user.person}`])).items
    .filter((a) => a.starts_on <= day && (!a.ends_on || a.ends_on >= day))
    .map((a) => roles.get(a.role));
}

async function framework() {
  const docs = (await list('documents')).items;
  const versions = (await list('document-versions')).items;
  const byId = new Map(docs.map((d) => [d.id, d]));
  return { docs, versions, byId };
}

test('POL-001 heads the framework, published and approved by the ceo account', async () => {
  const { docs, versions } = await framework();
  const pol = docs.filter((d) => d.kind === 'information_security_policy');
  assert.equal(pol.length, 1, 'one top-level information security policy');
  const top = pol[0];
  assert.equal(top.identifier, 'POL-001');
  assert.equal(top.status, 'published');
  assert.equal(top.parent, null);
  assert.equal(top.approval_role, null, 'the top-level policy is top management\'s to approve');
  assert.equal(top.audience, 'all_staff');
  assert.match(String(top.next_review), /^\d{4}-\d{2}-\d{2}$/);
  const current = versions.find((v) => v.id === top.current_version);
  assert.ok(current, 'POL-001 has a current version');
  assert.equal(current.status, 'published');
  assert.equal(current.approver, 'ceo');
  assert.notEqual(current.author, 'ceo');
  for (const section of SECTIONS)
    assert.match(current.body, new RegExp(`^# ${section}$`, 'm'), `POL-001 has the section ${section}`);
});

test('>= 8 topic-specific policies under POL-001 are published, covering the usual topics', async () => {
  const { docs, versions } = await framework();
  const top = docs.find((d) => d.identifier === 'POL-001');
  const topics = docs.filter((d) => d.kind === 'topic_specific_policy');
  for (const t of topics) assert.equal(t.parent, top.id, `${t.identifier} sits under POL-001`);
  const published = topics.filter((t) => t.status === 'published');
  assert.ok(published.length >= 8, `published topic-specific policies: ${published.length}`);
  for (const re of TOPICS)
    assert.ok(published.some((t) => re.test(t.title)), `a published policy on ${re.source}`);
  for (const t of published) {
    const v = versions.find((x) => x.id === t.current_version);
    assert.equal(v?.status, 'published', `${t.identifier}: current version is published`);
    assert.ok(v.body.split(/\s+/).length >= 300, `${t.identifier}: a real text`);
    assert.match(v.body, /^# Requirements$/m, `${t.identifier}: has requirements`);
    assert.ok(v.change_summary, `${t.identifier}: has a change summary`);
  }
  // The filter agrees with the items.
  assert.equal((await list('documents', ['kind=topic_specific_policy'])).total, topics.length);
});

test('every published version is hashed and approved by someone other than its author', async () => {
  const { versions, byId } = await framework();
  const published = versions.filter((v) => v.status === 'published');
  assert.equal((await list('document-versions', ['status=published'])).total, published.length);
  assert.ok(published.length >= 10, `published versions: ${published.length}`);
  for (const v of versions) {
    if (!['approved', 'published', 'withdrawn'].includes(v.status)) {
      assert.ok(!v.approver, `${v.title}: not approved yet`);
      continue;
    }
    assert.match(String(v.content_hash), /^[0-9a-f]{64}$/, `${v.title}: content hash`);
    assert.equal(v.content_hash, createHash('sha256').update(v.body, 'utf8').digest('hex'),
      `${v.title}: the hash is of the approved text`);
    assert.match(String(v.approved_on), /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(v.approver && v.author, `${v.title}: author and approver`);
    assert.notEqual(v.approver, v.author, `${v.title}: approved by its author`);
    const doc = byId.get(v.document);
    const held = await authorityOf(v.approver, v.approved_on);
    const top = held.some((r) => r.top_management);
    if (doc.kind === 'information_security_policy') assert.ok(top, `${v.title}: approved by top management`);
    else assert.ok(top || held.some((r) => r.approves_documents || r.id === doc.approval_role),
      `${v.title}: ${v.approver} held a role that approves documents on ${v.approved_on}`);
  }
  // Each published document has exactly one published version.
  const perDoc = new Map();
  for (const v of published) perDoc.set(v.document, (perDoc.get(v.document) || 0) + 1);
  for (const [doc, n] of perDoc) assert.equal(n, 1, `${byId.get(doc).identifier}: ${n} published`);
});

test('two documents have a version 2 published over a withdrawn version 1', async () => {
  const { versions, byId } = await framework();
  const replaced = versions.filter((v) => v.status === 'withdrawn').filter((old) => versions.some(
    (v) => v.document === old.document && v.status === 'published' && v.number > old.number));
  assert.ok(replaced.length >= 2, `withdrawn and replaced: ${replaced.map((v) => v.title)}`);
  for (const old of replaced) {
    const cur = versions.find((v) => v.id === byId.get(old.document).current_version);
    assert.notEqual(cur.body, old.body, `${cur.title} changes the text of ${old.title}`);
  }
});

test('one version waits for approval and one is a draft', async () => {
  const { versions, byId } = await framework();
  const review = await list('document-versions', ['status=in_review']);
  assert.ok(review.total >= 1, 'a version in review');
  const waiting = review.items[0];
  // The document's published version stays in force while the new one is reviewed.
  const doc = byId.get(waiting.document);
  assert.ok(['published', 'in_review'].includes(doc.status), `${doc.identifier}: ${doc.status}`);
  // Someone with the authority sees the approve action; the author does not get to approve.
  const approverAccount = waiting.author === 'ceo' ? 'isms.manager' : 'ceo';
  assert.notEqual(approverAccount, waiting.author);
  const shown = await ismsOn(store, ['show', 'document-versions', String(waiting.id)], { as: approverAccount });
  assert.equal(shown.code, 0, shown.describe);
  assert.ok(JSON.parse(shown.stdout).actions.includes('approve'), shown.describe);
  assert.ok(versions.some((v) => v.status === 'draft'), 'a draft version');
});

test('isms verify exits 0', async () => {
  const r = await ismsOn(store, ['verify']);
  assert.equal(r.code, 0, r.describe);
});

test('init --demo a second time fails (exit 1) and changes no counts', async () => {
  const before = await counts();
  const r = await ismsOn(store, ['init', '--demo']);
  assert.equal(r.code, 1, r.describe);
  assert.doesNotMatch(r.stdout, /password:/, 'no new demo accounts printed');
  assert.deepEqual(await counts(), before);
  const v = await ismsOn(store, ['verify']);
  assert.equal(v.code, 0, v.describe);
});

test('a demo password from stdout signs in over HTTP', async () => {
  assert.ok(passwords.ceo && passwords.staff, 'passwords were read from stdout');
  server = await startServer(store);
  const anon = new Client(server.base);
  const res = await anon.post('/api/v1/session', { username: 'ceo', password: passwords.ceo });
  expectStatus(res, 200);
  assert.equal(res.json.user.username, 'ceo');
  assert.equal(res.json.user.role, 'top_management');
  const ceo = clientFromLogin(server.base, res);
  const scopes = await ceo.get('/api/v1/scopes?status=approved');
  expectStatus(scopes, 200);
  assert.equal(scopes.json.total, 1);
  // A wrong password is refused; another account's password works for that account.
  expectError(await anon.post('/api/v1/session', { username: 'ceo', password: passwords.staff }),
    401, 'unauthenticated');
  const staff = await anon.post('/api/v1/session', { username: 'staff', password: passwords.staff });
  expectStatus(staff, 200);
  assert.equal(staff.json.user.role, 'staff');
});

// Leadership and roles (5.1, 5.3) and acknowledgements (7.3), over HTTP.
const sessions = {}; // username -> signed-in Client
async function signIn(username) {
  assert.ok(server && passwords[username], `server started and a password for ${username}`);
  if (!sessions[username]) {
    const res = await new Client(server.base).post('/api/v1/session',
      { username, password: passwords[username] });
    expectStatus(res, 200);
    sessions[username] = clientFromLogin(server.base, res);
  }
  return sessions[username];
}

async function all(client, path) {
  const r = await client.get(`${path}?limit=500`);
  expectStatus(r, 200);
  assert.equal(r.json.items.length, r.json.total, `${path}: every item on one page`);
  return r.json.items;
}

test('>= 8 roles with both 5.3 duties assigned and top management held today', async () => {
  const manager = await signIn('isms.manager');
  const roles = await all(manager, '/api/v1/roles');
  assert.ok(roles.length >= 8, `roles: ${roles.length}`);
  assert.ok(roles.some((r) => r.ensures_conformity), 'a role ensures the ISMS conforms');
  assert.ok(roles.some((r) => r.reports_performance), 'a role reports ISMS performance');
  assert.ok(roles.some((r) => r.top_management && r.holders.length > 0), 'a held top-management role');
  for (const r of roles) assert.ok(r.responsibilities, `${r.name}: responsibilities`);
  const assignments = await all(manager, '/api/v1/role-assignments');
  assert.ok(assignments.length >= 12, `role assignments: ${assignments.length}`);
  assert.ok(assignments.some((a) => a.ends_on && !a.current), 'an assignment that has ended');
});

test('the RACI gives every process exactly one accountable role', async () => {
  const manager = await signIn('isms.manager');
  const r = await manager.get('/api/v1/reports/raci');
  expectStatus(r, 200);
  const processes = r.json.rows.filter((row) => row.kind === 'process');
  assert.equal(processes.length, (await all(manager, '/api/v1/processes')).length);
  for (const row of processes) assert.equal(row.accountable, 1, `${row.title}: accountable roles`);
  const controls = r.json.rows.filter((row) => row.kind === 'control' && row.accountable === 1);
  assert.ok(controls.length >= 8, `controls with an accountable role: ${controls.length}`);
  for (const row of controls) {
    assert.ok(Object.values(row.cells).some((c) => c.value === 'responsible'),
      `${row.title}: a responsible role`);
  }
});

test('>= 5 leadership evidence items, each by a holder of a top-management role', async () => {
  const manager = await signIn('isms.manager');
  const roles = await all(manager, '/api/v1/roles');
  const top = new Set(roles.filter((r) => r.top_management).map((r) => r.id));
  const assignments = (await all(manager, '/api/v1/role-assignments')).filter((a) => top.has(a.role));
  const evidence = await all(manager, '/api/v1/leadership-evidence');
  assert.ok(evidence.length >= 5, `leadership evidence: ${evidence.length}`);
  for (const ev of evidence) {
    const held = assignments.some((a) => a.person === ev.by_person && a.starts_on <= ev.occurred_on
      && (!a.ends_on || a.ends_on >= ev.occurred_on));
    assert.ok(held, `${ev.summary}: by a top-management role holder on ${ev.occurred_on}`);
  }
  const kinds = new Set(evidence.map((ev) => ev.kind));
  for (const k of ['decision', 'resource_approval', 'communication', 'review_participation'])
    assert.ok(kinds.has(k), `evidence of kind ${k}`);
});

test('the policy framework is partly acknowledged; staff still has policies to read', async () => {
  const manager = await signIn('isms.manager');
  const r = await manager.get('/api/v1/reports/acknowledgements');
  expectStatus(r, 200);
  const pol = r.json.items.find((i) => i.identifier === 'POL-001');
  assert.ok(pol, 'POL-001 in the progress report');
  assert.ok(pol.percent > 0 && pol.percent < 100, `POL-001: ${pol.percent} %`);
  assert.ok(pol.acknowledged > 0 && pol.not_yet > 0, JSON.stringify(pol));
  const staff = await signIn('staff');
  const reading = await staff.get('/api/v1/reading');
  expectStatus(reading, 200);
  assert.ok(reading.json.pending > 0, `staff pending: ${reading.json.pending}`);
  assert.ok(reading.json.items.some((i) => i.acknowledged_at), 'staff acknowledged a policy');
});

test('evidence files: the management review minutes hang on their leadership evidence', async () => {
  const auditor = await signIn('auditor');
  const evidence = await all(auditor, '/api/v1/leadership-evidence');
  const review = evidence.find((ev) => /management review/i.test(ev.summary) && ev.attachments?.length);
  assert.ok(review, 'a management review item with a file');
  const file = await auditor.get(`/api/v1/attachments/${review.attachments[0]}`);
  expectStatus(file, 200);
  assert.equal(file.json.record_type, 'leadership-evidence');
  assert.equal(file.json.record_id, review.id);
  const r = await fetch(`${server.base}/api/v1/attachments/${file.json.id}/content`,
    { headers: { Cookie: auditor.cookie } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-disposition'), /^attachment;/);
  const bytes = Buffer.from(await r.arrayBuffer());
  assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), file.json.sha256);
  assert.match(bytes.toString('utf8'), /^# Management review/);
});

test('the server exits 0 on SIGTERM', async () => {
  assert.ok(server, 'the server was started');
  const r = await server.stop();
  assert.deepEqual({ code: r.code, signal: r.signal }, { code: 0, signal: null }, r.stderr.slice(-4000));
});
