// signin.test.mjs — sign-in hardening: throttling per address and per account without a
// lock-out, counted atomically; the current-password check throttled too; the same work for
// unknown usernames; weak passwords refused; a password change ends the user's other
// sessions and API tokens; the Secure cookie flag behind a trusted TLS proxy.
//
// The server runs with --trust-proxy, so each test speaks from its own client addresses with
// X-Forwarded-For; the first test also uses real loopback source addresses (127.0.0.x).
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import {
  clientFromLogin, expectError, expectStatus, passwordFor, sessionCookie, setup, USERS,
} from './lib.mjs';

const EXTRA = {
  vera: { role: 'staff', name: 'Vera Victim' },
  rory: { role: 'staff', name: 'Rory Race' },
  pete: { role: 'staff', name: 'Pete Password' },
  tia: { role: 'staff', name: 'Tia Tokens' },
  cora: { role: 'staff', name: 'Cora Change' },
  walt: { role: 'staff', name: 'Walt Weak' },
  tim: { role: 'staff', name: 'Tim Timing' },
};

let ctx;
before(async () => {
  ctx = await setup({ users: { ...USERS, ...EXTRA }, tokens: ['tia'], serverArgs: ['--trust-proxy'] });
});
after(async () => { if (ctx) await ctx.teardown(); });

// POST /api/v1/session as if from address `from` (X-Forwarded-For through the trusted proxy).
const loginFrom = (from, username, password, headers = {}) => ctx.anon.request('POST',
  '/api/v1/session', { body: { username, password }, headers: { 'X-Forwarded-For': from, ...headers } });

