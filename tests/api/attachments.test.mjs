// attachments.test.mjs — evidence files (7.5.3): uploads as a raw body or a multipart form,
// bytes back exactly as sent, downloads always as attachments, one stored copy per content,
// the per-route upload limit (413, nothing stored), permissions, CSRF, the rule that files of
// approved evidence cannot be deleted, the CLI (attach, attachment-get), and isms verify
// re-hashing the stored files.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  createPerson, expectError, expectRecord, expectSecurityHeaders, expectStatus, grantAuthority,
  rawHttp, setup, uniq, USERS,
} from './lib.mjs';

const LIMIT_MIB = 2; // the server's upload limit in this file: above the 1 MiB JSON limit
const MiB = 1024 * 1024;
const EXTRA_USERS = { mia: { role: 'isms_manager', name: 'Mia Manager' } };

let ctx;
let mona; let mia; let sam; let audrey;
let person; // a record to attach files to

const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');
// Bytes that are not text: NULs, high bytes, a CR LF and a fake boundary line in the middle.
function binary(n, seed = 1) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  b.write('\r\n--boundary\r\n', Math.floor(n / 2));
  return b;
}
const filesOf = (plural, id) => `/api/v1/${plural}/${id}/attachments`;

// Raw upload: the body is the file, named by X-Filename (percent-encoded).
function uploadRaw(client, plural, id, bytes, filename, { contentType = 'application/octet-stream', query = '', ...o } = {}) {
  return client.request('POST', `${filesOf(plural, id)}${query}`, {
    ...o, body: new Uint8Array(bytes), contentType,
    headers: { 'X-Filename': encodeURIComponent(filename), ...(o.headers || {}) } });
}

// Multipart upload as a browser form sends it (fetch with FormData).
async function uploadForm(client, plural, id, bytes, filename, { type = 'application/pdf', description } = {}) {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), filename);
  if (description !== undefined) form.append('description', description);
  const headers = {};
  if (client.cookie) { headers.Cookie = client.cookie; headers['X-CSRF-Token'] = client.csrf; }
  if (client.token) headers.Authorization = `Bearer ${client.token}`;
  const r = await fetch(client.base + filesOf(plural, id), { method: 'POST', headers, body: form });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { method: 'POST', path: filesOf(plural, id), status: r.status, headers: r.headers, text,
    json, describe: () => `POST ${filesOf(plural, id)} -> ${r.status} ${text.slice(0, 800)}` };
}

async function download(client, id) {
  const headers = client.cookie ? { Cookie: client.cookie } : { Authorization: `Bearer ${client.token}` };
  const r = await fetch(`${client.base}/api/v1/attachments/${id}/content`, { headers });
  const bytes = Buffer.from(await r.arrayBuffer());
  return { status: r.status, headers: r.headers, bytes, method: 'GET',
    path: `/api/v1/attachments/${id}/content`,
    describe: () => `GET attachment ${id} -> ${r.status} ${bytes.toString('utf8', 0, 400)}` };
}

const blobCount = async (hash) => Number(await ctx.store.sql(hash
  ? `SELECT count(*) FROM blobs WHERE sha256 = '${hash}'` : 'SELECT count(*) FROM blobs'));
const attachmentCount = async () => Number(await ctx.store.sql('SELECT count(*) FROM attachments'));

