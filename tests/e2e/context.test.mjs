// context.test.mjs — the clause 4 page before and after the context is recorded, approving a
// scope under the four-eyes rule, a conflicting edit (412) that keeps the user's input, the
// change-password page, and the app on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, signOut, screenshot, settle, expectText, expectCount,
  apiClient, assertCleanConsole } from './lib.mjs';

let env;
let page;
let api;
let scope;
let issue;

before(async () => {
  env = await setup({ approvers: true });
  page = await newPage(env);
  api = await apiClient(env.base, 'mona');
});

after(async () => {
  await teardown(env);
});

test('the context page says clearly what is missing when nothing is recorded', async () => {
  await signIn(page, env, 'mona');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Context at a glance/ }).click();
  await page.getByRole('heading', { name: 'Context of the organization', level: 1 }).waitFor();
  await settle(page);
  await expectText(page.locator('#sec-ctx-climate'), /No climate decision is recorded yet/);
  await expectText(page.locator('#sec-ctx-scope'), /There is no approved scope/);
  await expectText(page.locator('#sec-ctx-issues'), /No internal issues recorded yet[\s\S]*No external issues recorded yet/);
  await expectText(page.locator('#sec-ctx-parties'), /No interested parties recorded yet/);
  await expectText(page.locator('.check-list'), /Not met\s*At least one internal issue/);
});

test('the context page shows issues, the climate decision, parties with requirements and the scope', async () => {
  issue = await api.create('context-issues', { title: 'Small security team', origin: 'internal', category: 'resources',
    owner: env.pat.id, last_reviewed: new Date().toISOString().slice(0, 10) });
  await api.create('context-issues', { title: 'Dependence on one cloud provider', origin: 'external', category: 'technological',
    last_reviewed: new Date().toISOString().slice(0, 10) });
  await api.create('context-issues', { title: 'Flooding near the main office', origin: 'external', category: 'environmental',
    climate_related: true, last_reviewed: new Date().toISOString().slice(0, 10) });
  await api.create('climate-decisions', { decided_on: '2025-01-15', relevant: false, rationale: 'First look: not relevant.' });
  await api.create('climate-decisions', { decided_on: '2026-02-01', relevant: true,
    rationale: 'Flood risk at the main office; customers ask about resilience.', decided_by: env.pat.id });
  const customers = await api.create('interested-parties', { name: 'Enterprise customers', origin: 'external', kind: 'customer' });
  const dpa = await api.create('interested-parties', { name: 'Data protection authority', origin: 'external', kind: 'regulator' });
  await api.create('requirements', { description: 'ISO 27001 certificate', party: customers.id, source: 'contractual',
    addressed: true, how_addressed: 'Certification project' });
  await api.create('requirements', { description: '24/7 incident support', party: customers.id, source: 'expectation',
    addressed: false, how_addressed: 'Business hours only; out of scope' });
  await api.create('requirements', { description: 'Secure processing of personal data', party: dpa.id, source: 'legal',
    addressed: true, how_addressed: 'Controls A.5.34 and A.8.24', reference: 'GDPR Art. 32' });
  await api.create('processes', { name: 'Risk management', owner: env.pat.id });
  scope = await api.create('scopes', { title: 'ISMS scope 2026', statement: 'The SaaS platform, its operations team and the Berlin office.' });

  await page.reload();
  await page.getByRole('heading', { name: 'Context of the organization', level: 1 }).waitFor();
  await settle(page);
  for (const name of ['Internal and external issues', 'Climate change', 'Interested parties and their requirements',
    'Scope of the ISMS', 'ISMS processes'])
    await page.getByRole('heading', { name: new RegExp(name), level: 2 }).waitFor();

  // Internal and external issues side by side.
  const cols = page.locator('#sec-ctx-issues .ctx-col');
  await expectText(cols.nth(0).locator('h3'), /Internal issues\s*1/);
  await expectText(cols.nth(0), /Small security team/);
  await expectText(cols.nth(1).locator('h3'), /External issues\s*2/);
  await expectText(cols.nth(1), /Flooding near the main office[\s\S]*Climate/);

  // The newest climate decision is the one in force.
  await expectText(page.locator('#sec-ctx-climate'), /Climate change is relevant[\s\S]*2026-02-01[\s\S]*Pat Owner[\s\S]*Flood risk/);

  // Each party with its requirements and whether each is addressed.
  const customersBox = page.locator('.party', { hasText: 'Enterprise customers' });
  await expectText(customersBox.locator('li', { hasText: 'ISO 27001 certificate' }), /^Addressed/);
  await expectText(customersBox.locator('li', { hasText: '24/7 incident support' }), /^Not addressed/);
  await expectText(customersBox, /1 of 2 addressed/);
  await expectText(page.locator('.party', { hasText: 'Data protection authority' }), /Addressed\s*Secure processing of personal data/);

  // Only a draft scope so far.
  await expectText(page.locator('#sec-ctx-scope'), /There is no approved scope[\s\S]*Versions in preparation: ISMS scope 2026 \(draft\)/);
});

