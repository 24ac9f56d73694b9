// history_verify.test.mjs — per-record history over the API, and `isms verify` catching
// tampering with the change log and with record rows.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createStore, expectError, expectStatus, initStore, ismsOn, RFC3339_UTC, setup, USERS,
} from './lib.mjs';

let ctx;
let adam;
let alma;

before(async () => {
  ctx = await setup({ users: { ...USERS, alma: { role: 'admin', name: 'Alma Admin' } } });
  adam = await ctx.login('adam');
  alma = await ctx.login('alma');
});
after(async () => { if (ctx) await ctx.teardown(); });

describe('history', () => {
  test('GET …/history lists create, updates and delete oldest first with actor and state', async () => {
    const c = await adam.post('/api/v1/people', { name: 'History Person', department: 'One' });
    expectStatus(c, 201);
    const id = c.json.id;
    expectStatus(await alma.patch(`/api/v1/people/${id}`, { department: 'Two' }), 200);
    expectStatus(await adam.patch(`/api/v1/people/${id}`, { name: 'History Person Renamed' }), 200);

    const mid = await adam.get(`/api/v1/people/${id}/history`);
    expectStatus(mid, 200);
    assert.equal(mid.json.total, 3);
    assert.deepEqual(mid.json.items.map((e) => e.op), ['create', 'update', 'update']);

    expectStatus(await alma.del(`/api/v1/people/${id}`), 204);
    const res = await adam.get(`/api/v1/people/${id}/history`);
    expectStatus(res, 200);
    const { items, total } = res.json;
    assert.equal(total, 4);
    assert.deepEqual(items.map((e) => e.op), ['create', 'update', 'update', 'delete']);
    assert.deepEqual(items.map((e) => e.actor), ['adam', 'alma', 'adam', 'alma']);
    for (const e of items) {
      assert.ok(Number.isInteger(e.seq), `seq: ${JSON.stringify(e)}`);
      assert.match(String(e.at), RFC3339_UTC, `at: ${JSON.stringify(e)}`);
      assert.ok('state' in e, `state: ${JSON.stringify(e)}`);
    }
    for (let i = 1; i < items.length; i++)
      assert.ok(items[i].seq > items[i - 1].seq, 'oldest first, increasing seq');
    // state is the record after the change.
    assert.equal(items[0].state.name, 'History Person');
    assert.equal(items[0].state.department, 'One');
    assert.equal(items[1].state.department, 'Two');
    assert.equal(items[1].state.name, 'History Person');
    assert.equal(items[2].state.name, 'History Person Renamed');
    assert.equal(items[2].state.department, 'Two');
  });

  test('history of one record does not include other records', async () => {
    const a = await adam.post('/api/v1/people', { name: 'Hist A' });
    const b = await adam.post('/api/v1/people', { name: 'Hist B' });
    expectStatus(await adam.patch(`/api/v1/people/${b.json.id}`, { department: 'B' }), 200);
    const h = await adam.get(`/api/v1/people/${a.json.id}/history`);
    expectStatus(h, 200);
    assert.equal(h.json.total, 1);
    assert.deepEqual(h.json.items.map((e) => e.op), ['create']);
    assert.equal(h.json.items[0].state.name, 'Hist A');
  });

  test('history needs authentication', async () => {
    const a = await adam.post('/api/v1/people', { name: 'Hist Auth' });
    expectError(await ctx.anon.get(`/api/v1/people/${a.json.id}/history`), 401, 'unauthenticated');
  });

  test('the server exits 0 on SIGTERM', async () => {
    await ctx.expectCleanShutdown();
  });
});

// A fresh store with a few changes made through the CLI.
async function cliStore() {
  const store = await createStore();
  try {
    await initStore(store, { alice: { role: 'admin', name: 'Alice Admin' } });
    const add = async (...kv) => {
      const r = await ismsOn(store, ['add', 'people', ...kv], { as: 'alice' });
      assert.equal(r.code, 0, r.describe);
      return JSON.parse(r.stdout).id;
    };
    const target = await add('name=Tamper Target', 'email=tamper@example.com');
    const e = await ismsOn(store, ['edit', 'people', String(target), 'department=Sales'], { as: 'alice' });
    assert.equal(e.code, 0, e.describe);
    const second = await add('name=Second Person');
    await add('name=Third Person');
    return { store, target, second };
  } catch (err) {
    await store.cleanup();
    throw err;
  }
}

const verify = (store) => ismsOn(store, ['verify']);

