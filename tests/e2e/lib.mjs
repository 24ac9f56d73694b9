// lib.mjs — harness for the browser tests of the isms web app.
//
// setup() makes a fresh store (a temp SQLite file, or a fresh PostgreSQL database), runs
// `isms init`, adds an ISMS manager, a second manager, a staff user and one person through the
// CLI, starts `isms serve` on a free port, and opens Debian's Chromium through playwright-core
// (launchPersistentContext with a throwaway profile, as STACK-NOTES.md describes).
//
// Environment:
//   ISMS_BIN     the binary (default build/asan/isms, relative to the repo root)
//   ISMS_STORE   sqlite (default) | postgres
//   ISMS_PG_URL  postgres server URL for ISMS_STORE=postgres, e.g.
//                postgres://postgres@127.0.0.1:54329/postgres
//   CHROMIUM     the browser (default /usr/bin/chromium)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.resolve(ROOT, process.env.ISMS_BIN || 'build/asan/isms');
export const STORE_KIND = process.env.ISMS_STORE || 'sqlite';
export const SHOTS = path.join(ROOT, 'test-output', 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const LISTEN_RE = /isms: listening on http:\/\/127\.0\.0\.1:(\d+)/;
// Sanitizer reports, and the BUG lines isms prints for a JSON value it failed to build.
const SANITIZER_RE = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Undefined|Leak)Sanitizer|isms: BUG:/;

export const USERS = {
  mona: { role: 'isms_manager', name: 'Mona Manager', password: 'mona-Secret-Passw0rd' },
  max: { role: 'isms_manager', name: 'Max Second', password: 'max-Secret-Passw0rd' },
  sam: { role: 'staff', name: 'Sam Staff', password: 'sam-Secret-Passw0rd' },
};

function childEnv() {
  const env = { ...process.env };
  delete env.ISMS_DB;
  delete env.ISMS_DATABASE_URL;
  return env;
}

export function run(cmd, args, { input, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: cwd || os.tmpdir(), env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
    child.stdin.on('error', () => {});
    child.stdin.end(input === undefined ? undefined : input);
  });
}

