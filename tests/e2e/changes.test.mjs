// changes.test.mjs — planned changes (6.3) in the browser: an ISMS manager records a change
// and submits it; a second manager, holding the role the change names for its approval,
// approves it; the change's page shows its impact trace (asset → risk → control), marking
// the risk to reassess, usable from the keyboard and on a 390px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, signOut, screenshot, settle, expectText, expectCount,
  apiClient, assertCleanConsole } from './lib.mjs';

let env;
let page;
let mona;
let asset;
let risk;
let control;
let approvers;
let changeId;

before(async () => {
  env = await setup({ approvers: true });
  page = await newPage(env);
  mona = await apiClient(env.base, 'mona');
  asset = await mona.create('assets', { name: 'Invoice archive', kind: 'information',
    classification: 'confidential', owner: env.pat.id });
  control = await mona.create('controls', { name: 'Write-once archive', owner: env.pat.id });
  risk = await mona.create('risks', { title: 'Archive exposed by a misconfigured bucket', owner: env.pat.id,
    assets: [asset.id], controls: [control.id], last_assessed: '2026-01-10' });
  approvers = (await mona.get('roles?name=ISMS%20manager')).json.items[0];
  assert.ok(approvers, 'the approvers\' role exists');
});

after(async () => {
  await teardown(env);
});

test('a manager records a change and submits it; the submitter cannot approve it', async () => {
  await signIn(page, env, 'mona');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Planned changes/ }).click();
  await page.getByRole('heading', { name: 'Changes', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'New change' }).first().click();
  await page.getByRole('heading', { name: 'New change', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Create change' }).click();
  await expectText(page.locator('.field[data-field="title"] .field-error'), /required/);
  await page.locator('.field[data-field="title"] input').fill('Archive to a second region');
  await page.locator('.field[data-field="purpose"] textarea').fill('Keep invoices retrievable when one region fails.');
  const roleBox = page.getByRole('combobox', { name: /^Approved by role/ });
  await roleBox.click();
  await roleBox.fill('ISMS');
  await page.getByRole('option', { name: /ISMS manager/ }).click();
  await page.getByRole('button', { name: 'Create change' }).click();
  await page.getByRole('heading', { name: 'Archive to a second region', level: 1 }).waitFor();
  changeId = Number(page.url().match(/isms-changes\/(\d+)/)[1]);
  const rec = (await mona.get(`isms-changes/${changeId}`)).json;
  assert.equal(rec.approval_role, approvers.id);
  await mona.patch('isms-changes', changeId, rec.version, { assets: [asset.id] });
  await page.reload();
  await page.getByRole('heading', { name: 'Archive to a second region', level: 1 }).waitFor();

  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Submit for approval' }).click();
  await expectCount(page.getByRole('dialog'), 0);
  await expectText(page.locator('.title-line .chip'), /^Submitted$/);
  await page.getByRole('button', { name: 'Approve' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expectText(dialog.getByRole('alert'), /you submitted this change, so someone else must approve it/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expectCount(page.getByRole('dialog'), 0);
});

test('a second manager holding the named role approves; the trace marks the risk to reassess', async () => {
  await signOut(page);
  await signIn(page, env, 'max');
  await page.goto(`${env.base}/#/t/isms-changes/${changeId}`);
  await page.getByRole('heading', { name: 'Archive to a second region', level: 1 }).waitFor();
  const trace = page.locator('.impact-trace');
  await expectText(trace.locator('[data-layer="risks"]'), /Archive exposed by a misconfigured bucket[\s\S]*on Invoice archive/);
  assert.equal(await trace.getByText('reassess', { exact: true }).count(), 0, 'nothing to reassess before approval');

  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
  await expectCount(page.getByRole('dialog'), 0);
  await expectText(page.locator('.title-line .chip'), /^Approved$/);
  await expectText(page.locator('.kv[data-field="approved_by"] dd'), /^max$/);
  await settle(page);
  await expectText(trace, /1 risk not reassessed since the change was approved/);
  await expectText(trace.locator('[data-layer="risks"]'), /reassess\s*last assessed 2026-01-10/);
  await expectText(trace.locator('[data-layer="controls"]'), /Write-once archive[\s\S]*treating Archive exposed by a misconfigured bucket/);
  await expectText(trace.locator('[data-layer="assets"]'), /Invoice archive/);
  await screenshot(page, 'change-impact-trace');

  // Keyboard: the risk's link is reachable and opens the risk.
  const link = trace.locator('[data-layer="risks"]').getByRole('link', { name: /Archive exposed/ });
  await link.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Archive exposed by a misconfigured bucket', level: 1 }).waitFor();
  assertCleanConsole(env);
});

test('the trace fits a 390px phone', async () => {
  const phone = await newPage(env, { viewport: { width: 390, height: 844 } }); // same browser: max is signed in
  await phone.goto(`${env.base}/#/t/isms-changes/${changeId}`);
  await phone.getByRole('heading', { name: 'Archive to a second region', level: 1 }).waitFor();
  await expectText(phone.locator('.impact-trace [data-layer="soa"]'), /SoA entries \(0\)/);
  await settle(phone);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
  await screenshot(phone, 'change-impact-trace-phone');
  await phone.close();
  assertCleanConsole(env);
});
