// views.test.mjs — declared views and their derived faces, shown on the example view of the
// test module (tests/support/widget_tally.c): declaring it there and listing it in its
// module is all it took to get the HTTP route, the OpenAPI entry, /api/v1/meta and the CLI.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createWidget, expectError, expectStatus, setup } from './lib.mjs';

let ctx, mona, sam;

before(async () => {
  ctx = await setup();
  [mona, sam] = await Promise.all(['mona', 'sam'].map((u) => ctx.login(u)));
  for (const kind of ['alpha', 'beta', 'beta', 'gamma', 'gamma', 'gamma']) await createWidget(mona, { kind });
  await createWidget(mona, {}); // no kind: counted nowhere
});
after(async () => { await ctx.expectCleanShutdown(); });

describe('the example view over HTTP', () => {
  test('answers JSON at /api/v1/reports/NAME', async () => {
    const r = await sam.get('/api/v1/reports/widget-tally');
    expectStatus(r, 200);
    assert.deepEqual(r.json, { kinds: { alpha: 1, beta: 2, gamma: 3 }, total: 6 });
  });

  test('takes its declared parameter, parsed strictly', async () => {
    const r = await sam.get('/api/v1/reports/widget-tally?kind=beta');
    assert.deepEqual(r.json, { kinds: { beta: 2 }, total: 2 });
    expectError(await sam.get('/api/v1/reports/widget-tally?kind=delta'), 400, 'invalid', 'kind');
    expectError(await sam.get('/api/v1/reports/widget-tally?kind='), 400, 'invalid', 'kind');
  });

  test('refuses a parameter it does not declare, and formats it does not have', async () => {
    expectError(await sam.get('/api/v1/reports/widget-tally?limit=10abc'), 400, 'invalid', 'limit');
    expectError(await sam.get('/api/v1/reports/widget-tally.xlsx'), 404, 'not_found');
    expectError(await sam.get('/api/v1/reports/widget-tallies'), 404, 'not_found');
  });

  test('needs a sign-in', async () => {
    expectError(await ctx.anon.get('/api/v1/reports/widget-tally'), 401, 'unauthenticated');
  });
});

describe('derived descriptions', () => {
  test('the OpenAPI document describes it with its parameter and output', async () => {
    const doc = (await ctx.anon.get('/api/v1/openapi.json')).json;
    const get = doc.paths['/api/v1/reports/widget-tally']?.get;
    assert.ok(get, 'the path is described');
    const kind = get.parameters.find((p) => p.name === 'kind');
    assert.deepEqual([kind.in, kind.required, kind.schema.enum], ['query', false, ['alpha', 'beta', 'gamma']]);
    const schema = get.responses['200'].content['application/json'].schema;
    assert.deepEqual(schema.required, ['kinds', 'total']);
  });

  test('/api/v1/meta lists every view, the example with its parameter', async () => {
    const meta = (await sam.get('/api/v1/meta')).json;
    const v = meta.views.find((x) => x.name === 'widget-tally');
    assert.ok(v, 'listed');
    assert.deepEqual([v.title, v.path, v.json, v.formats], ['Widget tally', '/api/v1/reports/widget-tally', true, []]);
    assert.deepEqual(v.params.map((p) => [p.name, p.required]), [['kind', false]]);
    for (const name of ['raci', 'reading', 'due', 'policy-checks', 'soa', 'heatmap', 'diff'])
      assert.ok(meta.views.some((x) => x.name === name), `${name} in meta.views`);
    assert.equal(meta.role_labels.isms_manager, 'ISMS manager');
  });
});

describe('the example view on the command line', () => {
  test('prints text for people, JSON with --json', async () => {
    let r = await ctx.cli(['widget-tally'], { as: 'sam' });
    assert.equal(r.code, 0, r.describe);
    assert.match(r.stdout, /gamma\s+3/);
    assert.match(r.stdout, /\(6 widgets\)/);
    r = await ctx.cli(['widget-tally', '--kind', 'beta', '--json'], { as: 'sam' });
    assert.equal(r.code, 0, r.describe);
    assert.deepEqual(JSON.parse(r.stdout), { kinds: { beta: 2 }, total: 2 });
  });

  test('usage errors exit 2 with the API\'s message; --help describes it', async () => {
    let r = await ctx.cli(['widget-tally', '--kind', 'delta'], { as: 'sam' });
    assert.equal(r.code, 2, r.describe);
    assert.match(r.stderr, /kind must be one of: alpha, beta, gamma/);
    r = await ctx.cli(['widget-tally', 'extra'], { as: 'sam' });
    assert.equal(r.code, 2, r.describe);
    r = await ctx.cli(['widget-tally', '--limit', '3'], { as: 'sam' });
    assert.equal(r.code, 2, r.describe);
    r = await ctx.cli(['widget-tally', '--help']);
    assert.equal(r.code, 0, r.describe);
    assert.match(r.stdout, /usage: isms widget-tally \[--kind VALUE\] \[--json\]/);
    r = await ctx.cli(['--help']);
    assert.match(r.stdout, /widget-tally\s+Widget tally/);
  });
});

describe('the change log as a view', () => {
  test('GET /api/v1/changes parses its numbers strictly', async () => {
    for (const bad of ['10abc', '0', '501', ' 5', '1e2'])
      expectError(await mona.get(`/api/v1/changes?limit=${encodeURIComponent(bad)}`), 400, 'invalid', 'limit');
    expectError(await mona.get('/api/v1/changes?offset=-1'), 400, 'invalid', 'offset');
    const r = await mona.get('/api/v1/changes?limit=2&type=test-widgets');
    expectStatus(r, 200);
    assert.equal(r.json.items.length, 2);
    assert.ok(r.json.total >= 7);
    assert.ok(r.json.items.every((i) => i.type === 'test-widgets'));
  });

  test('isms changes prints the same feed', async () => {
    const api = (await mona.get('/api/v1/changes?limit=3&actor=mona')).json;
    const r = await ctx.cli(['changes', '--limit', '3', '--actor', 'mona', '--json'], { as: 'mona' });
    assert.equal(r.code, 0, r.describe);
    assert.deepEqual(JSON.parse(r.stdout), api);
    const text = await ctx.cli(['changes', '--limit', '1'], { as: 'mona' });
    assert.match(text.stdout, /\(1 of \d+ changes\)/);
    assert.equal((await ctx.cli(['changes', '--limit', '10abc'], { as: 'mona' })).code, 2);
  });
});
