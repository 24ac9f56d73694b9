// demo.test.mjs — `isms init --demo` on a fresh store: the accounts it prints, the demo
// organization's records (counts and shape), `isms verify`, refusal to load twice, and
// signing in over HTTP with a printed password.
import assert from 'node:assert/strict';
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
  'scopes', 'processes', 'assets'];

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

test('the server exits 0 on SIGTERM', async () => {
  assert.ok(server, 'the server was started');
  const r = await server.stop();
  assert.deepEqual({ code: r.code, signal: r.signal }, { code: 0, signal: null }, r.stderr.slice(-4000));
});