async function createStore() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isms-e2e-'));
  if (STORE_KIND === 'sqlite') {
    return { dir, args: ['--db', path.join(dir, 'isms.db')], cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  if (STORE_KIND !== 'postgres') throw new Error(`ISMS_STORE must be sqlite or postgres, not ${STORE_KIND}`);
  const server = process.env.ISMS_PG_URL;
  if (!server) throw new Error('ISMS_STORE=postgres needs ISMS_PG_URL');
  const name = `isms_e2e_${crypto.randomBytes(5).toString('hex')}`;
  const psql = async (text) => {
    const r = await run('psql', [server, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', text], { cwd: dir });
    if (r.code !== 0) throw new Error(`psql failed: ${text}\n${r.stdout}${r.stderr}`);
  };
  await psql(`CREATE DATABASE ${name}`);
  const u = new URL(server);
  u.pathname = `/${name}`;
  return {
    dir, args: ['--database-url', u.toString()],
    cleanup: async () => {
      try { await psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* best effort */ }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// `isms <store> [--as USER] args…`; fails the test on a non-zero exit or a sanitizer report.
export async function cli(env, args, { as, input } = {}) {
  const full = [...env.store.args, ...(as ? ['--as', as] : []), ...args];
  const r = await run(BIN, full, { input, cwd: env.store.dir });
  const describe = `isms ${full.join(' ')}\n  exit ${r.code}\n  stdout: ${r.stdout}\n  stderr: ${r.stderr}`;
  if (SANITIZER_RE.test(r.stderr)) throw new Error(`sanitizer report from ${describe}`);
  assert.equal(r.code, 0, describe);
  return r;
}

async function startServer(store) {
  const child = spawn(BIN, [...store.args, 'serve', '--listen', '127.0.0.1:0'],
    { cwd: store.dir, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const srv = { child, stdout: '', stderr: '', exit: null };
  child.stdout.setEncoding('utf8').on('data', (d) => { srv.stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { srv.stderr += d; });
  srv.exited = new Promise((resolve) => child.on('close', (code, signal) => { srv.exit = { code, signal }; resolve(srv.exit); }));
  srv.port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within 20 s\n${srv.stdout}\n${srv.stderr}`)), 20_000);
    const check = () => {
      const m = srv.stdout.match(LISTEN_RE);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout.on('data', check);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    srv.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}, signal ${signal}) before listening\n${srv.stdout}\n${srv.stderr}`));
    });
  });
  srv.base = `http://127.0.0.1:${srv.port}`;
  srv.stop = async () => {
    if (!srv.exit) {
      child.kill('SIGTERM');
      const guard = setTimeout(() => { if (!srv.exit) child.kill('SIGKILL'); }, 30_000);
      await srv.exited;
      clearTimeout(guard);
    }
    return srv.exit;
  };
  return srv;
}

// A signed-in API client for seeding (cookie + CSRF token).
// Links a user account to a person (only an administrator may; through the CLI).
export async function linkUser(env, username, personId) {
  const r = await cli(env, ['list', 'users', `username=${username}`, '--json'], { as: 'admin' });
  assert.equal(r.code, 0, r.stderr);
  const id = JSON.parse(r.stdout).items[0].id;
  const e = await cli(env, ['edit', 'users', String(id), `person=${personId}`], { as: 'admin' });
  assert.equal(e.code, 0, e.stderr);
}

export async function apiClient(base, username) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: USERS[username].password }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, `sign-in of ${username} failed: ${JSON.stringify(body)}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const call = async (method, p, data, headers = {}) => {
    const r = await fetch(base + '/api/v1/' + p, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': body.csrf_token, ...(data !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: data === undefined ? undefined : JSON.stringify(data),
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
  };
  return {
    get: (p) => call('GET', p),
    async create(plural, data) {
      const r = await call('POST', plural, data);
      assert.equal(r.status, 201, `create ${plural}: ${JSON.stringify(r.json)}`);
      return r.json;
    },
    async patch(plural, id, version, data) {
      const r = await call('PATCH', `${plural}/${id}`, data, { 'If-Match': `"${version}"` });
      assert.equal(r.status, 200, `patch ${plural}/${id}: ${JSON.stringify(r.json)}`);
      return r.json;
    },
  };
}

// The whole environment: store, users, one person, server, browser. With approvers, the two
// managers belong to people who hold an organizational role that approves documents, the
// scope and the SoA (authority comes from such roles, not from application roles).
export async function setup({ approvers = false } = {}) {
  const env = { consoleErrors: [], pageErrors: [] };
  env.store = await createStore();
  const init = await cli(env, ['init']);
  const m = (init.stdout + init.stderr).match(/^admin password: (\S+)\s*$/m);
  assert.ok(m, `init should print the one-time admin password:\n${init.stdout}${init.stderr}`);
  env.adminPassword = m[1];
  // mona first, so that she can add the people the managers' accounts belong to.
  const addUser = (username, person) => cli(env, ['user', 'add', username, '--role', USERS[username].role,
    '--name', USERS[username].name, ...(person ? ['--person', String(person)] : []), '--password-stdin'],
  { input: `${USERS[username].password}\n` });
  await addUser('mona');
  const personOf = {};
  for (const username of approvers ? ['mona', 'max'] : []) {
    const r = await cli(env, ['add', 'people', `name=${USERS[username].name}`], { as: 'mona' });
    personOf[username] = JSON.parse(r.stdout).id;
  }
  for (const username of Object.keys(USERS))
    if (username !== 'mona') await addUser(username, personOf[username]);
  if (approvers) await grantApprovers(env, personOf);
  env.personOf = personOf;
  const pat = await cli(env, ['add', 'people', 'name=Pat Owner', 'email=pat@example.com', 'department=Operations'], { as: 'mona' });
  env.pat = JSON.parse(pat.stdout);
  return startAll(env);
}

async function grantApprovers(env, personOf) {
  const accounts = JSON.parse((await cli(env, ['list', 'users', '--json'], { as: 'admin' })).stdout).items;
  await cli(env, ['edit', 'users', String(accounts.find((u) => u.username === 'mona').id), `person=${personOf.mona}`], { as: 'admin' });
  const role = JSON.parse((await cli(env, ['add', 'roles', 'name=ISMS manager', 'responsibilities=Runs the ISMS.',
    'approves_documents=true', 'approves_scope_soa=true'], { as: 'mona' })).stdout);
  for (const username of ['mona', 'max'])
    await cli(env, ['add', 'role-assignments', `person=${personOf[username]}`, `role=${role.id}`, 'starts_on=2020-01-01'], { as: 'mona' });
}

async function startAll(env) {
  env.server = await startServer(env.store);
  env.base = env.server.base;
  env.profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-'));
  env.browser = await chromium.launchPersistentContext(env.profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  env.browser.setDefaultTimeout(15_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  return env;
}

export async function teardown(env) {
  if (!env) return;
  try { if (env.browser) await env.browser.close(); } catch { /* already gone */ }
  let exit = null;
  if (env.server) exit = await env.server.stop();
  if (env.store) await env.store.cleanup();
  if (env.profile) fs.rmSync(env.profile, { recursive: true, force: true });
  if (env.server) {
    assert.ok(!SANITIZER_RE.test(env.server.stderr), `sanitizer report from the server:\n${env.server.stderr}`);
    assert.equal(exit && exit.code, 0, `server should exit cleanly on SIGTERM: ${JSON.stringify(exit)}\n${env.server.stderr}`);
  }
}

// A fresh page (tab) that records script errors and Content-Security-Policy violations.
export async function newPage(env, { viewport } = {}) {
  const page = await env.browser.newPage();
  if (viewport) await page.setViewportSize(viewport);
  page.on('pageerror', (e) => env.pageErrors.push(String(e && e.stack || e)));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const t = m.text();
    // A 401 from GET /api/v1/session before signing in is expected; so are 4xx answers the
    // tests provoke on purpose (the browser logs every failed fetch).
    if (/Failed to load resource: the server responded with a status of (400|401|403|404|409|412)/.test(t)) return;
    env.consoleErrors.push(t);
  });
  return page;
}

export function assertCleanConsole(env) {
  assert.deepEqual(env.pageErrors, [], 'no script errors in the page');
  assert.deepEqual(env.consoleErrors, [], 'no console errors (CSP violations, failed loads)');
}

export async function signIn(page, env, username) {
  await page.goto(`${env.base}/#/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(USERS[username].password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.topbar .who-name').waitFor();
}

export async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

// Waits until the page has no loading indicators, then saves a full-page screenshot.
export async function screenshot(page, name) {
  await settle(page);
  // Sticky bars would otherwise be drawn where the page happens to be scrolled.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

export async function settle(page) {
  await page.waitForFunction(() => !document.querySelector('.loading, [aria-busy="true"]'), null, { timeout: 15_000 });
}

// Polls a locator's text until it matches (playwright-core has no expect()).
export async function expectText(locator, re, timeout = 10_000) {
  const end = Date.now() + timeout;
  let last = '';
  for (;;) {
    try { last = (await locator.innerText({ timeout: 1000 })).trim(); } catch { last = '(not found)'; }
    if (re.test(last)) return last;
    if (Date.now() > end) assert.fail(`expected text ${re} but found: ${last}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function expectCount(locator, n, timeout = 10_000) {
  const end = Date.now() + timeout;
  let c;
  for (;;) {
    c = await locator.count();
    if (c === n) return;
    if (Date.now() > end) assert.fail(`expected ${n} matching elements, found ${c}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
