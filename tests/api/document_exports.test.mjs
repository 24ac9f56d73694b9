// document_exports.test.mjs — the document register as XLSX/CSV/HTML, the printable page of
// a document version (administrative block, the rendered text without any script, only for
// approved/published/withdrawn versions), and the CLI views of policies: reading,
// acknowledgements, raci and `isms report document-version`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import {
  createPerson, expectError, expectSecurityHeaders, expectStatus, grantAuthority, linkUser, setup, uniq,
  USERS,
} from './lib.mjs';

const D = '/api/v1/documents';
const V = '/api/v1/document-versions';
const EXTRA_USERS = { mia: { role: 'isms_manager', name: 'Mia Manager' } };
const SCRIPT = '<script>window.pwned = 1</script>';

let ctx;
let mona; let mia; let adam; let sam;
let doc; let version; let draft; let pSam;

async function download(client, pathname) {
  const r = await fetch(ctx.base + pathname, { headers: { Cookie: client.cookie } });
  const body = Buffer.from(await r.arrayBuffer());
  return { status: r.status, headers: r.headers, body, text: body.toString('utf8'), json: (() => { try { return JSON.parse(body); } catch { return null; } })() };
}

before(async () => {
  ctx = await setup({ users: { ...USERS, ...EXTRA_USERS } });
  adam = await ctx.login('adam');
  mona = await ctx.login('mona');
  mia = await ctx.login('mia');
  sam = await ctx.login('sam');
  const owner = await createPerson(adam, { name: uniq('Olga Owner') });
  pSam = await createPerson(adam, { name: uniq('Sam Staff') });
  await linkUser(adam, 'sam', pSam.id);
  // mia approves documents through an organizational role her person holds.
  await grantAuthority(adam, 'mia', { approves_documents: true });
  const d = await mona.post(D, { identifier: uniq('POL'), title: 'Backup policy <b>&</b>', kind: 'procedure',
    owner: owner.id, classification: 'confidential', retention_months: 36 });
  expectStatus(d, 201);
  doc = d.json;
  const v = await mona.post(V, { document: doc.id, change_summary: 'First issue',
    body: `# Backups\n\nNightly, encrypted.\n\n${SCRIPT}\n\n[x](javascript:alert(1))` });
  expectStatus(v, 201);
  for (const [who, name] of [[mona, 'submit'], [mia, 'approve'], [mona, 'publish']])
    expectStatus(await who.request('POST', `${V}/${v.json.id}/actions/${name}`), 200);
  version = (await mona.get(`${V}/${v.json.id}`)).json;
  draft = (await mona.post(V, { document: doc.id, body: 'next' })).json;
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('document register', () => {
  test('CSV lists every document with its fields', async () => {
    const r = await download(mona, '/api/v1/reports/document-register.csv');
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-disposition'), /attachment; filename="document-register-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = r.text.split('\r\n');
    assert.match(lines[0], /^ID,Identifier,Title,Kind,/);
    const row = lines.find((l) => l.includes(doc.identifier));
    assert.ok(row, 'the document is a row');
    assert.match(row, /,Confidential,/, 'enum values by their labels, not their keys');
    assert.match(row, /Olga Owner/, 'the owner by name');
  });

  test('XLSX opens and holds the same document', async () => {
    const r = await download(mona, '/api/v1/reports/document-register.xlsx');
    assert.equal(r.status, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.body);
    const ws = wb.worksheets[0];
    let found = false;
    ws.eachRow((row) => { if (row.values.includes(doc.identifier)) found = true; });
    assert.ok(found, 'the identifier is in the sheet');
  });

  test('HTML escapes titles', async () => {
    const r = await download(mona, '/api/v1/reports/document-register.html');
    assert.equal(r.status, 200);
    assert.ok(r.text.includes('Backup policy &lt;b&gt;&amp;&lt;/b&gt;'));
    assert.ok(!r.text.includes('<b>&</b>'));
  });
});

describe('printable document version', () => {
  test('administrative block and text, no script, attachment-free HTML with the CSP', async () => {
    const r = await download(sam, `/api/v1/reports/document-version.html?version=${version.id}`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.match(r.headers.get('content-security-policy'), /script-src 'self'/);
    expectSecurityHeaders({ headers: r.headers });
    for (const want of [doc.identifier, 'Administrative data', 'Olga Owner', 'Mia Manager (ISMS manager)', version.approved_on,
      version.content_hash, 'confidential', 'First issue', '<h1>Backups</h1>'])
      assert.ok(r.text.includes(want), `page shows ${want}`);
    assert.ok(!/<script/i.test(r.text), 'no script element');
    assert.ok(!r.text.includes('javascript:'), 'no javascript: link');
    assert.ok(!r.text.includes('Not the version in force'), 'the published version is in force');
  });

  test('drafts have no printable page; a version id is required; xlsx is not offered', async () => {
    const r = await download(mona, `/api/v1/reports/document-version.html?version=${draft.id}`);
    assert.equal(r.status, 409);
    assert.equal(r.json.error.field, 'version');
    assert.equal((await download(mona, '/api/v1/reports/document-version.html')).status, 400);
    assert.equal((await download(mona, `/api/v1/reports/document-version.xlsx?version=${version.id}`)).status, 404);
    assert.equal((await download(mona, '/api/v1/reports/document-version.html?version=999999')).status, 404);
    expectError(await mona.get('/api/v1/reports/nope.csv'), 404, 'not_found');
  });
});

describe('version diff', () => {
  test('API: the lines the newer version removed and added, with line numbers', async () => {
    const d = await mona.post(D, { identifier: uniq('PRO'), title: 'Diffed', kind: 'procedure' });
    const v1 = await mona.post(V, { document: d.json.id, body: '# A\r\n\r\none\r\ntwo\r\nthree\r\n' });
    for (const [who, name] of [[mona, 'submit'], [mia, 'approve'], [mona, 'publish']])
      expectStatus(await who.request('POST', `${V}/${v1.json.id}/actions/${name}`), 200);
    const v2 = await mona.post(V, { document: d.json.id, body: '# A\n\none\nthree\nfour\n' });
    const r = await sam.get(`${V}/${v2.json.id}/diff?against=${v1.json.id}`);
    expectStatus(r, 200);
    assert.equal(r.json.added, 1);
    assert.equal(r.json.removed, 1);
    assert.equal(r.json.from.number, 1);
    assert.equal(r.json.to.number, 2);
    assert.deepEqual(r.json.lines.map((l) => `${l.op}${l.text}`), [' # A', ' ', ' one', '-two', ' three', '+four']);
    assert.deepEqual(r.json.lines.find((l) => l.op === '-'), { op: '-', text: 'two', old: 4 });
    assert.deepEqual(r.json.lines.find((l) => l.op === '+'), { op: '+', text: 'four', new: 5 });
    expectError(await sam.get(`${V}/${v2.json.id}/diff`), 400, 'invalid', 'against');
    expectError(await sam.get(`${V}/${v2.json.id}/diff?against=${version.id}`), 400, 'invalid', 'against');
    expectError(await sam.get(`${V}/${v2.json.id}/diff?against=999999`), 404, 'not_found');
    const cli = await ctx.cli(['--as', 'sam', 'diff', String(v1.json.id), String(v2.json.id)]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /^--- PRO-.* v1\n\+\+\+ PRO-.* v2\n # A\n \n one\n-two\n three\n\+four\n\(1 added, 1 removed\)\n$/);
    assert.equal((await ctx.cli(['--as', 'sam', 'diff', String(v1.json.id)])).code, 2);
  });
});

describe('CLI', () => {
  test('reading, acknowledge, acknowledgements, raci and the printable version', async () => {
    let r = await ctx.cli(['--as', 'sam', 'reading']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`${doc.identifier}\\s+v1\\s+not yet`));
    r = await ctx.cli(['--as', 'sam', 'act', 'document-versions', String(version.id), 'acknowledge']);
    assert.equal(r.code, 0, r.stderr);
    r = await ctx.cli(['--as', 'sam', 'reading', '--pending', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!JSON.parse(r.stdout).items.some((i) => i.document === doc.id));
    r = await ctx.cli(['--as', 'mona', 'acknowledgements', '--document', String(doc.id)]);
    assert.equal(r.code, 0, r.stderr);
    const p = JSON.parse(r.stdout);
    assert.deepEqual(p.acknowledgements.map((a) => a.person), [pSam.id]);
    r = await ctx.cli(['--as', 'mona', 'acknowledgements', '--document', 'x']);
    assert.equal(r.code, 2);
    r = await ctx.cli(['--as', 'mona', 'raci']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /rows without exactly one accountable role/);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'isms-doc-')), 'v.html');
    r = await ctx.cli(['--as', 'mona', 'report', 'document-version', '--format', 'html', '--version',
      String(version.id), '--output', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fs.readFileSync(out, 'utf8').includes(version.content_hash));
    r = await ctx.cli(['--as', 'mona', 'report', 'document-version', '--format', 'csv', '--version',
      String(version.id), '--output', out + '.csv']);
    assert.notEqual(r.code, 0);
    assert.ok(!fs.existsSync(out + '.csv'), 'nothing written');
  });
});
