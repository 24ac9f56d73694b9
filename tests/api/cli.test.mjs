// cli.test.mjs — the command line: help and usage errors, record commands, users, schema safety.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  createStore, initStore, ismsOn, ismsRaw, runExpectingNoServe, STORE_KIND,
} from './lib.mjs';

let store;
let scratch; // a cwd for commands run without a store
const CLI_USERS = {
  alice: { role: 'admin', name: 'Alice Admin' },
  staffuser: { role: 'staff', name: 'Stan Staff' },
};

before(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'isms-cli-'));
  store = await createStore();
  await initStore(store, CLI_USERS);
});
after(async () => {
  if (store) await store.cleanup();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

const isms = (args, opts) => ismsOn(store, args, opts);
const asAlice = (args) => isms(args, { as: 'alice' });
const mentions = (text, word) => new RegExp(`\\b${word}\\b`).test(text);

describe('help and usage', () => {
  test('isms --help exits 0 and prints usage', async () => {
    const r = await ismsRaw(['--help'], { cwd: scratch });
    assert.equal(r.code, 0, r.describe);
    assert.match(r.stdout, /usage/i, r.describe);
    for (const cmd of ['init', 'serve', 'add', 'list', 'verify'])
      assert.ok(mentions(r.stdout, cmd), `top-level help should list ${cmd}: ${r.describe}`);
  });

  for (const cmd of ['init', 'serve', 'user', 'token', 'add', 'show', 'edit', 'list', 'rm',
    'history', 'verify']) {
    test(`isms ${cmd} --help exits 0 and prints usage`, async () => {
      const r = await ismsRaw([cmd, '--help'], { cwd: scratch });
      assert.equal(r.code, 0, r.describe);
      assert.match(r.stdout, /usage/i, r.describe);
      assert.ok(r.stdout.includes(cmd), `usage of ${cmd} should name it: ${r.describe}`);
    });
  }

  test('an unknown command exits 2', async () => {
    const r = await ismsRaw(['frobnicate'], { cwd: scratch });
    assert.equal(r.code, 2, r.describe);
    assert.ok(r.stderr.trim().length > 0, `a message on stderr: ${r.describe}`);
    const r2 = await isms(['frobnicate']);
    assert.equal(r2.code, 2, r2.describe);
  });

  test('an unknown global option exits 2', async () => {
    const r = await ismsRaw(['--no-such-option', 'list', 'people'], { cwd: scratch });
    assert.equal(r.code, 2, r.describe);
  });
});

describe('record commands', () => {
  let ann;

  test('add prints the created record as JSON', async () => {
    const r = await asAlice(['add', 'people', 'name=Ann Lee', 'email=ann@example.com']);
    assert.equal(r.code, 0, r.describe);
    const rec = JSON.parse(r.stdout);
    assert.ok(Number.isInteger(rec.id), r.describe);
    assert.equal(rec.name, 'Ann Lee');
    assert.equal(rec.email, 'ann@example.com');
    assert.equal(rec.version, 1);
    ann = rec.id;
  });

  test('show prints the record as JSON', async () => {
    const r = await asAlice(['show', 'people', String(ann)]);
    assert.equal(r.code, 0, r.describe);
    const rec = JSON.parse(r.stdout);
    assert.equal(rec.id, ann);
    assert.equal(rec.name, 'Ann Lee');
  });

  test('edit changes fields', async () => {
    const r = await asAlice(['edit', 'people', String(ann), 'department=Sales']);
    assert.equal(r.code, 0, r.describe);
    const rec = JSON.parse((await asAlice(['show', 'people', String(ann)])).stdout);
    assert.equal(rec.department, 'Sales');
    assert.equal(rec.version, 2);
  });

  test('list --json prints {items,total}; list with a filter selects', async () => {
    const b = await asAlice(['add', 'people', 'name=Bob Brown', 'department=Engineering']);
    assert.equal(b.code, 0, b.describe);
    const r = await asAlice(['list', 'people', '--json']);
    assert.equal(r.code, 0, r.describe);
    const body = JSON.parse(r.stdout);
    assert.ok(Array.isArray(body.items), r.describe);
    assert.ok(Number.isInteger(body.total), r.describe);
    const names = body.items.map((p) => p.name);
    assert.ok(names.includes('Ann Lee') && names.includes('Bob Brown'), r.describe);
    assert.equal(body.total, body.items.length);

    const f = await asAlice(['list', 'people', 'department=Sales']);
    assert.equal(f.code, 0, f.describe);
    assert.ok(f.stdout.includes('Ann Lee'), f.describe);
    assert.ok(!f.stdout.includes('Bob Brown'), `filter must exclude Bob: ${f.describe}`);
  });

  test('history lists the changes of a record', async () => {
    const r = await asAlice(['history', 'people', String(ann)]);
    assert.equal(r.code, 0, r.describe);
    assert.ok(mentions(r.stdout, 'create'), r.describe);
    assert.ok(mentions(r.stdout, 'update'), r.describe);
    assert.ok(r.stdout.includes('alice'), `history names the actor: ${r.describe}`);
  });

  test('rm deletes; show then fails', async () => {
    const r = await asAlice(['rm', 'people', String(ann)]);
    assert.equal(r.code, 0, r.describe);
    const s = await asAlice(['show', 'people', String(ann)]);
    assert.equal(s.code, 1, s.describe);
  });

  test('bad input exits 1 with a message naming the field; nothing is stored', async () => {
    const r = await asAlice(['add', 'people', 'email=x']);
    assert.equal(r.code, 1, r.describe);
    assert.ok(mentions(r.out, 'name'), `message should name the field "name": ${r.describe}`);
    const e = await asAlice(['add', 'people', 'name=Eve Bad', 'email=x']);
    assert.equal(e.code, 1, e.describe);
    assert.ok(mentions(e.out, 'email'), `message should name "email": ${e.describe}`);
    const u = await asAlice(['add', 'people', 'name=Eve Bad', 'shoe_size=44']);
    assert.equal(u.code, 1, u.describe);
    assert.ok(u.out.includes('shoe_size'), `message should name "shoe_size": ${u.describe}`);
    const l = JSON.parse((await asAlice(['list', 'people', '--json'])).stdout);
    assert.ok(!l.items.some((p) => p.name === 'Eve Bad'), 'nothing stored');
  });

  test('an unknown record type exits 1 or 2 with a message', async () => {
    const r = await asAlice(['add', 'nonsense', 'name=x']);
    assert.ok(r.code === 1 || r.code === 2, r.describe);
    assert.ok(r.stderr.trim().length > 0, r.describe);
    const l = await asAlice(['list', 'nonsense']);
    assert.ok(l.code === 1 || l.code === 2, l.describe);
  });

  test('a user without write rights gets exit 1 (forbidden)', async () => {
    const r = await isms(['add', 'people', 'name=Staff Made'], { as: 'staffuser' });
    assert.equal(r.code, 1, r.describe);
    assert.ok(r.stderr.trim().length > 0, r.describe);
    const l = await isms(['list', 'people', '--json'], { as: 'staffuser' });
    assert.equal(l.code, 0, `staff can read: ${l.describe}`);
    assert.ok(!JSON.parse(l.stdout).items.some((p) => p.name === 'Staff Made'), 'nothing stored');
  });

  test('--as a name that is not an isms user exits 1', async () => {
    const r = await isms(['add', 'people', 'name=Nobody Made'], { as: 'nobody' });
    assert.equal(r.code, 1, r.describe);
    const l = await isms(['list', 'people'], { as: 'nobody' });
    assert.equal(l.code, 1, l.describe);
  });
});

describe('users', () => {
  test('user list shows the users', async () => {
    const r = await isms(['user', 'list']);
    assert.equal(r.code, 0, r.describe);
    for (const u of ['admin', 'alice', 'staffuser']) assert.ok(mentions(r.stdout, u), `${u}: ${r.describe}`);
    assert.ok(!/argon2/i.test(r.out), 'no password hashes in user list');
  });

  test('user add with a too-short password or an unknown role fails', async () => {
    const short = await isms(['user', 'add', 'shorty', '--role', 'staff', '--name', 'Short',
      '--password-stdin'], { input: 'short\n' });
    assert.equal(short.code, 1, short.describe);
    const role = await isms(['user', 'add', 'roley', '--role', 'emperor', '--name', 'Role',
      '--password-stdin'], { input: 'long-enough-password\n' });
    assert.ok(role.code === 1 || role.code === 2, role.describe);
    const list = await isms(['user', 'list']);
    assert.ok(!mentions(list.stdout, 'shorty') && !mentions(list.stdout, 'roley'), list.describe);
  });
});

describe('schema safety', () => {
  test('a schema newer than the binary: serve and list exit 1 saying so', async () => {
    const s = await createStore();
    try {
      await initStore(s, { alice: { role: 'admin', name: 'Alice Admin' } });
      await s.sql('UPDATE schema_version SET version = 999');
      const serve = await runExpectingNoServe(s, ['serve', '--listen', '127.0.0.1:0']);
      assert.equal(serve.listened, false, `serve must not start: ${serve.describe}`);
      assert.equal(serve.code, 1, serve.describe);
      assert.match(serve.out, /newer/i, serve.describe);
      assert.match(serve.out, /schema/i, serve.describe);
      const list = await ismsOn(s, ['list', 'people'], { as: 'alice' });
      assert.equal(list.code, 1, list.describe);
      assert.match(list.out, /newer/i, list.describe);
      assert.match(list.out, /schema/i, list.describe);
    } finally { await s.cleanup(); }
  });

  test(`a store that already has a people table: init exits 1, then serve exits 1 (${STORE_KIND})`, async () => {
    const s = await createStore();
    try {
      await s.sql('CREATE TABLE people (x integer)');
      const init = await ismsOn(s, ['init']);
      assert.equal(init.code, 1, init.describe);
      const serve = await runExpectingNoServe(s, ['serve', '--listen', '127.0.0.1:0']);
      assert.equal(serve.listened, false, `serve must not start: ${serve.describe}`);
      assert.equal(serve.code, 1, serve.describe);
    } finally { await s.cleanup(); }
  });
});
