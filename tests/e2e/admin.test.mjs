// admin.test.mjs — the first administrator's one-time password, user accounts under
// Administration, deleting records (refused while in use), and registers as they were.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, signOut, screenshot, settle, expectText, expectCount,
  apiClient, assertCleanConsole } from './lib.mjs';

let env;
let page;

before(async () => {
  env = await setup();
  page = await newPage(env);
});

after(async () => {
  await teardown(env);
});

test('the first admin must replace the one-time password before anything else', async () => {
  await page.goto(`${env.base}/#/login`);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(env.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Change password', level: 1 }).waitFor();
  await expectText(page.locator('.banner-warning'), /set for one use only/);
  assert.equal(await page.locator('#sidenav').count(), 0, 'no navigation until the password is changed');

  // Any other address comes back here.
  await page.goto(`${env.base}/#/t/people`);
  await page.getByRole('heading', { name: 'Change password', level: 1 }).waitFor();
  await screenshot(page, 'password-forced');

  await page.getByLabel('One-time password').fill(env.adminPassword);
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('New password again').fill('short');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expectText(page.locator('#pw-new-error'), /at least 10 characters/);
  await page.getByLabel('New password', { exact: true }).fill('admin-Secret-Passw0rd');
  await page.getByLabel('New password again').fill('admin-Secret-Passw0rd');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  await expectText(page.locator('.topbar .who-role'), /^Administrator$/);
});

test('an administrator manages user accounts under Administration', async () => {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('heading', { name: 'Administration' }).waitFor();
  await nav.getByRole('link', { name: /User accounts/ }).click();
  await page.getByRole('heading', { name: 'User accounts', level: 1 }).waitFor();
  await settle(page);
  await page.getByRole('link', { name: 'mona', exact: true }).waitFor();

  await page.getByRole('link', { name: 'New user account' }).click();
  await page.getByRole('heading', { name: 'New user account', level: 1 }).waitFor();
  await page.getByLabel('Username').fill('audrey');
  await page.getByLabel('Full name').fill('Audrey Auditor');
  await page.getByLabel('Role', { exact: true }).selectOption('auditor');
  // Further application roles are ticked, not typed as JSON.
  await page.getByRole('group', { name: 'More roles' }).getByLabel('Staff').check();
  const pw = page.getByLabel('Password');
  assert.equal(await pw.getAttribute('type'), 'password');
  await pw.fill('audrey-Secret-Passw0rd');
  await page.getByRole('button', { name: 'Create user account' }).click();
  await page.getByRole('heading', { name: 'audrey', level: 1 }).waitFor();
  await expectText(page.locator('.kv[data-field="role"] dd'), /^Auditor$/);
  await expectText(page.locator('.kv[data-field="more_roles"] dd'), /^Staff$/);
  assert.equal(await page.locator('.kv[data-field="password"]').count(), 0, 'passwords are never shown');

  // The new account works, and an auditor sees no Administration.
  await signOut(page);
  await page.getByLabel('Username').fill('audrey');
  await page.getByLabel('Password').fill('audrey-Secret-Passw0rd');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // A password an administrator set is for one use only.
  await page.getByRole('heading', { name: 'Change password', level: 1 }).waitFor();
  await page.getByLabel('One-time password').fill('audrey-Secret-Passw0rd');
  await page.getByLabel('New password', { exact: true }).fill('audrey-Own-Passw0rd');
  await page.getByLabel('New password again').fill('audrey-Own-Passw0rd');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expectText(page.locator('.topbar .who-role'), /^Auditor$/);
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('heading', { name: 'Administration' }).count(), 0);
  await page.goto(`${env.base}/#/t/users`);
  await page.getByRole('heading', { name: 'Not available', level: 1 }).waitFor();
  await signOut(page);
});

test('deleting: refused while the record is in use, then done; history outlives it', async () => {
  const api = await apiClient(env.base, 'mona');
  const temp = await api.create('people', { name: 'Terry Temporary', email: 'terry@example.com' });
  const asset = await api.create('assets', { name: 'Old fax machine', kind: 'hardware', owner: temp.id, classification: 'internal' });
  const existed = new Date().toISOString();
  const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);

  await signIn(page, env, 'mona');
  await page.goto(`${env.base}/#/t/people/${temp.id}`);
  await page.getByRole('heading', { name: 'Terry Temporary', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: /Delete person “Terry Temporary”\?/ }).waitFor();
  await dialog.getByRole('button', { name: 'Delete person' }).click();
  await expectText(dialog.getByRole('alert'), /cannot be deleted: asset \d+ refers to it in Owner/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expectCount(page.getByRole('dialog'), 0);

  // Deleting the asset first.
  await page.goto(`${env.base}/#/t/assets/${asset.id}`);
  await page.getByRole('heading', { name: 'Old fax machine', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete asset' }).click();
  await page.getByRole('heading', { name: 'Assets', level: 1 }).waitFor();
  await expectText(page.locator('.flash'), /Asset “Old fax machine” deleted/);
  await expectText(page.locator('.empty-state'), /No assets recorded yet/);

  // Its page now says so, and still shows its history.
  await page.goto(`${env.base}/#/t/assets/${asset.id}`);
  await expectText(page.locator('.record-body .banner'), /There is no asset with id \d+\. It may have been deleted; its history is kept/);
  const items = page.locator('.timeline > li');
  await expectCount(items, 2);
  await expectText(items.nth(0).locator('.tl-head'), /^Deleted by mona/);

  // The register as it was: yesterday there were no assets; just before the deletion there
  // was the fax machine.
  await page.goto(`${env.base}/#/t/assets`);
  await page.getByRole('heading', { name: 'Assets', level: 1 }).waitFor();
  await page.getByLabel('As of').fill(yesterday);
  await page.getByRole('button', { name: 'Show' }).click();
  await expectText(page.locator('.as-of-banner'), new RegExp(`as they were at the end of ${yesterday} \\(UTC\\)`));
  await expectText(page.locator('.empty-state'), new RegExp(`No assets existed at the end of ${yesterday}`));
  assert.equal(await page.getByRole('link', { name: 'New asset' }).isVisible(), false, 'no New button in a past view');
  await page.goto(`${env.base}/#/t/assets?as_of=${encodeURIComponent(existed)}`);
  await page.getByRole('link', { name: 'Old fax machine' }).click();
  await page.getByRole('heading', { name: 'Old fax machine', level: 1 }).waitFor();
  await expectText(page.locator('.record-body .banner-info'), /This is how the asset was at/);
  await page.goBack();
  await page.getByRole('button', { name: 'Back to today' }).click();
  await expectText(page.locator('.empty-state'), /No assets recorded yet/);
});

test('no script errors or CSP violations happened', () => {
  assertCleanConsole(env);
});
