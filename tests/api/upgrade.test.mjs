// upgrade.test.mjs — a database made by the previous release (schema version 2, the demo
// organization, made by the test build of isms at commit 47a50ea, which has the test widgets) upgrades to version 3: application-role
// fields give way to organizational roles, SoA versions gain their status, undecided
// requirements become possible, every converted record is logged as "migrate", and
// `isms verify` holds afterwards. SQLite only: the fixture is a SQLite file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { createStore, ismsOn, ROOT, STORE_KIND, startServer, Client, expectStatus } from './lib.mjs';

const sqliteOnly = { skip: STORE_KIND !== 'sqlite' && 'the fixture is a SQLite file' };
let store; let server; let migrated;

before(async () => {
  if (STORE_KIND !== 'sqlite') return;
  store = await createStore();
  const gz = fs.readFileSync(path.join(ROOT, 'tests/api/data/schema2-demo.db.gz'));
  fs.writeFileSync(store.db, zlib.gunzipSync(gz));
  migrated = await ismsOn(store, ['migrate']);
});
after(async () => {
  if (server) await server.stop();
  if (store) await store.cleanup();
});

describe('upgrade from schema version 2', () => {
  test('migrate applies versions 3 and 4 and logs what it changed', sqliteOnly, async () => {
    assert.equal(migrated.code, 0, migrated.out);
    assert.match(migrated.stdout, /schema at version 4 \(2 migrations applied\)/);
    const n = Number(migrated.stdout.match(/(\d+) records? changed by the upgrade/)?.[1]);
    assert.ok(n > 20, `records logged as migrate: ${migrated.stdout}`);
    assert.equal(Number(await store.sql("SELECT count(*) FROM changes WHERE op = 'migrate'")), n);
    const again = await ismsOn(store, ['migrate']);
    assert.match(again.stdout, /0 migrations applied/);
    assert.doesNotMatch(again.stdout, /changed by the upgrade/);
  });

  test('verify holds after the upgrade', sqliteOnly, async () => {
    const v = await ismsOn(store, ['verify']);
    assert.equal(v.code, 0, v.out);
    assert.match(v.stdout, /verified \d+ changes/);
  });

  test('the data is in its new shape', sqliteOnly, async () => {
    assert.equal(await store.sql('SELECT status || \'|\' || title FROM soa_versions WHERE number = 1'), 'approved|SoA version 1');
    const cols = await store.sql("SELECT group_concat(name) FROM pragma_table_info('documents')");
    assert.doesNotMatch(cols, /approver_role/);
    assert.match(cols, /approval_role/);
    assert.doesNotMatch(await store.sql("SELECT group_concat(name) FROM pragma_table_info('risk_methods')"), /acceptance_role/);
    assert.equal(await store.sql("SELECT count(*) FROM documents WHERE audience_roles IS NOT NULL"), '0');
    // A version-1 column refused null: undecided is now possible.
    await store.sql('UPDATE requirements SET addressed = NULL WHERE id = (SELECT min(id) FROM requirements)');
    assert.equal(await store.sql('SELECT count(*) FROM requirements WHERE addressed IS NULL'), '1');
  });

  test('the upgraded database serves, and history shows the migration', sqliteOnly, async () => {
    // Restore the requirement changed by hand above, so verify-related reads stay honest.
    await store.sql('UPDATE requirements SET addressed = 0 WHERE addressed IS NULL');
    server = await startServer(store);
    const admin = new Client(server.base);
    const add = await ismsOn(store, ['user', 'add', 'upg', '--role', 'isms_manager', '--password-stdin'],
      { input: 'Upgrade-Secret-Passw0rd\n' });
    assert.equal(add.code, 0, add.out);
    const login = await admin.post('/api/v1/session', { username: 'upg', password: 'Upgrade-Secret-Passw0rd' });
    expectStatus(login, 200);
    assert.deepEqual(login.json.user.roles, ['isms_manager']);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('isms_session=')).split(';')[0];
    const me = new Client(server.base, { cookie, csrf: login.json.csrf_token });
    const scopes = await me.get('/api/v1/scopes');
    expectStatus(scopes, 200);
    const approved = scopes.json.items.find((x) => x.status === 'approved');
    assert.ok(approved, 'the approved scope stays approved');
    const versions = await me.get('/api/v1/soa-versions');
    expectStatus(versions, 200);
    assert.equal(versions.json.items[0].status, 'approved');
    const hist = await me.get(`/api/v1/soa-versions/${versions.json.items[0].id}/history`);
    expectStatus(hist, 200);
    assert.equal(hist.json.items.at(-1).op, 'migrate');
  });
});