before(async () => {
  ctx = await setup({ users: { ...USERS, ...EXTRA_USERS }, serverArgs: ['--max-upload-mib', String(LIMIT_MIB)] });
  mona = await ctx.login('mona');
  mia = await ctx.login('mia');
  sam = await ctx.login('sam');
  audrey = await ctx.login('audrey');
  person = await createPerson(mona, { name: 'Evidence Holder' });
  // mia approves documents through an organizational role her person holds.
  await grantAuthority(await ctx.login('adam'), 'mia', { approves_documents: true });
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('uploading and downloading', () => {
  test('a raw body comes back byte for byte, as an attachment that is never sniffed', async () => {
    const bytes = binary(70_000);
    const res = await uploadRaw(mona, 'people', person.id, bytes, 'scan 1.bin',
      { query: '?description=Door%20log' });
    expectStatus(res, 201);
    const a = res.json;
    expectRecord(a, 'attachment');
    assert.equal(res.headers.get('location'), `/api/v1/attachments/${a.id}`);
    assert.deepEqual(
      { record_type: a.record_type, record_id: a.record_id, filename: a.filename, size: a.size,
        sha256: a.sha256, media_type: a.media_type, sniffed_type: a.sniffed_type,
        uploaded_by: a.uploaded_by, description: a.description },
      { record_type: 'people', record_id: person.id, filename: 'scan 1.bin', size: bytes.length,
        sha256: sha256(bytes), media_type: 'application/octet-stream',
        sniffed_type: 'application/octet-stream', uploaded_by: 'mona', description: 'Door log' });
    const d = await download(mona, a.id);
    expectStatus(d, 200);
    assert.equal(d.bytes.length, bytes.length);
    assert.equal(sha256(d.bytes), sha256(bytes), 'downloaded bytes differ from the upload');
    assert.equal(d.headers.get('content-type'), 'application/octet-stream');
    assert.equal(d.headers.get('content-disposition'),
      'attachment; filename="scan 1.bin"; filename*=UTF-8\'\'scan%201.bin');
  });

  test('a multipart form: the file part, its declared type, the description, the name without folders', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), binary(5000, 7)]);
    const res = await uploadForm(mona, 'people', person.id, pdf, 'C:\\scans\\Prüfbericht "März".pdf',
      { description: 'Signed audit report' });
    expectStatus(res, 201);
    assert.equal(res.json.filename, 'Prüfbericht "März".pdf');
    assert.equal(res.json.media_type, 'application/pdf');
    assert.equal(res.json.sniffed_type, 'application/pdf');
    assert.equal(res.json.description, 'Signed audit report');
    assert.equal(res.json.sha256, sha256(pdf));
    const d = await download(audrey, res.json.id); // auditors read evidence
    expectStatus(d, 200);
    assert.equal(sha256(d.bytes), sha256(pdf));
    const cd = d.headers.get('content-disposition');
    assert.match(cd, /^attachment; /);
    assert.ok(cd.includes("filename*=UTF-8''Pr%C3%BCfbericht%20%22M%C3%A4rz%22.pdf"), cd);
    assert.ok(!/[^\x20-\x7e]/.test(cd), `header must be plain ASCII: ${cd}`);
    assert.equal(d.headers.get('content-type'), 'application/octet-stream', 'never the declared type inline');
  });

  test('HTML is sniffed as text and still downloaded as an attachment', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>\n');
    const res = await uploadRaw(mona, 'people', person.id, html, 'page.html', { contentType: 'text/html' });
    expectStatus(res, 201);
    assert.equal(res.json.media_type, 'text/html');
    assert.equal(res.json.sniffed_type, 'text/plain; charset=utf-8');
    const d = await download(mona, res.json.id);
    expectStatus(d, 200);
    assert.notEqual(d.headers.get('content-type'), 'text/html');
    assert.match(d.headers.get('content-disposition'), /^attachment; filename="page\.html"/);
    assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
  });

  test('?filename= names a raw upload too; a record lists its files, newest first', async () => {
    const p = await createPerson(mona);
    const one = await uploadRaw(mona, 'people', p.id, Buffer.from('one'), 'x', { query: '?filename=first.txt', headers: { 'X-Filename': '' } });
    expectStatus(one, 201);
    assert.equal(one.json.filename, 'first.txt');
    const two = await uploadRaw(mona, 'people', p.id, Buffer.from('two'), 'second.txt');
    expectStatus(two, 201);
    for (const list of [await audrey.get(filesOf('people', p.id)),
      await audrey.get(`/api/v1/attachments?record_type=people&record_id=${p.id}`)]) {
      expectStatus(list, 200);
      assert.deepEqual(list.json.items.map((a) => a.filename), ['second.txt', 'first.txt']);
      assert.equal(list.json.total, 2);
    }
  });

  test('the same content twice: two attachment records, one stored copy', async () => {
    const bytes = binary(3000, 42);
    const hash = sha256(bytes);
    assert.equal(await blobCount(hash), 0);
    const a = await uploadRaw(mona, 'people', person.id, bytes, 'copy-a.bin');
    const b = await uploadForm(mona, 'people', person.id, bytes, 'copy-b.bin');
    expectStatus(a, 201);
    expectStatus(b, 201);
    assert.notEqual(a.json.id, b.json.id);
    assert.equal(a.json.sha256, hash);
    assert.equal(b.json.sha256, hash);
    assert.equal(await blobCount(hash), 1, 'the content must be stored once');
    // isms verify counts the stored files and re-hashes them.
    const blobs = await blobCount();
    const v = await ctx.cli(['verify']);
    assert.equal(v.code, 0, v.describe);
    assert.match(v.stdout, new RegExp(`\\b${blobs} stored files?\\b`), v.describe);
  });

  test('bad names and requests are refused with the field at fault', async () => {
    expectError(await mona.request('POST', filesOf('people', person.id), { body: 'x', contentType: 'text/plain' }),
      400, 'invalid', 'filename');
    expectError(await uploadRaw(mona, 'people', person.id, Buffer.from('x'), '..'), 400, 'invalid', 'filename');
    expectError(await uploadRaw(mona, 'people', person.id, Buffer.from('x'), 'a\u0001b'), 400, 'invalid', 'filename');
    expectError(await uploadRaw(mona, 'people', person.id, Buffer.from('x'), 'n'.repeat(256)), 400, 'invalid', 'filename');
    expectError(await uploadRaw(mona, 'people', person.id, Buffer.from('x'), 'ok.txt', { contentType: 'not a type' }),
      400, 'invalid', 'media_type');
    expectError(await mona.request('POST', filesOf('people', person.id),
      { body: '--zz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nno end',
        contentType: 'multipart/form-data; boundary=zz' }), 400, 'invalid');
    expectError(await mona.request('POST', filesOf('people', person.id),
      { body: '--zz\r\nContent-Disposition: form-data; name="description"\r\n\r\nonly text\r\n--zz--\r\n',
        contentType: 'multipart/form-data; boundary=zz' }), 400, 'invalid', 'file');
  });

  test('attachments are made only by uploading: the generic create says where to upload', async () => {
    const res = await mona.post('/api/v1/attachments', { filename: 'x', record_type: 'people', record_id: person.id });
    expectError(res, 400, 'invalid');
    assert.match(res.json.error.message, /\/attachments/);
    const meta = await mona.get('/api/v1/meta');
    const t = meta.json.types.find((x) => x.plural === 'attachments');
    assert.equal(t.can_create, false);
    assert.equal(meta.json.types.find((x) => x.plural === 'people').can_create, true);
  });

  test('the OpenAPI document describes the upload, list and download routes', async () => {
    const doc = (await ctx.anon.get('/api/v1/openapi.json')).json;
    const up = doc.paths['/api/v1/{type}/{id}/attachments'];
    assert.ok(up && up.post && up.get, 'no upload path');
    assert.ok(up.post.requestBody.content['multipart/form-data']);
    assert.ok(up.post.requestBody.content['application/octet-stream']);
    assert.ok(doc.paths['/api/v1/attachments/{id}/content'].get);
    assert.equal(doc.paths['/api/v1/attachments'].post, undefined, 'no generic create of attachments');
  });
});

