// measures.test.mjs — monitoring and measurement (9.1) in the browser: the measure dashboard
// reached from the navigation shows each active measure's status in words (not by colour
// alone), its latest value, change and next due; a measure's page shows its trend picture and
// measurements, and takes a new measurement by keyboard; an objective measured by a measure
// shows the measure's status; both pages fit a 390 px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, screenshot, settle, expectText, expectCount,
  assertCleanConsole, apiClient } from './lib.mjs';

let env;
let page;
let red;
let green;
const day = (offset = 0) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

before(async () => {
  env = await setup();
  page = await newPage(env);
  const api = await apiClient(env.base, 'mona');
  const base = { information_need: 'Are we doing well?', measured_kind: 'other', frequency: 'monthly' };
  red = await api.create('measures', { ...base, name: 'Supplier assessments on time', unit: '%', direction: 'higher_is_better', green: 95, red: 80 });
  green = await api.create('measures', { ...base, name: 'Patch latency', unit: 'days', direction: 'lower_is_better', green: 14, red: 30 });
  for (const [m, values] of [[red, [96, 85, 76]], [green, [20, 16, 9]]])
    for (const [i, v] of values.entries())
      await api.create('measurements', { measure: m.id, measured_on: day(-60 + i * 25), value: v });
});

after(async () => {
  await teardown(env);
});

test('the dashboard shows every active measure with its status in words', async () => {
  await signIn(page, env, 'mona');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Measures\s*9\.1$/ }).click();
  await page.getByRole('heading', { name: 'Measure dashboard', level: 1 }).waitFor();
  await settle(page);
  await expectText(page.locator('#measures-summary'), /2 active measures: 1 green, 0 amber, 1 red/);
  const redRow = page.locator(`#measures-table tr[data-measure="${red.id}"]`);
  await expectText(redRow, /Supplier assessments on time[\s\S]*Red[\s\S]*76 %[\s\S]*↓ down, worse[\s\S]*green ≥ 95, red ≤ 80/);
  const greenRow = page.locator(`#measures-table tr[data-measure="${green.id}"]`);
  await expectText(greenRow, /Patch latency[\s\S]*Green[\s\S]*9 days[\s\S]*↓ down, better/);
  assert.equal(await redRow.locator('.chip.chip-bad').textContent(), 'Red');
  await screenshot(page, 'measure-dashboard');
  assertCleanConsole(env);
});

test("a measure's page: trend, measurements, and a new one by keyboard", async () => {
  await page.locator(`#measures-table tr[data-measure="${red.id}"]`).getByRole('link', { name: 'Supplier assessments on time' }).click();
  await page.getByRole('heading', { name: 'Supplier assessments on time', level: 1 }).waitFor();
  const panel = page.locator('.measure-results');
  await expectText(panel.locator('#measure-status'), /Red[\s\S]*Latest: 76 %/);
  await expectCount(panel.locator('#measurements-table tbody tr'), 3);
  await page.waitForFunction(() => {
    const i = document.querySelector('#measure-trend-img');
    return i && i.complete && i.naturalWidth > 0;
  });
  const svg = decodeURIComponent((await panel.locator('#measure-trend-img').getAttribute('src')).replace(/^data:image\/svg\+xml;charset=utf-8,/, ''));
  assert.equal((svg.match(/<rect class="band /g) || []).length, 3);
  assert.equal((svg.match(/class="point red"/g) || []).length, 1);

  await page.getByLabel('Measured on').fill(day(0));
  await page.getByLabel('Value (%)').focus();
  await page.keyboard.type('97');
  await page.keyboard.press('Enter');
  await expectText(page.locator('.record-messages .banner-success'), /Measurement of 97 % on .* added/);
  await expectText(panel.locator('#measure-status'), /Green[\s\S]*Latest: 97 %/);
  await expectCount(panel.locator('#measurements-table tbody tr'), 4);

  // A second one the same day is refused, and the form says why.
  await page.getByLabel('Value (%)').fill('50');
  await page.getByRole('button', { name: 'Add measurement' }).click();
  await expectText(panel.locator('.form-error'), /already has a measurement for that day/);
  await expectCount(panel.locator('#measurements-table tbody tr'), 4);
  await screenshot(page, 'measure');
  assertCleanConsole(env);
});

test('an objective measured by a measure shows its status and link', async () => {
  const api = await apiClient(env.base, 'mona');
  const o = await api.create('objectives', { statement: 'Assess suppliers on time', target: 95, direction: 'at_least', unit: '%', measure: red.id });
  await page.goto(`${env.base}/#/t/objectives/${o.id}`);
  await page.getByRole('heading', { name: 'Assess suppliers on time', level: 1 }).waitFor();
  const line = page.locator('#objective-measure');
  await expectText(line, /Measured by Supplier assessments on time: Green[\s\S]*stands in for a result: 97 %/);
  await expectText(page.locator('#objective-track'), /On track/);
  await line.getByRole('link', { name: 'Supplier assessments on time' }).click();
  await page.getByRole('heading', { name: 'Supplier assessments on time', level: 1 }).waitFor();
  assertCleanConsole(env);
});

test('on a 390 px phone the dashboard and a measure fit the screen', async () => {
  const phone = await newPage(env, { viewport: { width: 390, height: 844 } });
  await phone.goto(`${env.base}/#/measures/dashboard`);
  await phone.getByRole('heading', { name: 'Measure dashboard', level: 1 }).waitFor();
  await settle(phone);
  await expectText(phone.locator(`#measures-table tr[data-measure="${green.id}"]`), /Green/);
  let overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the dashboard does not scroll sideways: ${overflow}`);
  await screenshot(phone, 'measure-dashboard-phone');
  await phone.goto(`${env.base}/#/t/measures/${green.id}`);
  await phone.getByRole('heading', { name: 'Patch latency', level: 1 }).waitFor();
  await settle(phone);
  await phone.locator('#measure-trend-img').waitFor();
  overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the measure page does not scroll sideways: ${overflow}`);
  await phone.close();
  assertCleanConsole(env);
});