// POST /api/v1/session from a real loopback source address (no proxy header).
function loginFromLocal(localAddress, username, password) {
  const body = JSON.stringify({ username, password });
  const u = new URL(ctx.base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: '/api/v1/session', method: 'POST',
      localAddress, agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
    (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('five failures from varied addresses lock nobody out: the right password from another address signs in', async () => {
  for (let i = 2; i <= 6; i++) {
    const r = await loginFromLocal(`127.0.0.${i}`, 'vera', `wrong-guess-${i}`);
    assert.equal(r.status, 401, r.text);
  }
  // the owner, at an address that never failed, gets in at once
  const owner = await loginFromLocal('127.0.0.1', 'vera', passwordFor('vera'));
  assert.equal(owner.status, 200, owner.text);
  // an address that took part waits (even with the right password), told for how long
  const r = await loginFromLocal('127.0.0.3', 'vera', passwordFor('vera'));
  assert.equal(r.status, 429, r.text);
  assert.match(JSON.parse(r.text).error.message, /wait up to \d+ seconds/);
  // and the proxy header is honoured the same way
  expectStatus(await loginFrom('198.51.100.7', 'vera', passwordFor('vera')), 200);
});

test('one address failing on an account waits after five failures; the delay is not a 15-minute lock', async () => {
  const from = '203.0.113.10';
  for (let i = 1; i <= 5; i++)
    expectError(await loginFrom(from, 'pete', `wrong-${i}`), 401, 'unauthenticated');
  const r = await loginFrom(from, 'pete', passwordFor('pete'));
  expectError(r, 429, 'throttled');
  const secs = Number(r.json.error.message.match(/wait up to (\d+) seconds/)[1]);
  assert.ok(secs > 0 && secs < 15 * 60, `a short first delay, not a lock-out: ${secs}`);
  // others are unaffected
  expectStatus(await loginFrom('203.0.113.11', 'pete', passwordFor('pete')), 200);
});

test('concurrent attempts are counted atomically: exactly five wrong passwords are checked', async () => {
  const from = '203.0.113.20';
  const results = await Promise.all(Array.from({ length: 12 },
    (_, i) => loginFrom(from, 'rory', `concurrent-wrong-${i}`)));
  const statuses = results.map((r) => r.status).sort();
  assert.equal(statuses.filter((s) => s === 401).length, 5, `statuses: ${statuses}`);
  assert.equal(statuses.filter((s) => s === 429).length, 7, `statuses: ${statuses}`);
});

test('an address with many failures across accounts is slowed down too', async () => {
  const from = '203.0.113.30';
  for (let i = 0; i < 20; i++)
    expectError(await loginFrom(from, `nobody${i}`, 'some-wrong-password'), 401, 'unauthenticated');
  expectError(await loginFrom(from, 'tim', passwordFor('tim')), 429, 'throttled');
});

test('the current-password check of a password change is throttled like a sign-in', async () => {
  const from = '203.0.113.40';
  const res = await loginFrom(from, 'cora', passwordFor('cora'));
  expectStatus(res, 200);
  const cora = clientFromLogin(ctx.base, res);
  const change = (current) => cora.post('/api/v1/session/password',
    { current_password: current, new_password: 'cora-Brand-New-Passw0rd' },
    { headers: { 'X-Forwarded-For': from } });
  for (let i = 1; i <= 5; i++)
    expectError(await change(`not-my-password-${i}`), 400, 'invalid', 'current_password');
  expectError(await change(passwordFor('cora')), 429, 'throttled');
  // still the old password: nothing was changed
  expectStatus(await loginFrom('203.0.113.41', 'cora', passwordFor('cora')), 200);
});

test('unknown usernames cost the same password hashing as known ones', async () => {
  // Each attempt from its own address, so no throttle applies. The margin is wide (4x): an
  // unchecked unknown name answers about 50 times faster than a checked password.
  const timed = async (username, i) => {
    const t = process.hrtime.bigint();
    expectError(await loginFrom(`192.0.2.${i}`, username, 'not-the-password-x'), 401, 'unauthenticated');
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const known = []; const unknown = [];
  for (let i = 0; i < 3; i++) {
    known.push(await timed('tim', 10 + i));
    unknown.push(await timed(`ghost${i}`, 20 + i));
  }
  const median = (a) => [...a].sort((x, y) => x - y)[1];
  assert.ok(median(unknown) * 4 > median(known),
    `unknown ${unknown.map(Math.round)} ms vs known ${known.map(Math.round)} ms`);
});

test('weak passwords are refused: too short, repetitive, common, or the username', async () => {
  const adam = await ctx.login('adam');
  const list = await adam.get('/api/v1/users?q=walt');
  const walt = list.json.items.find((u) => u.username === 'walt');
  for (const pw of ['short1', 'aaaaaaaaaa', 'abababababab', 'password123', 'Password2024!', 'qwertyuiop',
    '1234567890', 'iloveyou!!!', 'walt', 'Walt12345678', '12345678walt']) {
    const res = await adam.patch(`/api/v1/users/${walt.id}`, { password: pw });
    expectError(res, 400, 'invalid', 'password');
    assert.ok(!res.json.error.message.includes(pw), 'the message does not echo the password');
  }
  const cli = await ctx.cli(['user', 'add', 'wendy', '--role', 'staff', '--name', 'Wendy', '--password-stdin'],
    { input: 'password1234\n' });
  assert.notEqual(cli.code, 0, cli.describe);
  // the own change is checked the same way
  const res = await loginFrom('203.0.113.50', 'walt', passwordFor('walt'));
  const self = clientFromLogin(ctx.base, res);
  expectError(await self.post('/api/v1/session/password',
    { current_password: passwordFor('walt'), new_password: 'qwerty123456' },
    { headers: { 'X-Forwarded-For': '203.0.113.50' } }), 400, 'invalid', 'new_password');
  expectStatus(await adam.patch(`/api/v1/users/${walt.id}`, { password: 'correct-Horse-Stable-9' }), 200);
});

test('changing one\'s password ends every other session and API token of that user', async () => {
  const first = clientFromLogin(ctx.base, await loginFrom('203.0.113.60', 'tia', passwordFor('tia')));
  const second = clientFromLogin(ctx.base, await loginFrom('203.0.113.61', 'tia', passwordFor('tia')));
  const token = ctx.tokenClient(ctx.tokens.tia);
  const admin = await ctx.login('adam', { fresh: true });
  for (const c of [first, second, token]) expectStatus(await c.get('/api/v1/session'), 200);
  const res = await first.post('/api/v1/session/password',
    { current_password: passwordFor('tia'), new_password: 'tia-Changed-Passw0rd-1' },
    { headers: { 'X-Forwarded-For': '203.0.113.60' } });
  expectStatus(res, 200);
  expectStatus(await first.get('/api/v1/session'), 200); // the session that changed it stays
  expectError(await second.get('/api/v1/session'), 401, 'unauthenticated');
  expectError(await token.get('/api/v1/session'), 401, 'unauthenticated');
  expectStatus(await admin.get('/api/v1/session'), 200); // other users are untouched
  // an administrator setting it ends all of them, the one-time password included
  const again = clientFromLogin(ctx.base, await loginFrom('203.0.113.62', 'tia', 'tia-Changed-Passw0rd-1'));
  const list = await admin.get('/api/v1/users?q=tia');
  const tia = list.json.items.find((u) => u.username === 'tia');
  expectStatus(await admin.patch(`/api/v1/users/${tia.id}`, { password: 'set-By-Admin-Passw0rd' }), 200);
  expectError(await first.get('/api/v1/session'), 401, 'unauthenticated');
  expectError(await again.get('/api/v1/session'), 401, 'unauthenticated');
  expectStatus(await admin.get('/api/v1/session'), 200);
  // the change log keeps it: verify still passes
  const v = await ctx.cli(['verify']);
  assert.equal(v.code, 0, v.describe);
});

test('Secure cookie flag: with a trusted proxy saying https, not otherwise', async () => {
  const plain = sessionCookie(await loginFrom('203.0.113.70', 'tim', passwordFor('tim')));
  assert.ok(plain && !/;\s*secure/i.test(plain.header), plain?.header);
  const tls = await loginFrom('203.0.113.71', 'tim', passwordFor('tim'), { 'X-Forwarded-Proto': 'https' });
  expectStatus(tls, 200);
  assert.match(sessionCookie(tls).header, /;\s*Secure/i);
  const out = await clientFromLogin(ctx.base, tls).del('/api/v1/session',
    { headers: { 'X-Forwarded-Proto': 'https' } });
  expectStatus(out, 204);
  assert.match(out.headers.get('set-cookie') || '', /;\s*Secure/i);
});

test('the server exits 0 on SIGTERM', async () => {
  await ctx.expectCleanShutdown();
});