describe('the upload limit', () => {
  test(`bodies up to ${LIMIT_MIB} MiB are taken on the upload route (JSON routes stay at 1 MiB)`, async () => {
    const bytes = binary(1.5 * MiB, 3);
    const res = await uploadRaw(mona, 'people', person.id, bytes, 'big-but-fine.bin');
    expectStatus(res, 201);
    assert.equal(res.json.size, bytes.length);
    const d = await download(mona, res.json.id);
    assert.equal(sha256(d.bytes), sha256(bytes));
  });

  test('beyond the limit: 413 with a JSON error, and nothing stored', async () => {
    const before = { rows: await attachmentCount(), blobs: await blobCount() };
    const bytes = binary(LIMIT_MIB * MiB + 1, 5);
    const auth = { Authorization: `Bearer ${(await ctx.cli(['token', 'create', 'mona'])).stdout.trim()}` };
    const res = await rawHttp(ctx.base, 'POST', `${filesOf('people', person.id)}?filename=too-big.bin`, {
      headers: { ...auth, 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.length) },
      body: bytes });
    expectError(res, 413, 'too_large');
    assert.match(res.json.error.message, new RegExp(`${LIMIT_MIB} MiB`));
    // Without a Content-Length the server finds out while reading.
    const chunks = [];
    for (let i = 0; i < bytes.length; i += 256 * 1024) chunks.push(bytes.subarray(i, i + 256 * 1024));
    expectError(await rawHttp(ctx.base, 'POST', `${filesOf('people', person.id)}?filename=too-big.bin`, {
      headers: { ...auth, 'Content-Type': 'application/octet-stream' }, body: chunks }), 413, 'too_large');
    // Absurd sizes are refused on the headers alone.
    expectError(await rawHttp(ctx.base, 'POST', `${filesOf('people', person.id)}?filename=huge.bin`, {
      headers: { ...auth, 'Content-Length': String(4096 * MiB) } }), 413, 'too_large');
    assert.deepEqual({ rows: await attachmentCount(), blobs: await blobCount() }, before);
    assert.equal(await blobCount(sha256(bytes)), 0);
  });
});

