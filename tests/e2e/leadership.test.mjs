// leadership.test.mjs — roles and the RACI matrix (5.3): the roles page names who holds each
// role and warns while a duty of 5.3 is unassigned; in the RACI matrix an ISMS manager sets
// letters in place, a second accountable role in a row is refused with the server's message
// and leaves the matrix as it was, and rows without one accountable role are marked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, signOut, screenshot, settle, expectText, expectCount,
  apiClient, assertCleanConsole } from './lib.mjs';

let env;
let page;
let mona;
let officer;
let ceo;
let riskProcess;
let auditProcess;

const today = () => new Date().toISOString().slice(0, 10);

before(async () => {
  env = await setup();
  page = await newPage(env);
  mona = await apiClient(env.base, 'mona');
  officer = await mona.create('roles', { name: 'Security officer', ensures_conformity: true,
    responsibilities: 'Runs the ISMS day to day.\nKeeps the risk register current.',
    authorities: 'May stop a release with an open critical risk.' });
  ceo = await mona.create('roles', { name: 'Chief executive', top_management: true,
    responsibilities: 'Directs the organization.' });
  await mona.patch('roles', officer.id, officer.version, { reports_to: ceo.id });
  riskProcess = await mona.create('processes', { name: 'Risk assessment' });
  auditProcess = await mona.create('processes', { name: 'Internal audit' });
});

after(async () => {
  await teardown(env);
});

test('the roles page shows duties, reporting lines and a holder after an assignment', async () => {
  await signIn(page, env, 'mona');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: /^Roles/ }).click();
  await page.getByRole('heading', { name: 'Roles', level: 1 }).waitFor();
  await settle(page);
  // Nobody reports on performance yet: the page says so.
  await expectText(page.locator('#roles-duties'), /reporting on the performance of the ISMS/);
  const card = page.locator(`.role-card[data-role="${officer.id}"]`);
  await expectText(card, /Ensures conformity[\s\S]*Reports to Chief executive[\s\S]*Runs the ISMS day to day/);
  await expectText(card.locator('.role-holders'), /Nobody holds this role today/);
  assert.equal(await card.getByRole('link', { name: 'Assign Security officer' }).getAttribute('href'),
    `#/t/role-assignments/new?role=${officer.id}`);
  await page.getByRole('link', { name: 'New role' }).waitFor();

  await mona.create('role-assignments', { person: env.pat.id, role: officer.id, starts_on: today() });
  await page.reload();
  await page.getByRole('heading', { name: 'Roles', level: 1 }).waitFor();
  await settle(page);
  const holder = page.locator(`.role-card[data-role="${officer.id}"] .role-holders`).getByRole('link', { name: 'Pat Owner' });
  await holder.waitFor();
  await screenshot(page, 'roles');
  await holder.click();
  await page.getByRole('heading', { name: 'Pat Owner', level: 1 }).waitFor();
  assertCleanConsole(env);
});

test('RACI: one accountable role a row; a second is refused and the matrix stays as it was', async () => {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: /RACI matrix/ }).click();
  await page.getByRole('heading', { name: 'RACI matrix', level: 1 }).waitFor();
  await settle(page);
  await expectText(page.locator('.raci-summary'), /2 rows · 2 roles · 2 without exactly one accountable role/);
  const row = page.locator(`tr[data-row="process:${riskProcess.id}"]`);
  const audit = page.locator('tr.raci-row', { hasText: 'Internal audit' });
  await expectText(row.locator('.raci-marker'), /^No accountable$/);

  await page.getByLabel('Chief executive for Risk assessment').selectOption('accountable');
  await settle(page);
  await expectCount(row.locator('.raci-marker'), 0);
  await expectText(page.locator('.raci-summary'), /1 without exactly one accountable role/);
  await expectText(audit.locator('.raci-marker'), /^No accountable$/);

  // A second accountable role in the same row: the server refuses, the page says why.
  await page.getByLabel('Security officer for Risk assessment').selectOption('accountable');
  await settle(page);
  await expectText(row.locator('.raci-error'), /already has an accountable role/);
  assert.equal(await page.getByLabel('Security officer for Risk assessment').inputValue(), '');
  assert.equal(await page.getByLabel('Chief executive for Risk assessment').inputValue(), 'accountable');
  await expectCount(row.locator('.raci-marker'), 0);
  await screenshot(page, 'raci-refused');
  let entries = await mona.get(`raci?process=${riskProcess.id}`);
  assert.deepEqual(entries.json.items.map((e) => e.assignment), ['accountable']);

  // Responsible, then consulted (a change of the entry), then none (deleting it).
  const officerCell = page.getByLabel('Security officer for Risk assessment');
  await officerCell.selectOption('responsible');
  await settle(page);
  await expectCount(row.locator('.raci-error'), 0);
  await officerCell.selectOption('consulted');
  await settle(page);
  entries = await mona.get(`raci?process=${riskProcess.id}&role=${officer.id}`);
  assert.equal(entries.json.items[0].assignment, 'consulted');
  await officerCell.selectOption('');
  await settle(page);
  entries = await mona.get(`raci?process=${riskProcess.id}&role=${officer.id}`);
  assert.equal(entries.json.total, 0);

  // Filtering by text; only the gaps.
  await page.getByLabel('Filter', { exact: true }).fill('audit');
  await expectCount(page.locator('tr.raci-row:visible'), 1);
  await page.getByLabel('Filter', { exact: true }).fill('');
  await page.getByLabel('Only rows without one accountable').check();
  await expectCount(page.locator('tr.raci-row:visible'), 1);
  await expectText(page.locator('tr.raci-row:visible'), /Internal audit/);
  assertCleanConsole(env);
});

