// assets.test.mjs — the main path through the web app, as a person sees it: signing in,
// creating an asset through the form (with errors shown next to their fields), the record
// page, editing, history, the register (sort, search, filter chips, paging), what a staff
// member may see, and signing out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, signOut, screenshot, settle, expectText, expectCount,
  apiClient, assertCleanConsole } from './lib.mjs';

let env;
let page;
let assetUrl;
const ownerBox = () => page.getByRole('combobox', { name: /^Owner/ });

before(async () => {
  env = await setup();
  page = await newPage(env);
});

after(async () => {
  await teardown(env);
});

test('the sign-in page comes first, and signing in shows the app', async () => {
  await page.goto(`${env.base}/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.match(page.url(), /#\/login$/);
  await screenshot(page, 'sign-in');

  // A wrong password: a clear message, still on the sign-in page.
  await page.getByLabel('Username').fill('mona');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectText(page.getByRole('alert'), /username or password is not right/);

  await signIn(page, env, 'mona');
  await expectText(page.locator('.topbar .who-name'), /^Mona Manager$/);
  await expectText(page.locator('.topbar .who-role'), /^ISMS manager$/);
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();

  // The navigation follows the standard: 4 Context, 5 Leadership, 7 Support in order, no
  // empty sections, and no Administration for a manager.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('heading', { name: /4\s*Context/ }).waitFor();
  await nav.getByRole('heading', { name: /7\s*Support/ }).waitFor();
  const headings = await nav.getByRole('heading').allTextContents();
  const at = (re) => headings.findIndex((t) => re.test(t));
  assert.ok(at(/4\s*Context/) < at(/5\s*Leadership/) && at(/5\s*Leadership/) < at(/7\s*Support/), headings.join(' | '));
  await nav.getByRole('link', { name: /Policy framework\s*5\.2/ }).waitFor();
  await nav.getByRole('link', { name: /Assets\s*A\.5\.9/ }).waitFor();
  await nav.getByRole('link', { name: /Interested parties\s*4\.2/ }).waitFor();
  assert.equal(await nav.getByRole('heading', { name: /Administration/ }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: /User accounts/ }).count(), 0);

  // Counts per register on the overview.
  await expectText(page.locator('.type-counts li', { hasText: 'People' }).locator('.count'), /^1$/);
  await screenshot(page, 'home');
});

test('creating an asset: errors show next to their fields, then it saves', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Assets/ }).click();
  await page.getByRole('heading', { name: 'Assets', level: 1 }).waitFor();
  await expectText(page.locator('.empty-state'), /No assets recorded yet/);

  await page.getByRole('link', { name: 'New asset' }).first().click();
  await page.getByRole('heading', { name: 'New asset', level: 1 }).waitFor();
  await page.getByLabel('Name').fill('Customer database');
  await page.getByLabel('Kind').selectOption('information');
  await page.getByLabel('Classification').selectOption('confidential');
  await page.getByLabel('Confidentiality need').fill('9');

  // No owner yet: the error appears under the Owner field, which is marked invalid.
  await page.getByRole('button', { name: 'Create asset' }).click();
  const ownerError = page.locator('.field[data-field="owner"] .field-error');
  await expectText(ownerError, /^Owner is required$/);
  assert.equal(await ownerBox().getAttribute('aria-invalid'), 'true');
  assert.match(await ownerBox().getAttribute('aria-describedby'), new RegExp(await ownerError.getAttribute('id')));
  await screenshot(page, 'form-error');

  // Pick the owner from the searchable select.
  await ownerBox().click();
  await ownerBox().fill('Pat');
  await page.getByRole('option', { name: /Pat Owner/ }).click();
  assert.equal(await ownerBox().inputValue(), 'Pat Owner');

  // The server rejects the out-of-range need; its message lands under that field.
  await page.getByRole('button', { name: 'Create asset' }).click();
  const ciaError = page.locator('.field[data-field="confidentiality"] .field-error');
  await expectText(ciaError, /Confidentiality need/);
  assert.equal(await ownerError.isVisible(), false, 'the owner error is gone once an owner is picked');
  await page.getByLabel('Confidentiality need').fill('4');
  await page.getByRole('button', { name: 'Create asset' }).click();

  // The record page.
  await page.getByRole('heading', { name: 'Customer database', level: 1 }).waitFor();
  await expectText(page.locator('.flash'), /Asset “Customer database” created/);
  const owner = page.locator('.kv[data-field="owner"] dd');
  await expectText(owner, /^Pat Owner$/);
  assert.match(await owner.getByRole('link').getAttribute('href'), new RegExp(`#/t/people/${env.pat.id}$`));
  await expectText(page.locator('.kv[data-field="classification"] dd'), /^Confidential$/);
  await expectText(page.locator('.kv[data-field="kind"] dd'), /^Information$/);
  await expectText(page.locator('.kv[data-field="in_scope"] dd'), /^Yes$/);
  await page.getByRole('link', { name: 'Edit' }).waitFor();
  await page.getByRole('button', { name: 'Delete' }).waitFor();
  assetUrl = page.url();
  assert.match(assetUrl, /#\/t\/assets\/\d+$/);
  await screenshot(page, 'detail');
});

test('editing the asset changes it, and history shows the create and the update', async () => {
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByRole('heading', { name: 'Edit Customer database', level: 1 }).waitFor();
  assert.equal(await ownerBox().inputValue(), 'Pat Owner');
  assert.equal(await page.getByLabel('Classification').inputValue(), 'confidential');
  await page.getByLabel('Classification').selectOption('restricted');
  await page.getByRole('button', { name: 'Save changes' }).click();

  await page.getByRole('heading', { name: 'Customer database', level: 1 }).waitFor();
  await expectText(page.locator('.flash'), /Changes saved/);
  await expectText(page.locator('.kv[data-field="classification"] dd'), /^Restricted$/);
  await expectText(page.locator('.meta-line'), /Version 2/);

  const items = page.locator('.timeline > li');
  await expectCount(items, 2);
  await expectText(items.nth(0).locator('.tl-head'), /^Changed by mona/);
  await expectText(items.nth(0).locator('.tl-changes'), /Classification:\s*Confidential\s*→?\s*(changed to)?\s*Restricted/);
  await expectText(items.nth(1).locator('.tl-head'), /^Created by mona/);
  await items.nth(1).locator('summary').click();
  await expectText(items.nth(1).locator('.tl-changes'), /Owner: Pat Owner/);

  // An earlier version, rebuilt from the change log.
  await items.nth(1).getByRole('link', { name: 'view this version' }).click();
  await expectText(page.locator('.record-body .banner-info'), /This is how the asset was at .*version 1/);
  await expectText(page.locator('.kv[data-field="classification"] dd'), /^Confidential$/);
  assert.equal(await page.getByRole('link', { name: 'Edit' }).count(), 0, 'no editing of a past version');
  await page.getByRole('link', { name: 'Show the current version' }).click();
  await expectText(page.locator('.kv[data-field="classification"] dd'), /^Restricted$/);
});

test('the register: sort, search, filter chips that survive a reload, paging', async () => {
  const api = await apiClient(env.base, 'mona');
  for (let i = 1; i <= 55; i++) {
    await api.create('assets', { name: `Laptop ${String(i).padStart(2, '0')}`, kind: 'hardware', owner: env.pat.id,
      classification: i % 5 === 0 ? 'restricted' : 'internal', confidentiality: (i % 5) + 1 });
  }
  await page.goto(`${env.base}/#/t/assets`);
  await page.getByRole('heading', { name: 'Assets', level: 1 }).waitFor();
  await settle(page);
  await expectText(page.locator('.list-summary'), /^1–50 of 56 assets$/);
  const firstRow = page.locator('table.grid tbody tr').first().locator('th');
  await expectText(firstRow, /^Customer database$/);

  // Sorting by name, then descending.
  const nameHeader = page.locator('thead th', { hasText: 'Name' });
  assert.equal(await nameHeader.getAttribute('aria-sort'), 'ascending');
  await nameHeader.getByRole('button').click();
  await expectText(firstRow, /^Laptop 55$/);
  assert.equal(await page.locator('thead th', { hasText: 'Name' }).getAttribute('aria-sort'), 'descending');
  assert.match(page.url(), /sort=-name/);

  // Paging.
  await page.getByRole('button', { name: 'Next →' }).click();
  await expectText(page.locator('.list-summary'), /^51–56 of 56 assets$/);
  await page.getByRole('button', { name: '← Previous' }).click();
  await expectText(page.locator('.list-summary'), /^1–50 of 56 assets$/);
  await screenshot(page, 'list');

  // Search.
  await page.getByLabel('Search assets').fill('customer');
  await page.getByLabel('Search assets').press('Enter');
  await expectText(page.locator('.list-summary'), /^1–1 of 1 asset$/);
  await page.getByRole('button', { name: /Remove search/ }).click();
  await expectText(page.locator('.list-summary'), /of 56 assets$/);

  // A filter chip: Classification is Restricted.
  await page.getByRole('button', { name: '+ Add filter' }).click();
  await page.getByLabel('Filter by').selectOption('classification');
  await page.locator('#filter-value').selectOption('restricted');
  await page.getByRole('button', { name: 'Apply filter' }).click();
  const chip = page.locator('.filter-chip', { hasText: 'Classification: Restricted' });
  await chip.waitFor();
  await expectText(page.locator('.list-summary'), /of 12 assets$/);
  assert.match(page.url(), /classification=restricted/);

  // A reference filter chip, by picking the owner.
  await page.getByRole('button', { name: '+ Add filter' }).click();
  await page.getByLabel('Filter by').selectOption('owner');
  await page.locator('#filter-value').click();
  await page.getByRole('option', { name: /Pat Owner/ }).click();
  await page.getByRole('button', { name: 'Apply filter' }).click();
  await page.locator('.filter-chip', { hasText: 'Owner: Pat Owner' }).waitFor();

  // Reloading keeps the filters.
  await page.reload();
  await page.locator('.filter-chip', { hasText: 'Classification: Restricted' }).waitFor();
  await page.locator('.filter-chip', { hasText: 'Owner: Pat Owner' }).waitFor();
  await expectText(page.locator('.list-summary'), /of 12 assets$/);

  // Removing a chip removes the filter.
  await page.getByRole('button', { name: 'Remove filter Classification: Restricted' }).click();
  await expectCount(page.locator('.filter-chip', { hasText: 'Classification' }), 0);
  await expectText(page.locator('.list-summary'), /of 56 assets$/);

  // Choosing columns; the choice is remembered.
  await page.getByText('Columns', { exact: true }).click();
  await page.getByLabel('Location').check();
  await page.locator('thead th', { hasText: 'Location' }).waitFor();
  await page.keyboard.press('Escape');
  await page.reload();
  await page.locator('thead th', { hasText: 'Location' }).waitFor();

  // Rows link to the record (sorted by name, descending, Laptop 55 comes first); clicking
  // anywhere in the row opens it too.
  await page.getByRole('link', { name: 'Laptop 55' }).click();
  await page.getByRole('heading', { name: 'Laptop 55', level: 1 }).waitFor();
  await page.goBack();
  await page.locator('table.grid tbody tr', { hasText: 'Laptop 54' }).locator('td').first().click();
  await page.getByRole('heading', { name: 'Laptop 54', level: 1 }).waitFor();
});

test('searching everything from the top bar', async () => {
  await page.getByLabel('Search all records').fill('customer');
  await page.getByLabel('Search all records').press('Enter');
  await page.getByRole('heading', { name: 'Search: “customer”', level: 1 }).waitFor();
  await settle(page);
  const assets = page.locator('.search-results section', { has: page.getByRole('heading', { name: /Assets/ }) });
  await assets.getByRole('link', { name: 'Customer database' }).waitFor();
});

test('the person page lists the assets they own', async () => {
  await page.goto(`${env.base}/#/t/people/${env.pat.id}`);
  await page.getByRole('heading', { name: 'Pat Owner', level: 1 }).waitFor();
  await expectText(page.locator('.linked-table h3', { hasText: 'Assets' }), /Assets\s*\(Owner\) · 56/);
  await page.getByRole('link', { name: 'All 56 →' }).waitFor();
});

test('a staff member sees the asset but cannot create, edit or delete', async () => {
  await signOut(page);
  await signIn(page, env, 'sam');
  await expectText(page.locator('.topbar .who-role'), /^Staff$/);
  await page.goto(assetUrl);
  await page.getByRole('heading', { name: 'Customer database', level: 1 }).waitFor();
  await expectText(page.locator('.kv[data-field="classification"] dd'), /^Restricted$/);
  await page.locator('.timeline > li').first().waitFor();
  assert.equal(await page.getByRole('link', { name: 'Edit' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Delete' }).count(), 0);

  await page.goto(`${env.base}/#/t/assets`);
  await page.getByRole('heading', { name: 'Assets', level: 1 }).waitFor();
  await settle(page);
  await page.getByRole('link', { name: 'Customer database' }).waitFor();
  assert.equal(await page.getByRole('link', { name: /New asset/ }).count(), 0);

  // Typing the form's address gives a clear refusal, not a form.
  await page.goto(`${env.base}/#/t/assets/new`);
  await expectText(page.locator('.banner'), /Your role may not change assets/);
  assert.equal(await page.getByRole('button', { name: 'Create asset' }).count(), 0);
});

test('signing out returns to the sign-in page, and pages then ask to sign in', async () => {
  await signOut(page);
  assert.match(page.url(), /#\/login$/);
  await expectText(page.locator('.banner'), /You have signed out/);
  await page.goto(assetUrl);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  // Signing in again goes back to where the person was going.
  await page.getByLabel('Username').fill('mona');
  await page.getByLabel('Password').fill('mona-Secret-Passw0rd');
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('heading', { name: 'Customer database', level: 1 }).waitFor();
  await signOut(page);
});

test('no script errors or CSP violations happened', () => {
  assertCleanConsole(env);
});