describe('who may do what', () => {
  test('staff and auditors may not upload (403); nothing is stored', async () => {
    const before = await attachmentCount();
    for (const who of [sam, audrey])
      expectError(await uploadRaw(who, 'people', person.id, Buffer.from('nope'), 'nope.txt'), 403, 'forbidden');
    assert.equal(await attachmentCount(), before);
  });

  test('a record that does not exist: 404; a type that does not exist: 404', async () => {
    expectError(await uploadRaw(mona, 'people', 999999, Buffer.from('x'), 'x.txt'), 404, 'not_found');
    expectError(await uploadRaw(mona, 'nonsense', 1, Buffer.from('x'), 'x.txt'), 404, 'not_found');
    expectError(await mona.get(filesOf('people', 999999)), 404, 'not_found');
    expectError(await mona.get('/api/v1/attachments/999999/content'), 404, 'not_found');
  });

  test('files cannot be attached to user accounts or to other files', async () => {
    const adam = await ctx.login('adam');
    expectError(await uploadRaw(adam, 'users', 1, Buffer.from('x'), 'x.txt'), 400, 'invalid');
    const a = await uploadRaw(mona, 'people', person.id, Buffer.from('base'), 'base.txt');
    expectError(await uploadRaw(mona, 'attachments', a.json.id, Buffer.from('x'), 'x.txt'), 400, 'invalid');
  });

  test('a cookie session needs the CSRF header to upload', async () => {
    const bytes = Buffer.from('csrf check');
    expectError(await uploadRaw(mona, 'people', person.id, bytes, 'csrf.txt', { csrf: false }), 403, 'csrf');
    expectError(await uploadRaw(mona, 'people', person.id, bytes, 'csrf.txt', { csrf: 'wrong' }), 403, 'csrf');
    expectStatus(await uploadRaw(mona, 'people', person.id, bytes, 'csrf.txt'), 201);
  });

  test('the description can change; the rest is read-only; staff may not change it', async () => {
    const a = (await uploadRaw(mona, 'people', person.id, Buffer.from('desc'), 'desc.txt')).json;
    const res = await mona.patch(`/api/v1/attachments/${a.id}`, { description: 'Now described' });
    expectStatus(res, 200);
    assert.equal(res.json.description, 'Now described');
    expectError(await mona.patch(`/api/v1/attachments/${a.id}`, { filename: 'other.txt' }), 400, 'invalid', 'filename');
    expectError(await mona.patch(`/api/v1/attachments/${a.id}`, { sha256: 'ab' }), 400, 'invalid', 'sha256');
    expectError(await sam.patch(`/api/v1/attachments/${a.id}`, { description: 'x' }), 403, 'forbidden');
  });

  test('deleting a file: allowed on an open record, logged, and the last copy of its content goes', async () => {
    const bytes = Buffer.from(`only once ${uniq()}`);
    const a = (await uploadRaw(mona, 'people', person.id, bytes, 'gone.txt')).json;
    assert.equal(await blobCount(a.sha256), 1);
    expectError(await sam.del(`/api/v1/attachments/${a.id}`), 403, 'forbidden');
    expectStatus(await mona.del(`/api/v1/attachments/${a.id}`), 204);
    expectError(await mona.get(`/api/v1/attachments/${a.id}`), 404, 'not_found');
    assert.equal(await blobCount(a.sha256), 0);
    const h = await mona.get(`/api/v1/attachments/${a.id}/history`);
    expectStatus(h, 200);
    assert.deepEqual(h.json.items.map((c) => c.op), ['create', 'delete']);
    assert.equal(h.json.items[0].state.sha256, a.sha256, 'the log keeps the hash');
    assert.ok(!JSON.stringify(h.json).includes(bytes.toString()), 'the log must not hold the content');
  });

  test('a record with files is not deleted until its files are (409 in_use)', async () => {
    const owner = await createPerson(mona, { name: uniq('Has files') });
    const a = (await uploadRaw(mona, 'people', owner.id, Buffer.from(uniq('evidence')), 'e.txt')).json;
    const r = await mona.del(`/api/v1/people/${owner.id}`);
    expectError(r, 409, 'in_use');
    assert.match(r.json.error.message, /1 evidence file/);
    expectStatus(await mona.del(`/api/v1/attachments/${a.id}`), 204);
    expectStatus(await mona.del(`/api/v1/people/${owner.id}`), 204);
  });

  test('deleting one of two copies keeps the content for the other', async () => {
    const bytes = Buffer.from(`twice ${uniq()}`);
    const a = (await uploadRaw(mona, 'people', person.id, bytes, 'a.txt')).json;
    const b = (await uploadRaw(mona, 'people', person.id, bytes, 'b.txt')).json;
    expectStatus(await mona.del(`/api/v1/attachments/${a.id}`), 204);
    assert.equal(await blobCount(b.sha256), 1);
    const d = await download(mona, b.id);
    expectStatus(d, 200);
    assert.equal(d.bytes.toString(), bytes.toString());
  });
});

