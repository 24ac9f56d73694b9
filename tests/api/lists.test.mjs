// lists.test.mjs — {items,total}, q=, sort=, limit/offset, equality filters.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createPerson, createWidget, expectError, expectRecord, expectStatus, setup } from './lib.mjs';

let ctx;
let api; // bearer client, role admin
let p1;
let p2;
let p3;
const BULK = 56; // + 4 seeds = 60 widgets, more than the default limit of 50
const TOTAL = BULK + 4;

before(async () => {
  ctx = await setup({ tokens: ['adam'] });
  api = ctx.tokenClient(ctx.tokens.adam);
  p1 = await createPerson(api, { name: 'List Person One' });
  p2 = await createPerson(api, { name: 'List Person Two' });
  p3 = await createPerson(api, { name: 'List Person Three' });
  await createWidget(api, { title: 'seed Alpha Report', kind: 'alpha', count: 10, flag: true,
    owner: p1.id, members: [p1.id, p2.id], due: '2026-03-01' });
  await createWidget(api, { title: 'seed beta plan', kind: 'beta', count: 9, flag: false,
    owner: p2.id, members: [p3.id], due: '2026-04-01' });
  await createWidget(api, { title: 'seed Gamma REPORT', kind: 'gamma', count: 100, flag: true,
    owner: p1.id, members: [p2.id, p3.id], due: '2026-03-01' });
  await createWidget(api, { title: 'seed delta notes', kind: 'beta', count: 50, flag: false,
    owner: p3.id, members: [] });
  for (let i = 0; i < BULK; i++) await createWidget(api, { title: `bulk-${String(i).padStart(3, '0')}` });

  // People for department/active filters.
  for (const [name, department, active] of [
    ['Sales Sue', 'Sales', true], ['Sales Sid', 'Sales', true], ['Sales Sam', 'Sales', false],
    ['Eng Eve', 'Engineering', true], ['Eng Ed', 'Engineering', false],
  ]) await createPerson(api, { name, department, active });
});
after(async () => { if (ctx) await ctx.teardown(); });

async function list(query) {
  const res = await api.get(`/api/v1/test-widgets${query}`);
  expectStatus(res, 200);
  assert.ok(Array.isArray(res.json.items), `items: ${res.describe()}`);
  assert.ok(Number.isInteger(res.json.total), `total: ${res.describe()}`);
  return res.json;
}
const titles = (body) => body.items.map((w) => w.title);
const sorted = (a) => [...a].sort();

test('a list is {items,total}; the default limit is 50 and total counts all', async () => {
  const body = await list('');
  assert.equal(body.total, TOTAL);
  assert.equal(body.items.length, 50);
  for (const w of body.items) expectRecord(w, 'list item');
});

test('limit up to 500 is allowed; 501 gives 400 field limit', async () => {
  const all = await list('?limit=500');
  assert.equal(all.items.length, TOTAL);
  assert.equal(all.total, TOTAL);
  assert.equal(new Set(all.items.map((w) => w.id)).size, TOTAL, 'no duplicates');
  expectError(await api.get('/api/v1/test-widgets?limit=501'), 400, 'invalid', 'limit');
});

test('limit and offset page through a sorted list; total stays the number of matches', async () => {
  const all = await list('?sort=title&limit=500');
  const page = await list('?sort=title&limit=7&offset=3');
  assert.equal(page.total, TOTAL);
  assert.deepEqual(titles(page), titles(all).slice(3, 10));
  const tail = await list(`?sort=title&limit=10&offset=${TOTAL - 4}`);
  assert.deepEqual(titles(tail), titles(all).slice(TOTAL - 4));
  assert.equal(tail.total, TOTAL);
  const beyond = await list('?offset=1000');
  assert.deepEqual(beyond.items, []);
  assert.equal(beyond.total, TOTAL);
});

