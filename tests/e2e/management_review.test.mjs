// management_review.test.mjs — management reviews (9.3) in the browser: an ISMS manager
// compiles a review's inputs and records it as held (top management present), opens its
// review pack (sections a–g, the frozen inputs' SHA-256, a print button), adds an action with
// an owner and a due date, and the pack works from the keyboard and on a 390px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, screenshot, settle, expectText, expectCount,
  apiClient, assertCleanConsole } from './lib.mjs';

let env;
let page;
let mona;
let review;

before(async () => {
  env = await setup();
  page = await newPage(env);
  mona = await apiClient(env.base, 'mona');
  const board = await mona.create('roles', { name: 'Management board', responsibilities: 'Directs the company.',
    top_management: true });
  await mona.create('role-assignments', { person: env.pat.id, role: board.id, starts_on: '2020-01-01' });
  await mona.create('context-issues', { title: 'New banking regulation', origin: 'external', category: 'legal' });
  review = await mona.create('management-reviews', { title: 'Management review, Q4', chair: env.pat.id,
    planned_on: new Date().toISOString().slice(0, 10) });
});

after(async () => {
  await teardown(env);
});

test('a manager compiles the inputs, records the review as held and opens its pack', async () => {
  await signIn(page, env, 'mona');
  await page.goto(`${env.base}/#/t/management-reviews/${review.id}`);
  await page.getByRole('heading', { name: 'Management review, Q4', level: 1 }).waitFor();
  await expectText(page.locator('.review-outputs'), /Actions are added once the review is recorded as held/);

  await page.getByRole('button', { name: 'Compile inputs' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Compile inputs' }).click();
  await expectCount(page.getByRole('dialog'), 0);
  await expectText(page.locator('.title-line .chip'), /^Prepared$/);

  await page.getByRole('button', { name: 'Record as held' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Record as held' }).click();
  await expectCount(page.getByRole('dialog'), 0);
  await expectText(page.locator('.title-line .chip'), /^Held$/);

  await page.getByRole('link', { name: 'Review pack', exact: true }).click();
  await page.getByRole('heading', { name: /Management review, Q4/, level: 1 }).waitFor();
  const pack = page.locator('.review-pack');
  await expectCount(pack.locator('.pack-section'), 7);
  await expectText(pack.locator('[data-letter="a"]'), /No earlier review: this is the first/);
  await expectText(pack.locator('[data-letter="b"]'), /1 context issue added[\s\S]*New banking regulation/);
  await expectText(pack.locator('.pack-about'), /frozen, SHA-256 verified\s*[0-9a-f]{64}/);
  await expectText(pack.locator('.pack-about'), /Pat Owner/);
  await screenshot(page, 'review-pack');
  assertCleanConsole(env);
});

test('an action with owner and due date is added from the pack and shown there', async () => {
  await page.getByRole('link', { name: 'Add action' }).click();
  await page.getByRole('heading', { name: /New review action/, level: 1 }).waitFor();
  await page.locator('.field[data-field="title"] input').fill('Hire a second engineer');
  const owner = page.getByRole('combobox', { name: /^Owner/ });
  await owner.click();
  await owner.fill('Pat');
  await page.getByRole('option', { name: /Pat Owner/ }).click();
  await page.locator('.field[data-field="due_on"] input').fill('2030-01-31');
  await page.getByRole('button', { name: /Create review action/ }).click();
  await page.getByRole('heading', { name: 'Hire a second engineer', level: 1 }).waitFor();
  const actions = (await mona.get(`review-actions?review=${review.id}`)).json;
  assert.equal(actions.total, 1);
  assert.equal(actions.items[0].owner, env.pat.id);

  await page.goto(`${env.base}/#/review-pack/${review.id}`);
  await expectText(page.locator('.review-pack table.review-actions'), /Hire a second engineer[\s\S]*Pat Owner[\s\S]*2030-01-31/);
  // Keyboard: Print is reachable, and the action's link opens it.
  await page.getByRole('button', { name: 'Print' }).focus();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Print');
  const link = page.locator('table.review-actions').getByRole('link', { name: 'Hire a second engineer' });
  await link.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Hire a second engineer', level: 1 }).waitFor();
  assertCleanConsole(env);
});

test('the pack fits a 390px phone', async () => {
  const phone = await newPage(env, { viewport: { width: 390, height: 844 } });
  await phone.goto(`${env.base}/#/review-pack/${review.id}`);
  await phone.getByRole('heading', { name: /Management review, Q4/, level: 1 }).waitFor();
  await expectCount(phone.locator('.pack-section'), 7);
  await settle(phone);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
  await screenshot(phone, 'review-pack-phone');
  await phone.close();
  assertCleanConsole(env);
});
