// lib.mjs — harness for the black-box API and CLI tests of isms.
//
// Each test file calls setup() once in before(): it makes a fresh store (a temp SQLite file, or
// a fresh PostgreSQL database), runs `isms init`, adds one user per role, and starts one server
// on a free port. Helpers give HTTP clients (cookie session + CSRF, or bearer token), a CLI
// runner bound to the store, and direct SQL access for tamper tests.
//
// Environment:
//   ISMS_BIN     the binary (default build/asan/isms-test, relative to the repo root)
//   ISMS_STORE   sqlite (default) | postgres
//   ISMS_PG_URL  postgres server URL for ISMS_STORE=postgres, e.g.
//                postgres://postgres@127.0.0.1:54329/postgres
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.resolve(ROOT, process.env.ISMS_BIN || 'build/asan/isms-test');
export const STORE_KIND = process.env.ISMS_STORE || 'sqlite';
if (STORE_KIND !== 'sqlite' && STORE_KIND !== 'postgres')
  throw new Error(`ISMS_STORE must be sqlite or postgres, not ${STORE_KIND}`);

export const ROLES = ['admin', 'isms_manager', 'top_management', 'risk_owner', 'control_owner',
  'auditor', 'staff'];

// One test user per role: username -> { role, name, password }.
export const USERS = {
  adam: { role: 'admin', name: 'Adam Admin' },
  mona: { role: 'isms_manager', name: 'Mona Manager' },
  tom: { role: 'top_management', name: 'Tom Top' },
  rita: { role: 'risk_owner', name: 'Rita Risk' },
  carl: { role: 'control_owner', name: 'Carl Control' },
  audrey: { role: 'auditor', name: 'Audrey Auditor' },
  sam: { role: 'staff', name: 'Sam Staff' },
};
export const BY_ROLE = Object.fromEntries(Object.entries(USERS).map(([u, v]) => [v.role, u]));
export const passwordFor = (username) => `${username}-Secret-Passw0rd`;

export const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
export const LISTEN_RE = /isms: listening on http:\/\/127\.0\.0\.1:(\d+)/;
// Sanitizer reports, and the BUG lines isms prints for a JSON value it failed to build.
const SANITIZER_RE = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Undefined|Leak)Sanitizer|isms: BUG:/;

const CHILD_TIMEOUT_MS = 120_000; // a guard against hangs only; no test relies on timing

// ---------------------------------------------------------------------------------------------
// Processes

function childEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.ISMS_DB;
  delete env.ISMS_DATABASE_URL;
  return env;
}

// Runs a program to completion. Resolves {code, signal, stdout, stderr, out} (out = both).
export function run(cmd, args, { input, cwd, env, timeoutMs = CHILD_TIMEOUT_MS } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: cwd || os.tmpdir(), env: env || childEnv(),
      stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, out: stdout + stderr });
    });
    child.stdin.on('error', () => {}); // the program may exit before reading its input
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

export function describeRun(args, r) {
  return `isms ${args.join(' ')}\n  exit ${r.code}${r.signal ? ` signal ${r.signal}` : ''}` +
    `\n  stdout: ${r.stdout.slice(0, 2000)}\n  stderr: ${r.stderr.slice(0, 2000)}`;
}