describe('files of approved evidence', () => {
  let version; let onVersion; let listed; let doc;

  before(async () => {
    let res = await mona.post('/api/v1/documents', { identifier: uniq('PRO'), title: 'Backup procedure', kind: 'procedure' });
    expectStatus(res, 201);
    doc = res.json;
    res = await mona.post('/api/v1/document-versions', { document: doc.id, body: '# Backups\n\nDaily.' });
    expectStatus(res, 201);
    version = res.json;
    onVersion = (await uploadRaw(mona, 'document-versions', version.id, Buffer.from('signed copy'), 'signed.pdf')).json;
    listed = (await uploadRaw(mona, 'documents', doc.id, Buffer.from('appendix'), 'appendix.txt')).json;
    res = await mona.patch(`/api/v1/document-versions/${version.id}`, { attachments: [listed.id] });
    expectStatus(res, 200);
    assert.deepEqual(res.json.attachments, [listed.id]);
  });

  test('while the version is a draft its files may change', async () => {
    expectStatus(await mona.patch(`/api/v1/attachments/${onVersion.id}`, { description: 'draft note' }), 200);
  });

  test('once approved by someone else: 409 on deleting or changing its files, and on adding one', async () => {
    let res = await mona.request('POST', `/api/v1/document-versions/${version.id}/actions/submit`);
    assert.ok(res.status < 300, res.describe());
    res = await mia.request('POST', `/api/v1/document-versions/${version.id}/actions/approve`);
    assert.ok(res.status < 300, res.describe());
    assert.equal(res.json.status, 'approved');
    for (const a of [onVersion, listed]) {
      const del = await mona.del(`/api/v1/attachments/${a.id}`);
      expectError(del, 409, 'conflict');
      assert.match(del.json.error.message, /approved/);
      expectError(await mona.patch(`/api/v1/attachments/${a.id}`, { description: 'later' }), 409, 'conflict');
      expectStatus(await mona.get(`/api/v1/attachments/${a.id}`), 200);
    }
    expectError(await uploadRaw(mona, 'document-versions', version.id, Buffer.from('late'), 'late.txt'), 409, 'conflict');
    // A file of the (open) document that no approved version lists may still go.
    const free = (await uploadRaw(mona, 'documents', doc.id, Buffer.from('free'), 'free.txt')).json;
    expectStatus(await mona.del(`/api/v1/attachments/${free.id}`), 204);
  });

  test('a draft that lists a deleted file loses the reference as a logged update', async () => {
    const d2 = (await mona.post('/api/v1/documents', { identifier: uniq('PRO'), title: 'Other', kind: 'procedure' })).json;
    const v2 = (await mona.post('/api/v1/document-versions', { document: d2.id, body: 'x' })).json;
    const f = (await uploadRaw(mona, 'documents', d2.id, Buffer.from('temp'), 'temp.txt')).json;
    expectStatus(await mona.patch(`/api/v1/document-versions/${v2.id}`, { attachments: [f.id] }), 200);
    expectStatus(await mona.del(`/api/v1/attachments/${f.id}`), 204);
    const after2 = await mona.get(`/api/v1/document-versions/${v2.id}`);
    assert.deepEqual(after2.json.attachments, []);
  });
});

