// reading.test.mjs — "Policies to read" and acknowledgement progress (5.2, 7.3): a staff member
// reads a published policy and confirms it in the browser, the top-bar count goes down, and an
// ISMS manager follows progress per document and records an acknowledgement made on paper.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, signOut, screenshot, settle, expectText, expectCount,
  apiClient, assertCleanConsole, linkUser, USERS } from './lib.mjs';

// An account linked to no person (the managers belong to people: they approve).
USERS.nina = { role: 'staff', name: 'Nina New', password: 'nina-Secret-Passw0rd' };

let env;
let page;
let mona;
let samPerson;
let aup;

// A signed-in client that can also take workflow actions (POST without a 201).
async function client(username) {
  const c = await apiClient(env.base, username);
  const res = await fetch(`${env.base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: USERS[username].password }),
  });
  const { csrf_token: csrf } = await res.json();
  const cookie = res.headers.getSetCookie().map((x) => x.split(';')[0]).join('; ');
  c.act = async (plural, id, action) => {
    const r = await fetch(`${env.base}/api/v1/${plural}/${id}/actions/${action}`,
      { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf } });
    assert.equal(r.status, 200, `${action} ${plural}/${id}: ${await r.text()}`);
  };
  return c;
}

// A document for all staff with one published version: written by mona, approved by max.
async function publish(identifier, title, body, { mona: m, max }) {
  const doc = await m.create('documents', { identifier, title, kind: 'procedure', audience: 'all_staff' });
  const v = await m.create('document-versions', { document: doc.id, body, change_summary: 'First issue' });
  await m.act('document-versions', v.id, 'submit');
  await max.act('document-versions', v.id, 'approve');
  await m.act('document-versions', v.id, 'publish');
  return { doc, version: v };
}

before(async () => {
  env = await setup({ approvers: true });
  page = await newPage(env);
  mona = await client('mona');
  const max = await client('max');
  samPerson = await mona.create('people', { name: 'Sam Staff', email: 'sam@example.com' });
  await linkUser(env, 'sam', samPerson.id);
  aup = await publish('POL-AUP', 'Acceptable use', '# Acceptable use\n\nLock your screen when you leave your desk.', { mona, max });
  await publish('PRO-CLR', 'Clear desk', '# Clear desk\n\nNo papers left on desks overnight.', { mona, max });
});

after(async () => {
  await teardown(env);
});

test('a staff user acknowledges a policy in the browser', async () => {
  await signIn(page, env, 'sam');
  const badge = page.locator('#reading-link');
  await expectText(badge, /^To read 2$/);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expectText(nav.locator('#nav-reading-count'), /^2$/);
  // The overview says what waits for sam first.
  await expectText(page.locator('#home-todo [data-todo="reading"]'), /^2 policies to read and acknowledge$/);
  assert.equal(await page.locator('#home-todo [data-todo="inbox"]').count(), 0, 'no approvals for staff');
  assert.equal(await nav.getByRole('link', { name: /Acknowledgement progress/ }).count(), 0, 'staff do not see progress');
  await badge.click();
  await page.getByRole('heading', { name: 'Policies to read', level: 1 }).waitFor();
  await settle(page);
  await expectCount(page.locator('.reading-item.is-pending'), 2);
  await expectText(page.locator('.list-summary'), /^2 to read, 0 acknowledged/);
  await screenshot(page, 'reading-list');

  await page.getByRole('link', { name: /Acceptable use/ }).click();
  await page.getByRole('heading', { name: 'Acceptable use', level: 1 }).waitFor();
  await expectText(page.locator('.doc-text'), /Lock your screen when you leave your desk/);
  assert.equal(await page.locator('.doc-text h2').count(), 1, 'the text is rendered from Markdown, headings one level down');
  await page.getByRole('button', { name: 'I have read and understood' }).click();
  await expectText(page.locator('.ack-done'), /You acknowledged this version on \d{4}-\d{2}-\d{2}/);
  await expectText(badge, /^To read 1$/);
  await screenshot(page, 'reading-acknowledged');

  await page.getByRole('link', { name: 'Back to Policies to read' }).click();
  await page.getByRole('heading', { name: 'Policies to read', level: 1 }).waitFor();
  await settle(page);
  await expectText(page.locator('.list-summary'), /^1 to read, 1 acknowledged/);
  // Pending first: Clear desk is still to read, Acceptable use comes after it.
  await expectText(page.locator('.reading-item').nth(0), /Clear desk[\s\S]*To read/);
  await expectText(page.locator('.reading-item').nth(1), /Acceptable use[\s\S]*Acknowledged on/);

  // On a phone the count stays in the top bar and nothing scrolls sideways.
  const phone = await newPage(env, { viewport: { width: 390, height: 800 } });
  await phone.goto(`${env.base}/#/reading`);
  await phone.getByRole('heading', { name: 'Policies to read', level: 1 }).waitFor();
  await expectText(phone.locator('#reading-link'), /^To read 1$/);
  await screenshot(phone, 'reading-phone');
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling');
  await phone.close();

  const acks = await mona.get(`acknowledgements?document_version=${aup.version.id}`);
  assert.equal(acks.status, 200);
  assert.equal(acks.json.total, 1);
  assert.equal(acks.json.items[0].person, samPerson.id);
  assert.equal(acks.json.items[0].method, 'in_app');
  assertCleanConsole(env);
});