describe('isms verify', () => {
  test('an intact store verifies (exit 0) and reports how many changes it checked', async () => {
    const { store } = await cliStore();
    try {
      const n = Number(await store.sql('SELECT count(*) FROM changes'));
      assert.ok(n >= 4, `expected at least 4 changes, found ${n}`);
      const r = await verify(store);
      assert.equal(r.code, 0, r.describe);
      assert.match(r.out, new RegExp(`\\b${n}\\b[^\\n]*change|change[^\\n]*\\b${n}\\b`, 'i'),
        `verify output must mention ${n} changes: ${r.describe}`);
    } finally { await store.cleanup(); }
  });

  test("(a) a change row's state edited in the DB: exit 1 naming that sequence", async () => {
    const { store } = await cliStore();
    try {
      const seq = Number(await store.sql(
        "SELECT min(seq) FROM changes WHERE state LIKE '%Tamper Target%'"));
      assert.ok(seq > 0, 'found the change to tamper with');
      await store.sql(
        `UPDATE changes SET state = replace(state, 'Tamper Target', 'Tamper Tarzet') WHERE seq = ${seq}`);
      const r = await verify(store);
      assert.equal(r.code, 1, r.describe);
      assert.match(r.out, new RegExp(`sequence ${seq}\\b`), r.describe);
    } finally { await store.cleanup(); }
  });

  test('(b) a change row deleted: exit 1', async () => {
    const { store, second } = await cliStore();
    try {
      const seq = Number(await store.sql(
        "SELECT min(seq) FROM changes WHERE state LIKE '%Second Person%'"));
      assert.ok(seq > 0, `found the change of person ${second}`);
      await store.sql(`DELETE FROM changes WHERE seq = ${seq}`);
      const r = await verify(store);
      assert.equal(r.code, 1, r.describe);
    } finally { await store.cleanup(); }
  });

  test('(b2) the newest change row deleted: exit 1', async () => {
    const { store } = await cliStore();
    try {
      await store.sql('DELETE FROM changes WHERE seq = (SELECT max(seq) FROM changes)');
      const r = await verify(store);
      assert.equal(r.code, 1, r.describe);
    } finally { await store.cleanup(); }
  });

  test('(c) a record row edited in the DB: exit 1', async () => {
    const { store, target } = await cliStore();
    try {
      await store.sql(`UPDATE people SET name = 'X' WHERE id = ${target}`);
      const r = await verify(store);
      assert.equal(r.code, 1, r.describe);
    } finally { await store.cleanup(); }
  });
});

// Accounts' secrets are logged as digests: a password hash or an API token written in the
// database directly is caught like an edited record.
describe('isms verify: credentials and API tokens', () => {
  async function accountsStore() {
    const store = await createStore();
    try {
      await initStore(store, { alice: { role: 'admin', name: 'Alice Admin' },
        stan: { role: 'staff', name: 'Stan Staff' } });
      const t = await ismsOn(store, ['token', 'create', 'alice']);
      assert.equal(t.code, 0, t.describe);
      const id = async (u) => Number(await store.sql(`SELECT id FROM users WHERE username = '${u}'`));
      return { store, alice: await id('alice'), stan: await id('stan') };
    } catch (err) {
      await store.cleanup();
      throw err;
    }
  }

  test('accounts, tokens and their revocation made through isms verify (exit 0)', async () => {
    const { store } = await accountsStore();
    try {
      const t = await ismsOn(store, ['token', 'create', 'stan']);
      assert.equal(t.code, 0, t.describe);
      const d = await ismsOn(store, ['user', 'disable', 'stan']);
      assert.equal(d.code, 0, d.describe);
      assert.equal(await store.sql('SELECT count(*) FROM api_tokens'), '1');
      const r = await verify(store);
      assert.equal(r.code, 0, r.describe);
    } finally { await store.cleanup(); }
  });

  test("an admin's password hash copied onto a staff user: exit 1 naming that user's password", async () => {
    const { store, alice, stan } = await accountsStore();
    try {
      await store.sql(`UPDATE credentials SET hash = (SELECT hash FROM credentials WHERE user_id = ${alice}) ` +
        `WHERE user_id = ${stan}`);
      const r = await verify(store);
      assert.equal(r.code, 1, r.describe);
      assert.match(r.out, new RegExp(`password of user ${stan}\\b`), r.describe);
    } finally { await store.cleanup(); }
  });

  test('an API token row inserted directly: exit 1 naming the token', async () => {
    const { store, stan } = await accountsStore();
    try {
      await store.sql('INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES ' +
        `('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', ${stan}, 'x', ` +
        "'2026-01-01T00:00:00.000Z')");
      const tid = Number(await store.sql('SELECT max(id) FROM api_tokens'));
      const r = await verify(store);
      assert.equal(r.code, 1, r.describe);
      assert.match(r.out, new RegExp(`API token ${tid}\\b[^\\n]*(no change|outside)`), r.describe);
    } finally { await store.cleanup(); }
  });

  test('a token or password row deleted directly, or a token moved to another user: exit 1', async () => {
    const { store, alice, stan } = await accountsStore();
    try {
      await store.sql(`UPDATE api_tokens SET user_id = ${stan} WHERE user_id = ${alice}`);
      const moved = await verify(store);
      assert.equal(moved.code, 1, moved.describe);
      assert.match(moved.out, /API token \d+/, moved.describe);
      await store.sql(`UPDATE api_tokens SET user_id = ${alice} WHERE user_id = ${stan}`);
      assert.equal((await verify(store)).code, 0);
      await store.sql(`DELETE FROM credentials WHERE user_id = ${stan}`);
      const gone = await verify(store);
      assert.equal(gone.code, 1, gone.describe);
      assert.match(gone.out, new RegExp(`password of user ${stan} is missing`), gone.describe);
    } finally { await store.cleanup(); }
  });
});
