// http.test.mjs — security headers, health, metrics, body limits, 404/405/415, meta, OpenAPI.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import {
  actionName, expectError, expectSecurityHeaders, expectStatus, rawHttp, roleName, ROLES, setup,
} from './lib.mjs';

let ctx;
let admin; // cookie client (admin)
let bearer; // token client (admin)

before(async () => {
  ctx = await setup({ tokens: ['adam'] });
  admin = await ctx.login('adam');
  bearer = ctx.tokenClient(ctx.tokens.adam);
});
after(async () => { if (ctx) await ctx.teardown(); });

test('GET /healthz answers 200 {"status":"ok"} without auth', async () => {
  const res = await ctx.anon.get('/healthz');
  expectStatus(res, 200);
  assert.deepEqual(res.json, { status: 'ok' });
});

test('security headers on every kind of response', async () => {
  const big = 'x'.repeat(1024 * 1024 + 16);
  const created = await bearer.post('/api/v1/people', { name: 'Header Check' });
  expectStatus(created, 201);
  const responses = [
    await ctx.anon.get('/healthz'),
    await ctx.anon.get('/metrics'),
    await ctx.anon.get('/api/v1/people'), // 401
    await ctx.anon.post('/api/v1/session', { username: 'adam', password: 'wrong-password-1' }), // 401
    await admin.get('/api/v1/session'),
    await admin.get('/api/v1/people'),
    await admin.get('/api/v1/meta'),
    await admin.get('/api/v1/openapi.json'),
    await admin.get('/api/v1/nonsense'), // 404
    await admin.get('/api/v1/people/999999'), // 404
    await admin.post('/api/v1/people', { name: 'no csrf' }, { csrf: false }), // 403 csrf
    await bearer.put('/api/v1/people', { name: 'x' }), // 405
    await bearer.post('/api/v1/people', 'name=x', { contentType: 'text/plain' }), // 415
    await bearer.post('/api/v1/people', '{"name":'), // 400
    created, // 201
    await bearer.patch(`/api/v1/people/${created.json.id}`, { department: 'Ops' }), // 200
    await bearer.del(`/api/v1/people/${created.json.id}`), // 204
    await rawHttp(ctx.base, 'POST', '/api/v1/people', {
      headers: { Authorization: `Bearer ${ctx.tokens.adam}`, 'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(big)) },
      body: big,
    }), // 413
  ];
  const statuses = responses.map((r) => r.status);
  for (const s of [200, 201, 204, 400, 401, 403, 404, 405, 413, 415])
    assert.ok(statuses.includes(s), `no ${s} response in the sample: ${statuses.join(',')}`);
  for (const r of responses) expectSecurityHeaders(r);
});

test('GET /metrics is Prometheus text with request counters, a histogram and store errors', async () => {
  const labels = (line) => Object.fromEntries(
    [...line.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
  const healthzCount = (text) => {
    for (const line of text.split('\n')) {
      if (!line.startsWith('isms_http_requests_total{')) continue;
      const l = labels(line.slice(0, line.lastIndexOf('}') + 1));
      if (l.method === 'GET' && l.status === '200' && /healthz/.test(l.route))
        return Number(line.slice(line.lastIndexOf('}') + 1).trim().split(/\s+/)[0]);
    }
    return 0;
  };
  await ctx.anon.get('/healthz');
  const first = await ctx.anon.get('/metrics');
  expectStatus(first, 200);
  assert.match(first.headers.get('content-type') || '', /^text\/plain/i);
  const text = first.text;
  const reqLines = text.split('\n').filter((l) => l.startsWith('isms_http_requests_total{'));
  assert.ok(reqLines.length > 0, `no isms_http_requests_total{ lines:\n${text}`);
  for (const line of reqLines) {
    const l = labels(line);
    for (const k of ['route', 'method', 'status'])
      assert.ok(k in l, `label ${k} missing in: ${line}`);
    assert.match(line, /\}\s+\d+(\.\d+)?(e[+-]?\d+)?(\s+\d+)?$/, `sample value: ${line}`);
  }
  assert.match(text, /^isms_http_request_duration_seconds_bucket\{[^}]*le="[^"]+"[^}]*\}\s+\d/m);
  assert.match(text, /^isms_http_request_duration_seconds_bucket\{[^}]*le="\+Inf"[^}]*\}\s+\d/m);
  assert.match(text, /^isms_store_errors_total(\{[^}]*\})?\s+\d/m);
  // The counter counts: three more /healthz requests raise it by at least three.
  const before = healthzCount(text);
  assert.ok(before >= 1, `no GET /healthz 200 counter after a /healthz request:\n${reqLines.join('\n')}`);
  for (let i = 0; i < 3; i++) expectStatus(await ctx.anon.get('/healthz'), 200);
  const afterText = (await ctx.anon.get('/metrics')).text;
  assert.ok(healthzCount(afterText) >= before + 3,
    `healthz counter ${before} -> ${healthzCount(afterText)}`);
});

