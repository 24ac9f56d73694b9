// objectives.test.mjs — information security objectives (6.2) in the browser: an ISMS manager
// creates an objective with the generic form, activates it, adds results on its page (by
// mouse and by keyboard), sees them against the target with the trend picture, and finds it
// on the objectives page with its on-track badge; both pages fit a 390 px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, screenshot, settle, expectText, expectCount,
  assertCleanConsole } from './lib.mjs';

let env;
let page;
const STATEMENT = 'Cut the phishing click rate to 5 % or less';
const day = (offset = 0) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

before(async () => {
  env = await setup();
  page = await newPage(env);
});

after(async () => {
  await teardown(env);
});

test('create an objective, activate it, add results and see the trend', async () => {
  await signIn(page, env, 'mona');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Objectives\s*6\.2$/ }).click();
  await page.getByRole('heading', { name: 'Information security objectives', level: 1 }).waitFor();
  await expectText(page.locator('.empty-state'), /No objectives yet/);

  await page.getByRole('link', { name: 'New objective' }).click();
  await page.getByRole('heading', { name: 'New objective', level: 1 }).waitFor();
  await page.getByLabel(/^Objective/).fill(STATEMENT);
  await page.getByLabel('Measure', { exact: true }).fill('Share of staff who click in the monthly exercise');
  await page.getByLabel('Unit', { exact: true }).fill('%');
  await page.getByLabel('Target', { exact: true }).fill('5');
  await page.getByLabel(/^Direction/).selectOption('at_most');
  await page.getByLabel('Due', { exact: true }).fill(day(90));
  await page.getByRole('button', { name: 'Create objective' }).click();
  await page.getByRole('heading', { name: STATEMENT, level: 1 }).waitFor();

  // Without an owner the objective cannot become active: the server's message is shown.
  await page.locator('button[data-action="activate"]').click();
  let dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Activate', exact: true }).click();
  await expectText(dialog, /needs Owner/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });

  await page.getByRole('link', { name: 'Edit' }).click();
  const owner = page.getByRole('combobox', { name: /^Owner/ });
  await owner.click();
  await owner.fill('Pat');
  await page.getByRole('option', { name: /Pat Owner/ }).click();
  await page.getByRole('button', { name: /^Save/ }).click();
  await page.getByRole('heading', { name: STATEMENT, level: 1 }).waitFor();
  await page.locator('button[data-action="activate"]').click();
  dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Activate', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await expectText(page.locator('h1 + .chip.status, .page-head .chip.status').first(), /^Active$/);

  // No result yet, then one that misses the target.
  const panel = page.locator('.objective-results');
  await expectText(panel.locator('#objective-track'), /No result yet[\s\S]*Target at most 5 %/);
  await page.getByLabel('Measured on').fill(day(-30));
  await page.getByLabel('Value (%)').fill('7.5');
  await page.getByLabel('Note (optional)').fill('October exercise');
  await page.getByRole('button', { name: 'Add result' }).click();
  await expectText(page.locator('.record-messages .banner-success'), /Result of 7\.5 % on .* added/);
  await expectText(panel.locator('#objective-track'), /Off track[\s\S]*Latest: 7\.5 %/);
  await expectCount(panel.locator('#objective-results-table tbody tr'), 1);
  await expectText(panel.locator('#objective-results-table tbody tr').first(), /7\.5 %\s+Misses\s+October exercise/);

  // The next one by keyboard only: Enter in the value field submits.
  await page.getByLabel('Measured on').fill(day(0));
  await page.getByLabel('Value (%)').focus();
  await page.keyboard.type('4.5');
  await page.keyboard.press('Enter');
  await expectText(panel.locator('#objective-track'), /On track[\s\S]*Latest: 4\.5 %/);
  await expectCount(panel.locator('#objective-results-table tbody tr'), 2);
  await expectText(panel.locator('#objective-results-table tbody tr').nth(1), /4\.5 %\s+Meets/);

  // A refused result keeps the form and says why.
  await page.getByLabel('Measured on').fill(day(0));
  await page.getByLabel('Value (%)').fill('3');
  await page.getByRole('button', { name: 'Add result' }).click();
  await expectText(panel.locator('.form-error'), /already has a result for that day/);
  await expectCount(panel.locator('#objective-results-table tbody tr'), 2);

  // The trend picture is drawn by the server and loads.
  const img = panel.locator('#objective-trend-img');
  await img.waitFor();
  await page.waitForFunction(() => {
    const i = document.querySelector('#objective-trend-img');
    return i && i.complete && i.naturalWidth > 0;
  });
  assert.match(await img.getAttribute('alt'), /2 results, the latest 4\.5 %/);
  // The picture is the current one: both results on the line, the first in red.
  const svg = decodeURIComponent((await img.getAttribute('src')).replace(/^data:image\/svg\+xml;charset=utf-8,/, ''));
  assert.equal(svg.match(/<polyline class="results"[^>]* points="([^"]+)"/)[1].split(' ').length, 2);
  assert.equal((svg.match(/class="point misses"/g) || []).length, 1);
  await screenshot(page, 'objective');

  // The objectives page: status, owner, due date and the on-track badge.
  await page.goto(`${env.base}/#/objectives`);
  await page.getByRole('heading', { name: 'Information security objectives', level: 1 }).waitFor();
  await settle(page);
  const row = page.locator('#objectives-table tbody tr').first();
  await expectText(row, new RegExp(`${STATEMENT}[\\s\\S]*Active[\\s\\S]*Tactical[\\s\\S]*Pat Owner[\\s\\S]*${day(90)}[\\s\\S]*at most 5 %[\\s\\S]*4\\.5 %[\\s\\S]*On track`));
  await expectText(page.locator('#objectives-summary'), /1 objective, 1 active: 1 on track/);
  await screenshot(page, 'objectives');
  assertCleanConsole(env);
});

test('on a 390 px phone the objectives page and an objective fit the screen', async () => {
  const phone = await newPage(env, { viewport: { width: 390, height: 844 } });
  await phone.goto(`${env.base}/#/objectives`);
  await phone.getByRole('heading', { name: 'Information security objectives', level: 1 }).waitFor();
  await settle(phone);
  await expectText(phone.locator('#objectives-table tbody tr').first(), /On track/);
  let overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the objectives page does not scroll sideways: ${overflow}`);
  await screenshot(phone, 'objectives-phone');
  await phone.locator('#objectives-table tbody tr').first().getByRole('link', { name: STATEMENT }).click();
  await phone.getByRole('heading', { name: STATEMENT, level: 1 }).waitFor();
  await settle(phone);
  await phone.locator('#objective-trend-img').waitFor();
  overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the objective page does not scroll sideways: ${overflow}`);
  await screenshot(phone, 'objective-phone');
  await phone.close();
  assertCleanConsole(env);
});