// Runs the isms binary with the given arguments (no store options added).
export async function ismsRaw(args, opts = {}) {
  const r = await run(BIN, args, opts);
  if (SANITIZER_RE.test(r.stderr))
    throw new Error(`sanitizer report from ${describeRun(args, r)}`);
  r.describe = describeRun(args, r);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Stores

function randomName(prefix) {
  return `${prefix}${crypto.randomBytes(6).toString('hex')}`;
}

// A fresh, empty store. {kind, args, dir, sql(text) -> stdout, cleanup()}
export async function createStore() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isms-api-'));
  if (STORE_KIND === 'sqlite') {
    const db = path.join(dir, 'isms.db');
    return {
      kind: 'sqlite', dir, db, args: ['--db', db],
      async sql(text) {
        const r = await run('sqlite3', ['-bail', db, text], { cwd: dir });
        if (r.code !== 0) throw new Error(`sqlite3 failed: ${text}\n${r.out}`);
        return r.stdout.trim();
      },
      async cleanup() { fs.rmSync(dir, { recursive: true, force: true }); },
    };
  }
  const server = process.env.ISMS_PG_URL;
  if (!server) throw new Error('ISMS_STORE=postgres needs ISMS_PG_URL');
  const name = randomName('isms_t_');
  const psql = async (url, text) => {
    const r = await run('psql', [url, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', text],
      { cwd: dir });
    if (r.code !== 0) throw new Error(`psql failed: ${text}\n${r.out}`);
    return r.stdout.trim();
  };
  await psql(server, `CREATE DATABASE ${name}`);
  const u = new URL(server);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    kind: 'postgres', dir, name, url, args: ['--database-url', url],
    sql: (text) => psql(url, text),
    async cleanup() {
      try { await psql(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* best effort */ }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Runs `isms <store options> [--as USER] args...` in the store's directory.
export async function ismsOn(store, args, { as, input } = {}) {
  const full = [...store.args, ...(as ? ['--as', as] : []), ...args];
  return ismsRaw(full, { input, cwd: store.dir });
}

// `isms init` then one user per entry of `users` (username -> {role, name}).
export async function initStore(store, users = USERS) {
  const init = await ismsOn(store, ['init']);
  assert.equal(init.code, 0, `init failed: ${init.describe}`);
  const m = init.stdout.match(/^admin password: (\S+)\s*$/m);
  assert.ok(m, `init did not print "admin password: ...": ${init.describe}`);
  for (const [username, u] of Object.entries(users)) await addUser(store, username, u.role, u.name);
  return { adminPassword: m[1] };
}

export async function addUser(store, username, role, name, password = passwordFor(username)) {
  const r = await ismsOn(store, ['user', 'add', username, '--role', role, '--name', name,
    '--password-stdin'], { input: `${password}\n` });
  assert.equal(r.code, 0, `user add ${username} failed: ${r.describe}`);
}

export async function createToken(store, username) {
  const r = await ismsOn(store, ['token', 'create', username]);
  assert.equal(r.code, 0, `token create failed: ${r.describe}`);
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `token create must print exactly one line: ${r.describe}`);
  return lines[0].trim();
}

// ---------------------------------------------------------------------------------------------
// Server

// Starts `isms serve --listen 127.0.0.1:0 [extra...]`; resolves once the listening line
// appears.
export async function startServer(store, extra = []) {
  const args = [...store.args, 'serve', '--listen', '127.0.0.1:0', ...extra];
  const child = spawn(BIN, args, { cwd: store.dir, env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'] });
  const srv = { child, stdout: '', stderr: '', exit: null };
  child.stdout.setEncoding('utf8').on('data', (d) => { srv.stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { srv.stderr += d; });
  srv.exited = new Promise((resolve) => {
    child.on('close', (code, signal) => { srv.exit = { code, signal }; resolve(srv.exit); });
  });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(
      `server printed no listening line within 20 s\nstdout: ${srv.stdout}\nstderr: ${srv.stderr}`)), 20_000);
    const check = () => {
      const m = srv.stdout.match(LISTEN_RE);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout.on('data', check);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    srv.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}, signal ${signal}) before listening\n` +
        `stdout: ${srv.stdout}\nstderr: ${srv.stderr}`));
    });
  });
  srv.port = port;
  srv.base = `http://127.0.0.1:${port}`;
  // Stops with SIGTERM (idempotent); resolves {code, signal, stderr}.
  srv.stop = async () => {
    if (!srv.exit) {
      child.kill('SIGTERM');
      const guard = setTimeout(() => { if (!srv.exit) child.kill('SIGKILL'); }, 60_000);
      await srv.exited;
      clearTimeout(guard);
    }
    return { ...srv.exit, stderr: srv.stderr };
  };
  return srv;
}

// Runs `isms <args>` that is expected NOT to serve: resolves when it exits, or kills it and
// reports listened=true if it printed the listening line.
export async function runExpectingNoServe(store, args) {
  const full = [...store.args, ...args];
  const child = spawn(BIN, full, { cwd: store.dir, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let listened = false;
  child.stdout.setEncoding('utf8').on('data', (d) => {
    stdout += d;
    if (!listened && LISTEN_RE.test(stdout)) { listened = true; child.kill('SIGTERM'); }
  });
  child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  const { code, signal } = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, s) => resolve({ code: c, signal: s }));
  });
  clearTimeout(timer);
  const r = { code, signal, stdout, stderr, out: stdout + stderr, listened };
  r.describe = describeRun(full, r);
  return r;
}

// ---------------------------------------------------------------------------------------------
// HTTP

function wrapResponse(method, pathname, status, headers, text) {
  let json;
  if (text.length) { try { json = JSON.parse(text); } catch { json = undefined; } }
  const res = { method, path: pathname, status, headers, text, json };
  res.etag = headers.get('etag');
  res.describe = () => `${method} ${pathname} -> ${status} ${text.slice(0, 800)}`;
  return res;
}

export class Client {
  constructor(base, { cookie, csrf, token, user } = {}) {
    this.base = base;
    this.cookie = cookie;
    this.csrf = csrf;
    this.token = token;
    this.user = user;
  }

  // opts: body (object -> JSON; string -> sent as is), headers, csrf (false = omit the
  // header, string = send that value), contentType.
  async request(method, pathname, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    let body;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' || opts.body instanceof Uint8Array
        ? opts.body : JSON.stringify(opts.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['Content-Type'] = opts.contentType || 'application/json';
    }
    if (this.cookie) headers.Cookie = this.cookie;
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const changing = !['GET', 'HEAD', 'OPTIONS'].includes(method);
    if (this.cookie && changing && opts.csrf !== false) {
      const v = typeof opts.csrf === 'string' ? opts.csrf : this.csrf;
      if (v !== undefined) headers['X-CSRF-Token'] = v;
    }
    const r = await fetch(this.base + pathname, { method, headers, body, redirect: 'manual' });
    const text = await r.text();
    return wrapResponse(method, pathname, r.status, r.headers, text);
  }

  get(p, o) { return this.request('GET', p, o); }
  post(p, body, o = {}) { return this.request('POST', p, { ...o, body }); }
  patch(p, body, o = {}) { return this.request('PATCH', p, { ...o, body }); }
  put(p, body, o = {}) { return this.request('PUT', p, { ...o, body }); }
  del(p, o) { return this.request('DELETE', p, o); }
}

// A request through node:http for the body-limit tests. The body (a string, or an array of
// chunks sent with chunked transfer encoding when no Content-Length is given) is sent only after
// the server's "100 Continue": a server that refuses on the headers alone answers at once and
// the body is never sent, so no test depends on whether the client wins the race between
// writing a large body and the server closing the connection.
export function rawHttp(base, method, pathname, { headers = {}, body } = {}) {
  const u = new URL(base + pathname);
  const chunks = body === undefined ? [] : [].concat(body);
  return new Promise((resolve, reject) => {
    let done = false;
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search,
      method, headers: chunks.length ? { ...headers, Expect: '100-continue' } : headers,
      agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        done = true;
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers))
          for (const one of [].concat(v)) h.append(k, one);
        resolve(wrapResponse(method, pathname, res.statusCode, h, text));
        req.destroy();
      });
      res.on('error', (e) => { if (!done) reject(e); });
    });
    req.on('error', (e) => {
      if (!done) reject(new Error(`${method} ${pathname}: no response (${e.code || e.message})`));
    });
    if (!chunks.length) { req.end(); return; }
    req.on('continue', () => {
      for (const c of chunks) req.write(c);
      req.end();
    });
    req.flushHeaders();
  });
}