test('approving a scope: submitted by one manager, refused to her, approved by a second', async () => {
  await page.goto(`${env.base}/#/t/scopes/${scope.id}`);
  await page.getByRole('heading', { name: 'ISMS scope 2026', level: 1 }).waitFor();
  await expectText(page.locator('.title-line .chip'), /^Draft$/);
  assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0, 'a draft is submitted first');
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Submit for approval' }).click();
  await expectCount(page.getByRole('dialog'), 0);
  await expectText(page.locator('.title-line .chip'), /^Submitted$/);
  await page.getByRole('button', { name: 'Approve' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await expectText(dialog, /Status:\s*Submitted\s*→\s*Approved/);
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expectText(dialog.getByRole('alert'), /you submitted this scope, so someone else must approve it/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expectCount(page.getByRole('dialog'), 0);
  await expectText(page.locator('.title-line .chip'), /^Submitted$/);

  await signOut(page);
  await signIn(page, env, 'max');
  await page.goto(`${env.base}/#/t/scopes/${scope.id}`);
  await page.getByRole('heading', { name: 'ISMS scope 2026', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
  await expectCount(page.getByRole('dialog'), 0);
  await expectText(page.locator('.title-line .chip'), /^Approved$/);
  await expectText(page.locator('.record-messages'), /Approved\./);
  await expectText(page.locator('.kv[data-field="approved_by"] dd'), /^max$/);
  assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0, 'no Approve button once approved');
  const items = page.locator('.timeline > li');
  await expectCount(items, 3);
  await expectText(items.nth(0).locator('.tl-head'), /^Approved by max/);
  await expectText(items.nth(0).locator('.tl-changes'), /Status:\s*Submitted[\s\S]*Approved/);

  await page.goto(`${env.base}/#/context`);
  await page.getByRole('heading', { name: 'Context of the organization', level: 1 }).waitFor();
  await settle(page);
  await expectText(page.locator('#sec-ctx-scope'), /ISMS scope 2026\s*Approved[\s\S]*The SaaS platform, its operations team and the Berlin office\./);
  await expectText(page.locator('.check-list'), /Met\s*An approved, current scope/);
  await screenshot(page, 'context');
});

test('a conflicting edit (412) keeps the input and offers to reload', async () => {
  await page.goto(`${env.base}/#/t/context-issues/${issue.id}/edit`);
  await page.getByRole('heading', { name: 'Edit Small security team', level: 1 }).waitFor();
  await page.getByLabel('Effect on the ISMS').fill('Slower response to incidents.');
  // Meanwhile someone else changes the issue.
  await api.patch('context-issues', issue.id, issue.version, { category: 'culture' });
  await page.getByRole('button', { name: 'Save changes' }).click();
  const alert = page.locator('.form-messages .banner-error');
  await expectText(alert, /Someone else changed this context issue/);
  assert.equal(await page.getByLabel('Effect on the ISMS').inputValue(), 'Slower response to incidents.');
  await screenshot(page, 'form-conflict');
  await alert.getByRole('button', { name: 'Reload newest version' }).click();
  await expectText(page.locator('.form-messages'), /Loaded version 2\. Your changes to Effect on the ISMS are kept/);
  assert.equal(await page.getByLabel('Category').inputValue(), 'culture');
  assert.equal(await page.getByLabel('Effect on the ISMS').inputValue(), 'Slower response to incidents.');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('heading', { name: 'Small security team', level: 1 }).waitFor();
  await expectText(page.locator('.kv[data-field="category"] dd'), /^Culture$/);
  await expectText(page.locator('.kv[data-field="effect"] dd'), /Slower response to incidents\./);
});

test('markdown is formatted by the server with raw HTML left out; other user text stays text', async () => {
  const evil = await api.create('context-issues', { title: '<img src=x onerror=alert(1)> tricky', origin: 'internal',
    category: 'culture', description: '<script>window.__pwned = 1</script>\n\n**bold** <img src=x onerror="window.__pwned = 2">' });
  await page.goto(`${env.base}/#/t/context-issues/${evil.id}`);
  await page.getByRole('heading', { name: '<img src=x onerror=alert(1)> tricky', level: 1 }).waitFor();
  await expectText(page.locator('.kv[data-field="description"] .md-body strong'), /^bold$/);
  assert.equal(await page.locator('main img, main script, main [onerror]').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
});

test('keyboard: sign in, open the menu of columns, pick a reference without a mouse', async () => {
  await signOut(page);
  await page.getByLabel('Username').focus();
  await page.keyboard.type('mona');
  await page.keyboard.press('Tab');
  await page.keyboard.type('mona-Secret-Passw0rd');
  await page.keyboard.press('Enter');
  await page.locator('.topbar .who-name').waitFor();

  await page.goto(`${env.base}/#/t/requirements/new`);
  await page.getByRole('heading', { name: 'New requirement', level: 1 }).waitFor();
  const party = page.getByRole('combobox', { name: /^Interested party/ });
  await party.focus();
  await page.keyboard.type('Data');
  await page.getByRole('option', { name: /Data protection authority/ }).waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  assert.equal(await party.inputValue(), 'Data protection authority');
  assert.equal(await party.getAttribute('aria-expanded'), 'false');
  // The focused control shows a visible focus ring.
  const outline = await party.evaluate((el) => getComputedStyle(el).outlineStyle);
  assert.notEqual(outline, 'none');
});

test('changing the password', async () => {
  await page.goto(`${env.base}/#/password`);
  await page.getByRole('heading', { name: 'Change password', level: 1 }).waitFor();
  await page.getByLabel('Current password').fill('wrong-password-1');
  await page.getByLabel('New password', { exact: true }).fill('mona-New-Passw0rd-2');
  await page.getByLabel('New password again').fill('mona-New-Passw0rd-2');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expectText(page.locator('#pw-current-error'), /current password is wrong/i);
  await page.getByLabel('Current password').fill('mona-Secret-Passw0rd');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  await expectText(page.locator('.flash'), /Your password has been changed/);
  // Change it back, so other tests' sign-ins keep working.
  await page.goto(`${env.base}/#/password`);
  await page.getByLabel('Current password').fill('mona-New-Passw0rd-2');
  await page.getByLabel('New password', { exact: true }).fill('mona-Secret-Passw0rd');
  await page.getByLabel('New password again').fill('mona-Secret-Passw0rd');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
});

test('on a phone the navigation collapses behind a menu button', async () => {
  const phone = await newPage(env, { viewport: { width: 390, height: 844 } });
  await phone.goto(`${env.base}/#/context`);
  await phone.getByRole('heading', { name: 'Context of the organization', level: 1 }).waitFor();
  const menu = phone.getByRole('button', { name: 'Menu' });
  await menu.waitFor();
  const nav = phone.locator('#sidenav');
  assert.equal(await nav.isVisible(), false, 'navigation hidden on a phone');
  await settle(phone);
  await screenshot(phone, 'mobile-context');
  await menu.click();
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  await nav.getByRole('link', { name: /Assets/ }).waitFor({ state: 'visible' });
  await screenshot(phone, 'mobile-menu');
  await nav.getByRole('link', { name: /Interested parties/ }).click();
  await phone.getByRole('heading', { name: 'Interested parties', level: 1 }).waitFor();
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  await phone.waitForFunction(() => getComputedStyle(document.getElementById('sidenav')).visibility === 'hidden');
  // No sideways scrolling of the page itself.
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(wide, false, 'the page fits the phone width');
  await phone.close();
});

test('no script errors or CSP violations happened', () => {
  assertCleanConsole(env);
});