test('an account without a person is told so, and has no count in the top bar', async () => {
  await signOut(page);
  await signIn(page, env, 'nina');
  await page.goto(`${env.base}/#/reading`);
  await page.getByRole('heading', { name: 'Policies to read', level: 1 }).waitFor();
  await expectText(page.locator('main .banner-warning'), /not linked to a person/);
  assert.equal(await page.locator('#reading-link').isVisible(), false);
  assertCleanConsole(env);
});

test('progress shows the percentage and who is pending; a paper acknowledgement raises it', async () => {
  await signOut(page);
  await signIn(page, env, 'mona');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: /Acknowledgement progress/ }).click();
  await page.getByRole('heading', { name: 'Acknowledgement progress', level: 1 }).waitFor();
  await settle(page);
  // All staff: the two managers, Pat Owner and Sam Staff; Sam has read the acceptable use policy.
  const row = page.locator(`tr[data-document="${aup.doc.id}"]`);
  await expectText(row, /Acceptable use[\s\S]*25 %/);
  assert.equal(await row.locator('progress').getAttribute('value'), '25');
  await screenshot(page, 'acknowledgement-progress');

  await row.getByRole('link', { name: /Acceptable use/ }).click();
  await page.getByRole('heading', { name: 'Acceptable use', level: 1 }).waitFor();
  await settle(page);
  await expectText(page.locator('#ack-done'), /Sam Staff[\s\S]*In isms/);
  await expectText(page.locator('#ack-pending'), /Pat Owner/);
  await page.getByLabel('Person').selectOption({ label: 'Pat Owner' });
  await page.getByLabel('How').selectOption('on_paper');
  await page.getByLabel('Note').fill('Signed form in the HR file');
  await page.getByRole('button', { name: 'Record acknowledgement' }).click();
  await expectText(page.locator('.record-messages .banner-success'), /Pat Owner acknowledged POL-AUP on paper/);
  await expectText(page.locator('.ack-summary'), /50 %[\s\S]*2 of 4 acknowledged, 2 not yet/);
  await expectText(page.locator('#ack-done'), /Pat Owner[\s\S]*On paper/);
  await screenshot(page, 'acknowledgement-detail');

  await page.getByRole('link', { name: 'Acknowledgement progress' }).first().click();
  await page.getByRole('heading', { name: 'Acknowledgement progress', level: 1 }).waitFor();
  await expectText(page.locator(`tr[data-document="${aup.doc.id}"]`), /50 %/);
  const acks = await mona.get(`acknowledgements?document_version=${aup.version.id}&method=on_paper`);
  assert.equal(acks.json.total, 1);
  assert.equal(acks.json.items[0].person, env.pat.id);
  assert.equal(acks.json.items[0].note, 'Signed form in the HR file');
  assertCleanConsole(env);
});