test('RACI by keyboard: stepping through the letters saves only the one chosen', async () => {
  await page.goto(`${env.base}/#/raci`);
  await page.getByRole('heading', { name: 'RACI matrix', level: 1 }).waitFor();
  await settle(page);
  const cell = page.getByLabel('Chief executive for Internal audit');
  await cell.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown'); // R, A, then C
  await page.keyboard.press('Enter');
  await settle(page);
  await expectText(page.locator(`tr[data-row="process:${auditProcess.id}"]`).locator('.raci-marker'), /^No accountable$/);
  const entries = await mona.get(`raci?process=${auditProcess.id}&role=${ceo.id}`);
  assert.deepEqual(entries.json.items.map((e) => e.assignment), ['consulted']);
  const history = await mona.get(`raci/${entries.json.items[0].id}/history`);
  assert.deepEqual(history.json.items.map((h) => h.op), ['create'], 'one write, not one per step');
  assertCleanConsole(env);
});

test('staff read the matrix as letters with their words, and a phone gets a usable layout', async () => {
  await signOut(page);
  await signIn(page, env, 'sam');
  await page.goto(`${env.base}/#/raci`);
  await page.getByRole('heading', { name: 'RACI matrix', level: 1 }).waitFor();
  await settle(page);
  assert.equal(await page.locator('select.raci-select').count(), 0, 'no editing for staff');
  const row = page.locator(`tr[data-row="process:${riskProcess.id}"]`);
  await expectText(row.locator('.raci-letter'), /^A$/);
  await expectText(row.locator('.sr-only').first(), /^Accountable$/);
  const phone = await newPage(env, { viewport: { width: 390, height: 800 } });
  await phone.goto(`${env.base}/#/roles`);
  await phone.getByRole('heading', { name: 'Roles', level: 1 }).waitFor();
  await screenshot(phone, 'roles-phone');
  await phone.goto(`${env.base}/#/raci`);
  await phone.getByRole('heading', { name: 'RACI matrix', level: 1 }).waitFor();
  await screenshot(phone, 'raci-phone');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page does not scroll sideways (the table scrolls in its box): ${overflow}`);
  await phone.close();
  assertCleanConsole(env);
});

test('a role\'s Markdown shows formatted on its page, and no script in it runs', async () => {
  const role = await mona.create('roles', { name: 'Markdown role',
    responsibilities: '**Keeps** the register.\n\n- one\n- two\n\n<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">' });
  await signOut(page);
  await signIn(page, env, 'mona');
  await page.goto(`${env.base}/#/t/roles/${role.id}`);
  await page.getByRole('heading', { name: 'Markdown role', level: 1 }).waitFor();
  const dd = page.locator('.kv[data-field="responsibilities"] dd');
  await expectText(dd.locator('strong'), /^Keeps$/);
  await expectCount(dd.locator('li'), 2);
  await expectCount(dd.locator('script, img'), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await signOut(page);
  assertCleanConsole(env);
});
