// nonconformities.test.mjs — nonconformity and corrective action (10.2) in the browser: the
// board from the navigation (columns by state, cards with owner, due day and age, reached by
// keyboard), a nonconformity's page with its corrective actions ("Add action" prefilled with
// the nonconformity) and workflow buttons (cause analysis; closing refused without an
// effective review, with the rule named), and the board on a 390 px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, screenshot, settle, expectText, expectCount,
  apiClient, cli, assertCleanConsole } from './lib.mjs';

let env;
let page;
let openNc;
let verifying;
const day = (offset = 0) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const asMona = (args) => cli(env, args, { as: 'mona' });

before(async () => {
  env = await setup();
  page = await newPage(env);
  const mona = await apiClient(env.base, 'mona');
  openNc = await mona.create('nonconformities', { title: 'Threat models missing for two epics',
    source: 'audit_finding', severity: 'minor', clause: 'A.8.25', detected_on: day(-20), owner: env.pat.id,
    requirement: 'Every epic has a threat model before development starts.' });
  verifying = await mona.create('nonconformities', { title: 'Restore test skipped in March',
    source: 'self_identified', detected_on: day(-40), owner: env.pat.id, requirement: 'Backups are restored monthly.',
    root_cause: 'The reminder went to a shared mailbox nobody reads.' });
  const late = await mona.create('nonconformities', { title: 'Customer export sent unencrypted',
    source: 'complaint', detected_on: day(-5), owner: env.pat.id, requirement: 'Exports are encrypted.' });
  await mona.create('corrective-actions', { nonconformity: late.id, description: 'Turn on encryption by default',
    owner: env.pat.id, due_on: day(-1) });
  // One moved along: analysed, its action done, ready for the effectiveness review.
  await asMona(['act', 'nonconformities', String(verifying.id), 'analyse']);
  await mona.create('corrective-actions', { nonconformity: verifying.id, description: 'Send the reminder to the owner',
    owner: env.pat.id, due_on: day(-10), status: 'done', done_on: day(-12) });
  await asMona(['act', 'nonconformities', String(verifying.id), 'verify']);
});

after(async () => {
  await teardown(env);
});

test('the board shows every open nonconformity by state, with owner, due day and age', async () => {
  await signIn(page, env, 'mona');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Nonconformity board/ }).click();
  await page.getByRole('heading', { name: 'Nonconformity board', level: 1 }).waitFor();
  await settle(page);
  const col = (state) => page.locator(`.board-col[data-state="${state}"]`);
  await expectCount(page.locator('.board-col'), 7);
  await expectText(col('open').locator('h2'), /Open\s*2/);
  await expectText(col('open').locator(`[data-nc="${openNc.id}"]`),
    /Threat models missing for two epics[\s\S]*Minor[\s\S]*Owner: Pat Owner[\s\S]*20 days old/);
  await expectText(col('open'), /Customer export sent unencrypted[\s\S]*Overdue[\s\S]*Overdue since/);
  await expectText(col('verifying').locator(`[data-nc="${verifying.id}"]`), /1\/1 actions done[\s\S]*40 days old/);
  await expectText(page.locator('#board-summary'), /3 open nonconformities, 1 with an overdue corrective action/);
  await screenshot(page, 'nonconformity-board');

  // By keyboard: the cards are links in reading order; Enter opens one.
  const first = col('open').locator('a.board-card').first();
  await first.focus();
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('board-card')), true);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.closest('.board-col')?.dataset.state), 'open');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: /Threat models missing|Customer export/ }).waitFor();
  assertCleanConsole(env);
});

test('a nonconformity page: corrective actions with "Add action", the cause analysis, and closing refused', async () => {
  await page.goto(`${env.base}/#/t/nonconformities/${openNc.id}`);
  await page.getByRole('heading', { name: 'Threat models missing for two epics', level: 1 }).waitFor();
  const actions = page.locator('.nc-actions');
  await expectText(actions, /No corrective action yet/);
  await expectText(page.locator('.nc-reviews'), /None yet/);

  // The cause analysis: the root cause is required, then recorded.
  await page.getByRole('button', { name: 'Record cause analysis' }).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Record cause analysis' }).click();
  await expectText(dialog, /Root cause/);
  await dialog.locator('[data-field="root_cause"] textarea, textarea').first()
    .fill('The definition of done does not ask for a threat model.');
  await dialog.getByRole('button', { name: 'Record cause analysis' }).click();
  await dialog.waitFor({ state: 'detached' });
  await expectText(page.locator('.page-head .chip.status, h1 + .chip.status').first(), /^Analysed$/);

  // Add action: the form comes prefilled with this nonconformity.
  await page.getByRole('link', { name: 'Add action' }).click();
  await page.getByRole('heading', { name: /New corrective action/, level: 1 }).waitFor();
  await page.locator('.field[data-field="description"] input, .field[data-field="description"] textarea').first()
    .fill('Add a threat-model gate to the definition of done');
  const owner = page.getByRole('combobox', { name: /^Owner/ });
  await owner.click();
  await owner.fill('Pat');
  await page.getByRole('option', { name: /Pat Owner/ }).click();
  await page.locator('.field[data-field="due_on"] input').fill(day(14));
  await page.getByRole('button', { name: /Create corrective action/ }).click();
  await page.getByRole('heading', { name: 'Add a threat-model gate to the definition of done', level: 1 }).waitFor();
  await page.goto(`${env.base}/#/t/nonconformities/${openNc.id}`);
  await page.getByRole('heading', { name: 'Threat models missing for two epics', level: 1 }).waitFor();
  await expectCount(page.locator('#nc-actions tbody tr'), 1);
  await expectText(page.locator('#nc-actions tbody tr').first(), new RegExp(`Add a threat-model gate[\\s\\S]*Pat Owner[\\s\\S]*${day(14)}[\\s\\S]*Planned`));
  await screenshot(page, 'nonconformity');

  // Closing before an effective review: the server's rule is shown, nothing changes.
  await page.goto(`${env.base}/#/t/nonconformities/${verifying.id}`);
  await page.getByRole('heading', { name: 'Restore test skipped in March', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expectText(dialog, /closing requires a verified-effective review/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  await expectText(page.locator('.page-head .chip.status, h1 + .chip.status').first(), /^Verifying$/);
  assertCleanConsole(env);
});

test('on a 390 px phone the board stacks its columns and fits the screen', async () => {
  const phone = await newPage(env, { viewport: { width: 390, height: 844 } });
  await phone.goto(`${env.base}/#/nonconformities/board`);
  await phone.getByRole('heading', { name: 'Nonconformity board', level: 1 }).waitFor();
  await settle(phone);
  await expectCount(phone.locator('.board-col'), 7);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the board does not scroll sideways: ${overflow}`);
  const [a, b] = await Promise.all([0, 1].map((i) => phone.locator('.board-col').nth(i).boundingBox()));
  assert.ok(b.y > a.y, 'the columns stack');
  await screenshot(phone, 'nonconformity-board-phone');
  await phone.close();
  assertCleanConsole(env);
});