test('sort=field ascending and sort=-field descending', async () => {
  const asc = titles(await list('?q=bulk&sort=title&limit=500'));
  assert.equal(asc.length, BULK);
  assert.deepEqual(asc, sorted(asc));
  assert.equal(asc[0], 'bulk-000');
  const desc = titles(await list('?q=bulk&sort=-title&limit=500'));
  assert.deepEqual(desc, [...asc].reverse());
  // Integers sort as numbers, not as text.
  const byCount = (await list('?q=seed&sort=count')).items.map((w) => w.count);
  assert.deepEqual(byCount, [9, 10, 50, 100]);
  const byCountDesc = (await list('?q=seed&sort=-count')).items.map((w) => w.count);
  assert.deepEqual(byCountDesc, [100, 50, 10, 9]);
});

test('q= is a case-insensitive substring search over searchable fields', async () => {
  const want = ['seed Alpha Report', 'seed Gamma REPORT'];
  for (const q of ['report', 'REPORT', 'RePoRt', 'epor']) {
    const body = await list(`?q=${q}`);
    assert.deepEqual(sorted(titles(body)), sorted(want), `q=${q}`);
    assert.equal(body.total, 2, `q=${q}`);
  }
  const tenBulk = await list('?q=bulk-00');
  assert.equal(tenBulk.total, 10);
  assert.equal((await list('?q=nothing-matches-this')).total, 0);
});

test('equality filters on enum, reference, references, bool and date fields', async () => {
  const check = async (query, want) => {
    const body = await list(query);
    assert.deepEqual(sorted(titles(body)), sorted(want), query);
    assert.equal(body.total, want.length, `${query} total`);
  };
  await check('?kind=beta', ['seed beta plan', 'seed delta notes']);
  await check('?kind=alpha', ['seed Alpha Report']);
  await check(`?owner=${p1.id}`, ['seed Alpha Report', 'seed Gamma REPORT']);
  await check(`?owner=${p3.id}`, ['seed delta notes']);
  await check(`?members=${p3.id}`, ['seed beta plan', 'seed Gamma REPORT']);
  await check(`?members=${p1.id}`, ['seed Alpha Report']);
  await check('?flag=true', ['seed Alpha Report', 'seed Gamma REPORT']);
  // (unset bools of the bulk widgets may read as false: restrict to the seeds)
  await check('?q=seed&flag=false', ['seed beta plan', 'seed delta notes']);
  await check('?due=2026-03-01', ['seed Alpha Report', 'seed Gamma REPORT']);
});

test('filters, q, sort and paging combine', async () => {
  const body = await list('?q=seed&kind=beta&sort=-count');
  assert.deepEqual(titles(body), ['seed delta notes', 'seed beta plan']);
  const paged = await list(`?q=report&owner=${p1.id}&sort=count&limit=1&offset=1`);
  assert.deepEqual(titles(paged), ['seed Gamma REPORT']);
  assert.equal(paged.total, 2);
});

test('people filters: department and active', async () => {
  const sales = await api.get('/api/v1/people?department=Sales&sort=name');
  expectStatus(sales, 200);
  assert.deepEqual(sales.json.items.map((p) => p.name), ['Sales Sam', 'Sales Sid', 'Sales Sue']);
  assert.equal(sales.json.total, 3);
  const inactive = await api.get('/api/v1/people?active=false&sort=-name');
  expectStatus(inactive, 200);
  assert.deepEqual(inactive.json.items.map((p) => p.name), ['Sales Sam', 'Eng Ed']);
  assert.equal(inactive.json.total, 2);
  const activeSales = await api.get('/api/v1/people?department=Sales&active=true');
  assert.deepEqual(sorted(activeSales.json.items.map((p) => p.name)), ['Sales Sid', 'Sales Sue']);
});

test('an unknown sort or filter field gives 400 naming it', async () => {
  const names = (res, name) => {
    expectError(res, 400, 'invalid');
    assert.ok(res.json.error.field === name || res.json.error.message.includes(name),
      `error must name ${name}: ${res.describe()}`);
  };
  names(await api.get('/api/v1/test-widgets?sort=nonexistent'), 'nonexistent');
  names(await api.get('/api/v1/test-widgets?sort=-nonexistent'), 'nonexistent');
  names(await api.get('/api/v1/test-widgets?colour=red'), 'colour');
  names(await api.get('/api/v1/people?favourite_food=x'), 'favourite_food');
});

test('the server exits 0 on SIGTERM', async () => {
  await ctx.expectCleanShutdown();
});