// ---------------------------------------------------------------------------------------------
// Assertions

// Every check of an HTTP response also checks the security headers, which belong on every
// response (success or error).
export function expectStatus(res, status) {
  assert.equal(res.status, status, `expected ${status}: ${res.describe()}`);
  expectSecurityHeaders(res);
}

// Any 2xx (for calls whose success status the contract leaves open, e.g. actions).
export function expectOk(res) {
  assert.ok(res.status >= 200 && res.status < 300, `expected 2xx: ${res.describe()}`);
  expectSecurityHeaders(res);
}

// Asserts the one error shape {"error":{"code","message","field"?}}.
export function expectError(res, status, code, field) {
  assert.deepEqual({ status: res.status, code: res.json?.error?.code },
    { status, code }, `expected ${status} ${code}: ${res.describe()}`);
  assert.match(res.headers.get('content-type') || '', /application\/json/i,
    `error content type: ${res.describe()}`);
  assert.equal(typeof res.json.error.message, 'string', res.describe());
  assert.ok(res.json.error.message.length > 0, `empty error message: ${res.describe()}`);
  if (field !== undefined)
    assert.equal(res.json.error.field, field, `error field: ${res.describe()}`);
  expectSecurityHeaders(res);
}

export function expectSecurityHeaders(res) {
  const h = res.headers;
  const csp = h.get('content-security-policy') || '';
  const what = `${res.method} ${res.path} (${res.status})`;
  assert.ok(csp.includes("default-src 'self'"), `${what}: CSP lacks default-src 'self': "${csp}"`);
  assert.ok(csp.includes("frame-ancestors 'none'"), `${what}: CSP lacks frame-ancestors 'none': "${csp}"`);
  assert.equal((h.get('x-content-type-options') || '').toLowerCase(), 'nosniff', `${what}: X-Content-Type-Options`);
  assert.equal((h.get('referrer-policy') || '').toLowerCase(), 'no-referrer', `${what}: Referrer-Policy`);
}

