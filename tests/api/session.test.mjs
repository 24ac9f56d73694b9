// session.test.mjs — login/logout, cookies, CSRF, API tokens, disabled users, throttling.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  Client, clientFromLogin, expectError, expectStatus, passwordFor, sessionCookie, setup, USERS,
} from './lib.mjs';

const EXTRA = {
  dora: { role: 'staff', name: 'Dora Disabled' },
  thea: { role: 'staff', name: 'Thea Throttled' },
  theo: { role: 'staff', name: 'Theo Unaffected' },
};

let ctx;
let bearer;

before(async () => {
  ctx = await setup({ users: { ...USERS, ...EXTRA }, tokens: ['adam'] });
  bearer = ctx.tokenClient(ctx.tokens.adam);
});
after(async () => { if (ctx) await ctx.teardown(); });

function expectSessionBody(body, username) {
  assert.ok(body && body.user, `no user in ${JSON.stringify(body)}`);
  assert.ok(Number.isInteger(body.user.id), 'user.id must be an integer');
  assert.equal(body.user.username, username);
  assert.equal(body.user.name, (USERS[username] || EXTRA[username]).name);
  assert.equal(body.user.role, (USERS[username] || EXTRA[username]).role);
  assert.equal(typeof body.csrf_token, 'string');
  assert.ok(body.csrf_token.length >= 16, 'csrf_token looks too short');
}

test('POST /api/v1/session logs in: HttpOnly SameSite=Strict cookie, user and csrf_token', async () => {
  const res = await ctx.loginRaw('mona', passwordFor('mona'));
  expectStatus(res, 200);
  const c = sessionCookie(res);
  assert.ok(c, `no isms_session cookie: ${JSON.stringify(res.headers.getSetCookie())}`);
  assert.ok(c.value.length >= 16, 'session cookie value looks too short');
  const attrs = c.header.split(';').slice(1).map((a) => a.trim().toLowerCase());
  assert.ok(attrs.includes('path=/'), `Path=/ missing: ${c.header}`);
  assert.ok(attrs.includes('httponly'), `HttpOnly missing: ${c.header}`);
  assert.ok(attrs.includes('samesite=strict'), `SameSite=Strict missing: ${c.header}`);
  expectSessionBody(res.json, 'mona');
  ctx.sessions.mona = clientFromLogin(ctx.base, res);
});

test('a wrong password or an unknown user gives 401 unauthenticated and no cookie', async () => {
  const bad = await ctx.loginRaw('carl', 'definitely-not-it');
  expectError(bad, 401, 'unauthenticated');
  assert.equal(sessionCookie(bad)?.value || '', '', 'no session cookie on a failed login');
  expectError(await ctx.loginRaw('no_such_user', 'whatever-password'), 401, 'unauthenticated');
});

test('GET /api/v1/session with the cookie returns the user and a csrf_token', async () => {
  const mona = await ctx.login('mona');
  const res = await mona.get('/api/v1/session');
  expectStatus(res, 200);
  expectSessionBody(res.json, 'mona');
});

test('without credentials the API answers 401 unauthenticated', async () => {
  expectError(await ctx.anon.get('/api/v1/people'), 401, 'unauthenticated');
  expectError(await ctx.anon.get('/api/v1/session'), 401, 'unauthenticated');
  expectError(await ctx.anon.post('/api/v1/people', { name: 'Anon' }), 401, 'unauthenticated');
  const forged = new Client(ctx.base, { cookie: 'isms_session=forged-session-value', csrf: 'x' });
  expectError(await forged.get('/api/v1/people'), 401, 'unauthenticated');
});

test('DELETE /api/v1/session logs out (CSRF required); the cookie then stops working', async () => {
  const rita = await ctx.login('rita', { fresh: true });
  expectStatus(await rita.get('/api/v1/people'), 200);
  expectError(await rita.del('/api/v1/session', { csrf: false }), 403, 'csrf');
  expectStatus(await rita.get('/api/v1/people'), 200); // still logged in
  const out = await rita.del('/api/v1/session');
  expectStatus(out, 204);
  expectError(await rita.get('/api/v1/session'), 401, 'unauthenticated');
  expectError(await rita.get('/api/v1/people'), 401, 'unauthenticated');
});

