// awareness.test.mjs — awareness coverage (7.3) in the browser: the list of campaigns with
// their progress, one campaign with who completed it and who has not, recording a completion
// on someone's behalf by keyboard (and the server's refusal shown at the field it names), the
// campaign's record page linking to its coverage, and the coverage screen on a 390 px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, screenshot, settle, expectText, expectCount,
  apiClient, assertCleanConsole } from './lib.mjs';

let env;
let page;
let mona;
let campaign;
const people = [];

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

before(async () => {
  env = await setup();
  page = await newPage(env);
  mona = await apiClient(env.base, 'mona');
  for (const name of ['Ada Support', 'Ben Support', 'Cleo Support'])
    people.push(await mona.create('people', { name, department: 'Support desk' }));
  campaign = await mona.create('awareness-campaigns', { topic: 'Spotting phishing', content: 'A 20-minute session.',
    audience_departments: ['Support desk'], starts_on: day(-30), ends_on: day(30), due_on: day(-2), status: 'running' });
  await mona.create('awareness-completions', { campaign: campaign.id, person: people[0].id, score: 90 });
});

after(async () => {
  await teardown(env);
});

test('the coverage list shows each campaign with its progress and who is overdue', async () => {
  await signIn(page, env, 'mona');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: /Awareness coverage/ }).click();
  await page.getByRole('heading', { name: 'Awareness coverage', level: 1 }).waitFor();
  await settle(page);
  const row = page.locator(`tr[data-campaign="${campaign.id}"]`);
  await expectText(row, /Spotting phishing[\s\S]*Running[\s\S]*2 overdue[\s\S]*33 %[\s\S]*Below 90 %/);
  assert.equal(await row.locator('progress').getAttribute('value'), '33');
  assert.equal(await row.locator('progress').getAttribute('aria-label'), 'Spotting phishing: completed');
  await screenshot(page, 'awareness-coverage');
  await row.getByRole('link', { name: 'Spotting phishing' }).click();
  await page.getByRole('heading', { name: /Spotting phishing/, level: 1 }).waitFor();
  await settle(page);
  await expectText(page.locator('#awareness-counts'), /1 of 3 completed, 2 not yet \(2 overdue\)/);
  await expectCount(page.locator('#aw-pending li'), 2);
  await expectText(page.locator('#aw-done'), /Ada Support[\s\S]*90 %[\s\S]*Recorded/);
  assertCleanConsole(env);
});

test('an ISMS manager records a completion on someone’s behalf, by keyboard', async () => {
  // A date three weeks back without a note: the server refuses and names the note.
  await page.getByLabel('Person').selectOption({ label: 'Ben Support' });
  await page.getByLabel('Completed on').fill(day(-21));
  await page.getByLabel('Score (%)').focus();
  await page.keyboard.type('80');
  await page.keyboard.press('Enter');
  await expectText(page.locator('.ack-record .form-error'), /reason|note/i);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'aw-note');
  await expectText(page.locator('#awareness-counts'), /1 of 3 completed/);
  await page.keyboard.type('Attendance list of the session');
  await page.keyboard.press('Enter');
  await expectText(page.locator('.record-messages'), /Recorded: Ben Support completed “Spotting phishing”/);
  await expectText(page.locator('#awareness-counts'), /2 of 3 completed, 1 not yet \(1 overdue\)/);
  await expectCount(page.locator('#aw-pending li'), 1);
  await expectText(page.locator('#aw-pending'), /Cleo Support/);
  await expectText(page.locator('#aw-done'), /Ben Support[\s\S]*80 %/);
  assert.equal(await page.locator('#aw-person option').count(), 2, 'only who has not completed is offered');
  assertCleanConsole(env);
});

test('the campaign record links to its coverage', async () => {
  await page.goto(`${env.base}/#/t/awareness-campaigns/${campaign.id}`);
  await page.getByRole('heading', { name: /Spotting phishing/, level: 1 }).waitFor();
  await settle(page);
  const link = page.getByRole('link', { name: 'Coverage', exact: true });
  assert.equal(await link.getAttribute('href'), `#/awareness/${campaign.id}`);
  await link.click();
  await expectText(page.locator('#awareness-counts'), /2 of 3 completed/);
  assertCleanConsole(env);
});

test('on a 390 px phone the coverage screen fits and the form still works', async () => {
  const phone = await newPage(env, { viewport: { width: 390, height: 844 } });
  // The browser profile is shared, so the phone's tab is signed in already.
  await phone.goto(`${env.base}/#/awareness/${campaign.id}`);
  await phone.getByRole('heading', { name: /Spotting phishing/, level: 1 }).waitFor();
  await settle(phone);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no sideways scrolling: ${overflow}px too wide`);
  const box = await phone.locator('.ack-record').boundingBox();
  assert.ok(box && box.width <= 390, `the form fits: ${box && box.width}`);
  await screenshot(phone, 'awareness-coverage-phone');
  await phone.getByLabel('Person').selectOption({ label: 'Cleo Support' });
  await phone.getByRole('button', { name: 'Record completion' }).click();
  await expectText(phone.locator('#awareness-counts'), /3 of 3 completed, 0 not yet/);
  await expectText(phone.locator('.ack-cols'), /Everyone in the audience has completed it/);
  await expectCount(phone.locator('.ack-record'), 0);
  await phone.close();
  assertCleanConsole(env);
});
