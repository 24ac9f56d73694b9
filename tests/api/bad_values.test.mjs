// bad_values.test.mjs — values that must be refused, not clamped or cut short: dates outside
// the years 1900–2200, ids beyond 64 bits in paths and bodies, a NUL in an uploaded file's
// name, and text direction controls (right-to-left override) in file names.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPerson, expectError, expectStatus, setup, uniq } from './lib.mjs';

let ctx;
let mona;
let person;

before(async () => {
  ctx = await setup();
  mona = await ctx.login('mona');
  person = await createPerson(mona);
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('dates are bounded to the years 1900–2200', () => {
  test('last_assessed 9999-12-31 is refused naming the field; nothing is stored', async () => {
    const title = uniq('Far future');
    const res = await mona.post('/api/v1/risks', { title, owner: person.id, last_assessed: '9999-12-31' });
    expectError(res, 400, 'invalid', 'last_assessed');
    assert.match(res.json.error.message, /1900.*2200/);
    const list = await mona.get(`/api/v1/risks?q=${encodeURIComponent(title)}`);
    expectStatus(list, 200);
    assert.equal(list.json.total, 0, list.describe());
  });

  test('a year before 1900 is refused, on create and on edit', async () => {
    expectError(await mona.post('/api/v1/risks', { title: uniq('Old'), owner: person.id, last_assessed: '0001-01-01' }),
      400, 'invalid', 'last_assessed');
    const ok = await mona.post('/api/v1/risks', { title: uniq('Edited'), owner: person.id, last_assessed: '2024-05-01' });
    expectStatus(ok, 201);
    expectError(await mona.patch(`/api/v1/risks/${ok.json.id}`, { last_assessed: '1899-12-31' },
      { headers: { 'If-Match': ok.etag } }), 400, 'invalid', 'last_assessed');
  });

  test('the lower bound is accepted and the next review stays a real date; a past-only date refuses the future', async () => {
    const lo = await mona.post('/api/v1/risks', { title: uniq('Low'), owner: person.id, last_assessed: '1900-01-01' });
    expectStatus(lo, 201);
    assert.match(lo.json.next_review, /^1901-01-01$/, lo.describe());
    // last_assessed records the past, so even a date within the bounds is refused when ahead.
    expectError(await mona.post('/api/v1/risks', { title: uniq('High'), owner: person.id, last_assessed: '2199-06-30' }),
      400, 'invalid', 'last_assessed');
  });

  test('every date field of the engine is bounded (test-widgets.due)', async () => {
    expectError(await mona.post('/api/v1/test-widgets', { title: uniq('W'), due: '2201-01-01' }),
      400, 'invalid', 'due');
    expectStatus(await mona.post('/api/v1/test-widgets', { title: uniq('W'), due: '2200-12-31' }), 201);
  });
});

describe('ids beyond 64 bits give 400', () => {
  test('in a path: 400 invalid, not 404 and not clamped', async () => {
    for (const id of ['99999999999999999999999', '9223372036854775808', '18446744073709551617']) {
      const res = await mona.get(`/api/v1/people/${id}`);
      expectError(res, 400, 'invalid', 'id');
      expectError(await mona.patch(`/api/v1/people/${id}`, { name: 'x' }), 400, 'invalid', 'id');
    }
    // the largest id still is an id: it just does not exist
    expectError(await mona.get('/api/v1/people/9223372036854775807'), 404, 'not_found');
  });

  test('in a body or a filter: 400 invalid', async () => {
    expectError(await mona.post('/api/v1/people', { name: uniq('P'), manager: 99999999999999999999 }),
      400, 'invalid');
    expectError(await mona.post('/api/v1/people', { name: uniq('P'), manager: 1e30 }), 400, 'invalid', 'manager');
    expectError(await mona.get('/api/v1/people?manager=99999999999999999999'), 400, 'invalid', 'manager');
  });
});

describe('file names', () => {
  const files = () => `/api/v1/people/${person.id}/attachments`;
  const form = (disposition) =>
    `--zz\r\nContent-Disposition: form-data; name="file"; ${disposition}\r\n` +
    'Content-Type: application/pdf\r\n\r\n%PDF-1.4 x\r\n--zz--\r\n';
  const send = (body) => mona.request('POST', files(), {
    body: Buffer.from(body, 'latin1'), contentType: 'multipart/form-data; boundary=zz' });

  test('a NUL in a multipart file name gives 400, never a name cut short', async () => {
    expectError(await send(form('filename="report.pdf\u0000.exe"')), 400, 'invalid', 'filename');
    expectError(await send(form("filename*=UTF-8''report.pdf%00.exe")), 400, 'invalid', 'filename');
    expectError(await mona.request('POST', `${files()}?filename=report.pdf%00.exe`,
      { body: 'x', contentType: 'text/plain' }), 400, 'invalid', 'filename');
    const list = await mona.get(files());
    expectStatus(list, 200);
    assert.equal(list.json.total, 0, `nothing stored: ${list.describe()}`);
    expectStatus(await send(form('filename="report.pdf"')), 201);
  });

  test('right-to-left override and other direction controls are refused', async () => {
    for (const ch of ['\u202e', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069', '\u200f', '\u061c']) {
      const name = `invoice${ch}fdp.exe`;
      const res = await mona.request('POST', files(), {
        body: 'x', contentType: 'text/plain', headers: { 'X-Filename': encodeURIComponent(name) } });
      expectError(res, 400, 'invalid', 'filename');
      const viaForm = await send(form(`filename*=UTF-8''${encodeURIComponent(name)}`));
      expectError(viaForm, 400, 'invalid', 'filename');
    }
    // other non-ASCII names stay welcome
    const ok = await mona.request('POST', files(), {
      body: 'x', contentType: 'text/plain', headers: { 'X-Filename': encodeURIComponent('Prüfbericht €.txt') } });
    expectStatus(ok, 201);
  });

  test('the server exits 0 on SIGTERM', async () => {
    await ctx.expectCleanShutdown();
  });
});