test('CSRF: cookie POST/PATCH/DELETE without or with a wrong X-CSRF-Token give 403 csrf', async () => {
  const adam = await ctx.login('adam');
  const target = await bearer.post('/api/v1/people', { name: 'Csrf Target' });
  expectStatus(target, 201);
  const id = target.json.id;

  expectError(await adam.post('/api/v1/people', { name: 'Csrf Missing' }, { csrf: false }), 403, 'csrf');
  expectError(await adam.post('/api/v1/people', { name: 'Csrf Wrong' }, { csrf: 'wrong-token' }), 403, 'csrf');
  expectError(await adam.patch(`/api/v1/people/${id}`, { department: 'X' }, { csrf: false }), 403, 'csrf');
  expectError(await adam.patch(`/api/v1/people/${id}`, { department: 'X' }, { csrf: 'wrong-token' }), 403, 'csrf');
  expectError(await adam.del(`/api/v1/people/${id}`, { csrf: false }), 403, 'csrf');
  expectError(await adam.del(`/api/v1/people/${id}`, { csrf: 'wrong-token' }), 403, 'csrf');
  // Another user's valid token is not this session's token.
  const mona = await ctx.login('mona');
  expectError(await adam.post('/api/v1/people', { name: 'Csrf Foreign' }, { csrf: mona.csrf }), 403, 'csrf');

  // Nothing happened.
  const now = await adam.get(`/api/v1/people/${id}`);
  expectStatus(now, 200);
  assert.equal(now.json.version, 1);
  assert.notEqual(now.json.department, 'X');
  const list = await adam.get('/api/v1/people?limit=500');
  const names = list.json.items.map((p) => p.name);
  for (const n of ['Csrf Missing', 'Csrf Wrong', 'Csrf Foreign'])
    assert.ok(!names.includes(n), `${n} must not have been created`);

  // With the right token all three work.
  expectStatus(await adam.post('/api/v1/people', { name: 'Csrf Right' }), 201);
  expectStatus(await adam.patch(`/api/v1/people/${id}`, { department: 'Y' }), 200);
  expectStatus(await adam.del(`/api/v1/people/${id}`), 204);
});

test('API tokens: Bearer works without CSRF; a wrong token gives 401', async () => {
  const list = await bearer.get('/api/v1/people');
  expectStatus(list, 200);
  const created = await bearer.post('/api/v1/people', { name: 'Token Made' });
  expectStatus(created, 201);
  expectStatus(await bearer.patch(`/api/v1/people/${created.json.id}`, { department: 'T' }), 200);
  expectStatus(await bearer.del(`/api/v1/people/${created.json.id}`), 204);

  const wrong = ctx.tokenClient(`${ctx.tokens.adam}x`);
  expectError(await wrong.get('/api/v1/people'), 401, 'unauthenticated');
  expectError(await ctx.tokenClient('garbage').get('/api/v1/people'), 401, 'unauthenticated');
  expectError(await wrong.post('/api/v1/people', { name: 'Wrong Token' }), 401, 'unauthenticated');
});

test('user disable: the user can no longer log in and its session stops working', async () => {
  const dora = await ctx.login('dora', { fresh: true });
  expectStatus(await dora.get('/api/v1/people'), 200);
  const r = await ctx.cli(['user', 'disable', 'dora']);
  assert.equal(r.code, 0, r.describe);
  expectError(await dora.get('/api/v1/people'), 401, 'unauthenticated');
  expectError(await ctx.loginRaw('dora', passwordFor('dora')), 401, 'unauthenticated');
});

test('throttling: after 5 failed logins from one address that address waits, even with the right password; other users are unaffected', async () => {
  for (let i = 1; i <= 5; i++)
    expectError(await ctx.loginRaw('thea', `wrong-password-${i}`), 401, 'unauthenticated');
  expectError(await ctx.loginRaw('thea', passwordFor('thea')), 429, 'throttled');
  const theo = await ctx.loginRaw('theo', passwordFor('theo'));
  expectStatus(theo, 200);
  assert.equal(theo.json.user.username, 'theo');
});

test('the server exits 0 on SIGTERM', async () => {
  await ctx.expectCleanShutdown();
});