// Asserts the common record envelope.
export function expectRecord(rec, what = 'record') {
  assert.ok(rec && typeof rec === 'object', `${what}: not an object`);
  assert.ok(Number.isInteger(rec.id), `${what}: id must be an integer: ${JSON.stringify(rec)}`);
  assert.ok(Number.isInteger(rec.version), `${what}: version must be an integer: ${JSON.stringify(rec)}`);
  assert.match(String(rec.created_at), RFC3339_UTC, `${what}: created_at`);
  assert.match(String(rec.updated_at), RFC3339_UTC, `${what}: updated_at`);
  assert.ok(Array.isArray(rec.actions), `${what}: actions must be an array: ${JSON.stringify(rec)}`);
}

// ---------------------------------------------------------------------------------------------
// The per-file fixture

// serverArgs: more `isms serve` options, e.g. ['--max-upload-mib', '2'].
export async function setup({ users = USERS, tokens = [], serverArgs = [] } = {}) {
  const store = await createStore();
  const ctx = { store, tokens: {}, sessions: {} };
  try {
    ctx.init = await initStore(store, users);
    for (const u of tokens) ctx.tokens[u] = await createToken(store, u);
    ctx.server = await startServer(store, serverArgs);
  } catch (e) {
    if (ctx.server) await ctx.server.stop();
    await store.cleanup();
    throw e;
  }
  ctx.base = ctx.server.base;
  ctx.anon = new Client(ctx.base);
  ctx.cli = (args, opts) => ismsOn(store, args, opts);
  ctx.tokenClient = (token) => new Client(ctx.base, { token });
  // POST /api/v1/session; resolves the raw response.
  ctx.loginRaw = (username, password) =>
    ctx.anon.post('/api/v1/session', { username, password });
  // A cookie client for username (logged in once per file and cached unless fresh=true).
  ctx.login = async (username, { password = passwordFor(username), fresh = false } = {}) => {
    if (!fresh && ctx.sessions[username]) return ctx.sessions[username];
    const res = await ctx.loginRaw(username, password);
    expectStatus(res, 200);
    const c = clientFromLogin(ctx.base, res);
    if (!fresh) ctx.sessions[username] = c;
    return c;
  };
  ctx.teardown = async () => {
    const r = await ctx.server.stop();
    await store.cleanup();
    return r;
  };
  // Stops the server and asserts a clean exit (status 0 on SIGTERM, no sanitizer report).
  ctx.expectCleanShutdown = async () => {
    const r = await ctx.server.stop();
    assert.ok(!SANITIZER_RE.test(r.stderr), `sanitizer report in server stderr:\n${r.stderr}`);
    assert.deepEqual({ code: r.code, signal: r.signal }, { code: 0, signal: null },
      `server exit on SIGTERM; stderr:\n${r.stderr.slice(-4000)}`);
  };
  return ctx;
}

