// improvements.test.mjs — continual improvement (10.1) in the browser: an improvement made
// from the form (source, owner picked by name), taken through its dated workflow with the
// record page's buttons (approve, start, mark done — the result is required and the refusal
// names it), then found in the register with its status.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, screenshot, expectText, assertCleanConsole } from './lib.mjs';

let env;
let page;

before(async () => {
  env = await setup();
  page = await newPage(env);
});

after(async () => {
  await teardown(env);
});

// Takes the record page's workflow action named label, filling fields in its dialog first.
async function act(label, fill = async () => {}) {
  await page.getByRole('button', { name: label, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await fill(dialog);
  await dialog.getByRole('button', { name: label, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

const status = () => page.locator('.page-head .chip.status, h1 + .chip.status').first();

test('an improvement from the form through approve, start and done', async () => {
  await signIn(page, env, 'mona');
  await page.goto(`${env.base}/#/t/improvements/new`);
  await page.getByRole('heading', { name: /New improvement/, level: 1 }).waitFor();
  await page.locator('.field[data-field="title"] input').fill('Automate the access review export');
  await page.locator('.field[data-field="opportunity"] textarea').fill('The quarterly export takes two days by hand.');
  await page.locator('.field[data-field="source"] select').selectOption('suggestion');
  const owner = page.getByRole('combobox', { name: /^Owner/ });
  await owner.click();
  await owner.fill('Pat');
  await page.getByRole('option', { name: /Pat Owner/ }).click();
  await page.getByRole('button', { name: /Create improvement/ }).click();
  await page.getByRole('heading', { name: 'Automate the access review export', level: 1 }).waitFor();
  await expectText(status(), /^Proposed$/);

  await act('Approve');
  await expectText(status(), /^Approved$/);
  await act('Start');
  await expectText(status(), /^In progress$/);

  // Mark done without the result: refused, naming it; nothing changes.
  await page.getByRole('button', { name: 'Mark done', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Mark done', exact: true }).click();
  await expectText(dialog, /[Rr]esult/);
  await dialog.locator('textarea').first().fill('The export now runs nightly; two days saved each quarter.');
  await dialog.getByRole('button', { name: 'Mark done', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await expectText(status(), /^Done$/);
  await expectText(page.locator('main'), /two days saved each quarter/);
  await screenshot(page, 'improvement');

  await page.goto(`${env.base}/#/t/improvements`);
  const row = page.locator('tbody tr', { hasText: 'Automate the access review export' });
  await expectText(row, /Done/);
  assert.equal(await row.count(), 1);
  assertCleanConsole(env);
});