test('a body over 1 MiB on POST gives 413 too_large (with Content-Length, and chunked)', async () => {
  const big = JSON.stringify({ name: 'Big', department: 'y'.repeat(1024 * 1024 + 10) });
  const auth = { Authorization: `Bearer ${ctx.tokens.adam}`, 'Content-Type': 'application/json' };
  const res = await rawHttp(ctx.base, 'POST', '/api/v1/people', {
    headers: { ...auth, 'Content-Length': String(Buffer.byteLength(big)) }, body: big });
  expectError(res, 413, 'too_large');
  // Without a Content-Length the server only learns the size while reading.
  const bigChunked = JSON.stringify({ name: 'Big Chunked', department: 'z'.repeat(1024 * 1024 + 10) });
  const parts = [];
  for (let i = 0; i < bigChunked.length; i += 64 * 1024) parts.push(bigChunked.slice(i, i + 64 * 1024));
  expectError(await rawHttp(ctx.base, 'POST', '/api/v1/people', { headers: auth, body: parts }),
    413, 'too_large');
  // The same client path with a normal body works.
  const fits = JSON.stringify({ name: 'Fits', department: 'w'.repeat(100) });
  expectStatus(await rawHttp(ctx.base, 'POST', '/api/v1/people', {
    headers: { ...auth, 'Content-Length': String(Buffer.byteLength(fits)) }, body: fits }), 201);
  // Just under 1 MiB is not "too large" (the field itself may still be refused as too long).
  const under = JSON.stringify({ name: 'Under', department: '' });
  const padded = under.replace('"department":""', `"department":"${'v'.repeat(1024 * 1024 - under.length - 10)}"`);
  assert.ok(Buffer.byteLength(padded) < 1024 * 1024);
  const near = await rawHttp(ctx.base, 'POST', '/api/v1/people', {
    headers: { ...auth, 'Content-Length': String(Buffer.byteLength(padded)) }, body: padded });
  assert.notEqual(near.status, 413, near.describe());
  assert.ok(near.status === 201 || near.json?.error?.field === 'department', near.describe());
  // Nothing oversized was stored.
  const list = await bearer.get('/api/v1/people?limit=500');
  expectStatus(list, 200);
  const names = list.json.items.map((p) => p.name);
  assert.ok(!names.includes('Big') && !names.includes('Big Chunked'), 'oversized bodies must not be stored');
  assert.ok(names.includes('Fits'));
});

test('POST with Content-Type text/plain gives 415 unsupported_media_type', async () => {
  expectError(await bearer.post('/api/v1/people', '{"name":"Plain Text"}', { contentType: 'text/plain' }),
    415, 'unsupported_media_type');
});

test('malformed JSON gives 400 invalid', async () => {
  expectError(await bearer.post('/api/v1/people', '{"name": "Broken"'), 400, 'invalid');
  expectError(await bearer.post('/api/v1/people', 'not json at all'), 400, 'invalid');
});

test('a method a route does not have gives 405 method_not_allowed', async () => {
  expectError(await bearer.put('/api/v1/people', { name: 'Put' }), 405, 'method_not_allowed');
  expectError(await bearer.del('/api/v1/people'), 405, 'method_not_allowed');
});

test('an unknown record type gives 404 not_found', async () => {
  expectError(await bearer.get('/api/v1/nonsense'), 404, 'not_found');
  expectError(await bearer.get('/api/v1/nonsense/1'), 404, 'not_found');
  expectError(await admin.get('/api/v1/nonsense'), 404, 'not_found');
});

test('GET /api/v1/meta describes people and test-widgets and the roles', async () => {
  const res = await admin.get('/api/v1/meta');
  expectStatus(res, 200);
  const { types, roles } = res.json;
  assert.ok(Array.isArray(types), 'types must be an array');
  assert.ok(Array.isArray(roles), 'roles must be an array');
  assert.deepEqual([...roles.map(roleName)].sort(), [...ROLES].sort());
  const people = types.find((t) => t.plural === 'people');
  const widgets = types.find((t) => t.plural === 'test-widgets');
  assert.ok(people, 'meta lacks people');
  assert.ok(widgets, 'meta lacks test-widgets');
  for (const t of [people, widgets]) {
    for (const k of ['name', 'plural', 'label', 'clause'])
      assert.equal(typeof t[k], 'string', `${t.plural}.${k}`);
    assert.ok(Array.isArray(t.fields), `${t.plural}.fields`);
    assert.ok(Array.isArray(t.actions), `${t.plural}.actions`);
    for (const f of t.fields) {
      for (const k of ['name', 'label', 'help', 'type'])
        assert.equal(typeof f[k], 'string', `${t.plural}.${f.name}.${k}: ${JSON.stringify(f)}`);
      assert.equal(typeof f.required, 'boolean', `${t.plural}.${f.name}.required`);
    }
  }
  const names = (t) => t.fields.map((f) => f.name);
  for (const f of ['name', 'email', 'department', 'job_title', 'manager', 'active'])
    assert.ok(names(people).includes(f), `people lacks field ${f}`);
  assert.equal(people.fields.find((f) => f.name === 'name').required, true);
  assert.equal(people.fields.find((f) => f.name === 'email').required, false);
  for (const f of ['title', 'body', 'count', 'flag', 'kind', 'due', 'owner', 'members', 'contact',
    'status', 'approval_note'])
    assert.ok(names(widgets).includes(f), `test-widgets lacks field ${f}`);
  assert.equal(widgets.fields.find((f) => f.name === 'title').required, true);
  assert.deepEqual(widgets.actions.map(actionName).sort(), ['approve', 'reopen', 'submit']);
});

test('GET /api/v1/openapi.json is a valid OpenAPI 3 document with the people paths', async () => {
  const res = await admin.get('/api/v1/openapi.json');
  expectStatus(res, 200);
  assert.match(res.headers.get('content-type') || '', /json/i);
  const doc = res.json;
  assert.ok(doc && typeof doc === 'object', 'openapi.json is not JSON');
  assert.match(String(doc.openapi), /^3\.\d+\.\d+$/, 'openapi version');
  assert.ok(doc.paths['/api/v1/people'], 'no path /api/v1/people');
  assert.ok(doc.paths['/api/v1/people/{id}'], 'no path /api/v1/people/{id}');
  await SwaggerParser.validate(structuredClone(doc));
});

test('the server exits 0 on SIGTERM', async () => {
  await ctx.expectCleanShutdown();
});