export function sessionCookie(res) {
  const list = res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie')];
  for (const sc of list) {
    if (!sc) continue;
    const m = sc.match(/^\s*isms_session=([^;]*)/);
    if (m) return { header: sc, value: m[1] };
  }
  return null;
}

export function clientFromLogin(base, res) {
  const c = sessionCookie(res);
  assert.ok(c && c.value, `login set no isms_session cookie: ${res.describe()}`);
  assert.equal(typeof res.json?.csrf_token, 'string', `login returned no csrf_token: ${res.describe()}`);
  return new Client(base, { cookie: `isms_session=${c.value}`, csrf: res.json.csrf_token,
    user: res.json.user });
}

// Small record helpers -------------------------------------------------------------------------

let seq = 0;
export const uniq = (prefix = 'x') => `${prefix}-${process.pid}-${++seq}`;

// Links a user account to a person (admin is an administrator's client).
export async function linkUser(admin, username, personId) {
  const users = await admin.get(`/api/v1/users?username=${username}`);
  expectStatus(users, 200);
  assert.equal(users.json.items.length, 1, `one user ${username}: ${users.describe()}`);
  const res = await admin.patch(`/api/v1/users/${users.json.items[0].id}`, { person: personId });
  expectStatus(res, 200);
  assert.equal(res.json.person, personId, res.describe());
}

export async function createPerson(client, fields = {}) {
  const res = await client.post('/api/v1/people', { name: uniq('Person'), ...fields });
  expectStatus(res, 201);
  return res.json;
}

export async function createWidget(client, fields = {}) {
  const res = await client.post('/api/v1/test-widgets', { title: uniq('w'), ...fields });
  expectStatus(res, 201);
  return res.json;
}

// Names an action entry whether the server lists strings or objects.
export const actionName = (a) => (typeof a === 'string' ? a : a?.name);
export const roleName = (r) => (typeof r === 'string' ? r : r?.name);

// Gives username's person (created and linked if the account has none) an organizational
// role carrying the given authority from `since` on: { top_management, approves_documents,
// approves_scope_soa, accepts_up_to }. Authority to approve or accept comes from such roles,
// not from the account's application role. Resolves { person, role, assignment } ids.
export async function grantAuthority(admin, username, flags = {}, { since = '2000-01-01', until = null } = {}) {
  const users = await admin.get(`/api/v1/users?username=${username}`);
  expectStatus(users, 200);
  const user = users.json.items[0];
  assert.ok(user, `no user ${username}`);
  let person = user.person;
  if (!person) {
    person = (await createPerson(admin, { name: user.name || username })).id;
    await linkUser(admin, username, person);
  }
  const role = await admin.post('/api/v1/roles', { name: uniq(`Authority of ${username}`),
    responsibilities: 'Decides for the organization in tests.', ...flags });
  expectStatus(role, 201);
  const a = await admin.post('/api/v1/role-assignments', { person, role: role.json.id,
    starts_on: since, ends_on: until });
  expectStatus(a, 201);
  return { person, role: role.json.id, assignment: a.json.id };
}

// Decides every SoA entry so that a version can be prepared: each applicable entry without a
// reason for inclusion gets ['good_practice'] (excluded entries keep their justification).
// Resolves the number of entries changed.
export async function decideSoa(client) {
  const res = await client.get('/api/v1/soa?limit=200');
  expectStatus(res, 200);
  let changed = 0;
  for (const e of res.json.items) {
    if (e.applicable === false) continue;
    if (Array.isArray(e.inclusion_reasons) && e.inclusion_reasons.length > 0) continue;
    expectStatus(await client.patch(`/api/v1/soa/${e.id}`, { inclusion_reasons: ['good_practice'] }), 200);
    changed++;
  }
  return changed;
}
