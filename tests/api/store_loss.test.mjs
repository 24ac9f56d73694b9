// store_loss.test.mjs — a database that vanishes or cannot be written while isms serves:
// writes are refused with 503 and nothing is pretended saved, the loss is logged, /healthz
// says why with 503, and `serve` never creates an empty database in place of a missing one.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import {
  Client, createStore, expectError, expectStatus, initStore, runExpectingNoServe, setup,
  STORE_KIND, uniq,
} from './lib.mjs';

const sqliteOnly = { skip: STORE_KIND !== 'sqlite' && 'a SQLite file only' };

describe('serve on a missing database', () => {
  test('refuses (exit 1), says to run isms init, and creates no file', sqliteOnly, async () => {
    const store = await createStore();
    try {
      const r = await runExpectingNoServe(store, ['serve', '--listen', '127.0.0.1:0']);
      assert.equal(r.listened, false, r.describe);
      assert.equal(r.code, 1, r.describe);
      assert.match(r.stderr, /isms init/, r.describe);
      assert.equal(fs.existsSync(store.db), false, 'no empty database was created');
    } finally { await store.cleanup(); }
  });

  test('a PostgreSQL database that does not exist is refused too (exit 1)', { skip: STORE_KIND !== 'postgres' && 'PostgreSQL only' }, async () => {
    const store = await createStore();
    try {
      await initStore(store, {});
      const gone = { ...store, args: ['--database-url', store.url.replace(/\/[^/]+$/, '/isms_no_such_db')] };
      const r = await runExpectingNoServe(gone, ['serve', '--listen', '127.0.0.1:0']);
      assert.equal(r.listened, false, r.describe);
      assert.equal(r.code, 1, r.describe);
    } finally { await store.cleanup(); }
  });
});

describe('the database file removed while serving', sqliteOnly, () => {
  test('writes get 503 and are not lost silently; healthz says why; the loss is logged', async () => {
    const ctx = await setup();
    try {
      const mona = await ctx.login('mona');
      expectStatus(await ctx.anon.get('/healthz'), 200);
      expectStatus(await mona.post('/api/v1/people', { name: uniq('Before') }), 201);
      for (const f of ['', '-wal', '-shm']) fs.rmSync(ctx.store.db + f, { force: true });
      // several writes, so every worker thread (and a fresh connection) is asked
      for (let i = 0; i < 6; i++) {
        const res = await mona.post('/api/v1/people', { name: uniq('Lost') });
        expectError(res, 503, 'unavailable');
        assert.match(res.json.error.message, /removed|replaced|no database/, res.describe());
      }
      // a fresh connection cannot sign in or write either: no new empty file appears
      const fresh = await ctx.loginRaw('sam', 'sam-Secret-Passw0rd');
      assert.ok(fresh.status >= 500 || fresh.status === 401, fresh.describe());
      assert.equal(fs.existsSync(ctx.store.db), false, 'no new empty database file');
      const h = await new Client(ctx.base).get('/healthz');
      assert.equal(h.status, 503, h.describe());
      assert.equal(h.json.status, 'unavailable');
      assert.match(h.json.reason, /removed|no database/, h.describe());
      const r = await ctx.server.stop();
      assert.match(r.stderr, /database file was removed/, r.stderr.slice(-2000));
    } finally { await ctx.teardown(); }
  });

  test('a read-only database file is reported on healthz', async () => {
    const ctx = await setup();
    try {
      fs.chmodSync(ctx.store.db, 0o444);
      const h = await ctx.anon.get('/healthz');
      assert.equal(h.status, 503, h.describe());
      assert.match(h.json.reason, /read-only/, h.describe());
      fs.chmodSync(ctx.store.db, 0o644);
      expectStatus(await ctx.anon.get('/healthz'), 200);
    } finally { await ctx.teardown(); }
  });
});