describe('the command line', () => {
  test('isms attach and attachment-get: the same bytes out as in', async () => {
    const file = path.join(ctx.store.dir, 'evidence.bin');
    const bytes = binary(20_000, 9);
    fs.writeFileSync(file, bytes);
    const r = await ctx.cli(['attach', 'people', String(person.id), file, '--description', 'From the CLI'], { as: 'mona' });
    assert.equal(r.code, 0, r.describe);
    const a = JSON.parse(r.stdout);
    assert.deepEqual([a.filename, a.size, a.sha256, a.description, a.uploaded_by],
      ['evidence.bin', bytes.length, sha256(bytes), 'From the CLI', 'mona']);
    const out = path.join(ctx.store.dir, 'back.bin');
    const g = await ctx.cli(['attachment-get', String(a.id), '--output', out], { as: 'audrey' });
    assert.equal(g.code, 0, g.describe);
    assert.equal(sha256(fs.readFileSync(out)), sha256(bytes));
    const again = await ctx.cli(['attachment-get', String(a.id), '--output', out], { as: 'audrey' });
    assert.equal(again.code, 1, `an existing file is never overwritten: ${again.describe}`);
    const l = await ctx.cli(['list', 'attachments', 'record_type=people', `record_id=${person.id}`, '--json'], { as: 'audrey' });
    assert.equal(l.code, 0, l.describe);
    assert.ok(JSON.parse(l.stdout).items.some((x) => x.id === a.id));
  });

  test('the CLI refuses what the API refuses, with the exit status of the cause', async () => {
    const small = path.join(ctx.store.dir, 'small.txt');
    fs.writeFileSync(small, 'small');
    const big = path.join(ctx.store.dir, 'big.bin');
    fs.writeFileSync(big, binary(MiB + 10, 11));
    const before = { rows: await attachmentCount(), blobs: await blobCount() };
    const cases = [
      [['attach', 'people', String(person.id), big, '--max-upload-mib', '1'], 'mona', 1, /upload limit of 1 MiB/],
      [['attach', 'people', String(person.id), small, '--max-upload-mib', '0'], 'mona', 2, /max-upload-mib/],
      [['attach', 'people', String(person.id), path.join(ctx.store.dir, 'absent')], 'mona', 1, /cannot read/],
      [['attach', 'peoples', String(person.id), small], 'mona', 2, /no record type/],
      [['attach', 'people', 'x', small], 'mona', 2, /not a record id/],
      [['attach', 'people', String(person.id)], 'mona', 2, /FILE/],
      [['attach', 'people', '999999', small], 'mona', 1, /./],
      [['attach', 'people', String(person.id), small], 'sam', 1, /may not/],
      [['attachment-get', '999999'], 'mona', 1, /./],
    ];
    for (const [args, as, code, msg] of cases) {
      const r = await ctx.cli(args, { as });
      assert.equal(r.code, code, r.describe);
      assert.match(r.stderr, msg, r.describe);
    }
    assert.deepEqual({ rows: await attachmentCount(), blobs: await blobCount() }, before);
  });

  test('isms verify finds a stored file whose bytes were changed', async () => {
    const bytes = Buffer.from(`tamper ${uniq()}`);
    const a = (await uploadRaw(mona, 'people', person.id, bytes, 't.txt')).json;
    const setContent = (b) => ctx.store.sql(`UPDATE blobs SET content = ${ctx.store.kind === 'postgres'
      ? `'\\x${b.toString('hex')}'::bytea` : `x'${b.toString('hex')}'`} WHERE sha256 = '${a.sha256}'`);
    assert.equal((await ctx.cli(['verify'])).code, 0);
    await setContent(Buffer.concat([bytes, Buffer.from([0])]));
    const v = await ctx.cli(['verify']);
    assert.equal(v.code, 1, v.describe);
    assert.ok(v.out.includes(a.sha256), v.describe);
    await setContent(bytes); // put back, the store verifies again
    const again = await ctx.cli(['verify']);
    assert.equal(again.code, 0, again.describe);
  });
});

test('the server exits cleanly', async () => {
  expectSecurityHeaders(await ctx.anon.get('/healthz'));
  await ctx.expectCleanShutdown();
});
