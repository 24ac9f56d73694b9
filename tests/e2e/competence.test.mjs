// competence.test.mjs — the competence matrix (7.2): a role holder without the competence
// their role requires shows a "Missing" cell (in words, not only colour); following the cell
// to a new training record and saving it turns the cell "Valid". On a 390px phone the matrix
// scrolls sideways inside its own box, with a hint, and the XLSX link is there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, screenshot, settle, expectText,
  apiClient, assertCleanConsole } from './lib.mjs';

let env;
let page;
let mona;
let role;
let comp;

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

before(async () => {
  env = await setup();
  page = await newPage(env);
  mona = await apiClient(env.base, 'mona');
  role = await mona.create('roles', { name: 'Incident lead', responsibilities: 'Leads the response to incidents.' });
  comp = await mona.create('competences', { name: 'Incident command', kind: 'skill' });
  for (let i = 0; i < 6; i++) {
    const extra = await mona.create('competences', { name: `Extra skill ${i + 1}`, kind: 'certification' });
    await mona.create('competence-requirements', { role: role.id, competence: extra.id });
    await mona.create('training-records', { person: env.pat.id, competence: extra.id, obtained_on: day(-30) });
  }
  await mona.create('competence-requirements', { role: role.id, competence: comp.id });
  await mona.create('role-assignments', { person: env.pat.id, role: role.id, starts_on: day(-10) });
});

after(async () => {
  await teardown(env);
});

test('a missing cell turns valid after a training record is added', async () => {
  await signIn(page, env, 'mona');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('list', { name: 'Support' }).getByRole('link', { name: /^Competence matrix/ }).click();
  await page.getByRole('heading', { name: 'Competence matrix', level: 1 }).waitFor();
  await settle(page);
  const row = page.locator(`#competence-matrix tr[data-person="${env.pat.id}"]`);
  await expectText(row.locator('th'), /Pat Owner/);
  const missing = page.getByRole('link', { name: 'Pat Owner, Incident command: missing — add a training record' });
  await expectText(missing, /^Missing$/);
  await expectText(page.locator('.list-summary'), /1 missing/);
  assert.match(await page.locator('#competence-xlsx').getAttribute('href'), /\/api\/v1\/reports\/competence-matrix\.xlsx/);
  await screenshot(page, 'competence-missing');

  // Keyboard: the cell is a link reached with Tab; Enter opens the form, prefilled.
  await missing.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /New training record/i }).waitFor();
  await page.getByLabel('Obtained on').fill(day(-1));
  await page.getByRole('button', { name: 'Create training record' }).click();
  await page.locator('p', { hasText: /^Training record “Pat Owner — Incident command — .*” created/ }).waitFor();

  await page.goto(`${env.base}/#/competence`);
  await page.getByRole('heading', { name: 'Competence matrix', level: 1 }).waitFor();
  await settle(page);
  const cell = page.locator(`#competence-matrix tr[data-person="${env.pat.id}"] td`).last();
  await expectText(cell, /^Valid$/);
  await expectText(page.locator('.list-summary'), /0 missing/);
  assertCleanConsole(env);
});

test('on a 390px phone the matrix scrolls sideways with a hint', async () => {
  const phone = await newPage(env, { viewport: { width: 390, height: 800 } });
  // The browser profile is shared: the phone tab is signed in already.
  await phone.goto(`${env.base}/#/competence`);
  await phone.getByRole('heading', { name: 'Competence matrix', level: 1 }).waitFor();
  await settle(phone);
  await phone.locator('#competence-hint').waitFor({ state: 'visible' });
  const wrap = phone.locator('.competence-wrap');
  const { scroll, client, page: pageWidth } = await wrap.evaluate((el) => ({
    scroll: el.scrollWidth, client: el.clientWidth, page: document.documentElement.scrollWidth }));
  assert.ok(scroll > client, `the table is wider than its box (${scroll} > ${client})`);
  assert.ok(pageWidth <= 390 + 1, `the page itself does not scroll sideways (${pageWidth})`);
  assert.equal(await wrap.getAttribute('tabindex'), '0', 'the scrolling box takes focus for the keyboard');
  await screenshot(phone, 'competence-phone');
  await phone.close();
  assertCleanConsole(env);
});
