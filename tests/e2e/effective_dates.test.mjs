// effective_dates.test.mjs — recording a decision late in the browser: the approval dialog
// takes an "Effective on" day, asks why once it is more than a week back, refuses the future,
// and the version's history then says "Recorded on … for …"; the document's next review
// counts from the effective day.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, signOut, settle, expectText, expectCount,
  apiClient, assertCleanConsole, USERS } from './lib.mjs';

let env;
let page;
let api;
let doc;
let version;

const day = (offset) => new Date(Date.now() + offset * 86400e3).toISOString().slice(0, 10);
const addMonths = (date, months) => {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12); const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};

before(async () => {
  env = await setup({ approvers: true });
  page = await newPage(env);
  api = await apiClient(env.base, 'mona');
  doc = await api.create('documents', { identifier: 'PRO-090', title: 'Backup procedure', kind: 'procedure' });
  version = await api.create('document-versions', { document: doc.id, body: '# Backups\n\nNightly.' });
  // mona submits through the API; max approves in the browser.
  const res = await fetch(`${env.base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'mona', password: USERS.mona.password }) });
  const s = await res.json();
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const r = await fetch(`${env.base}/api/v1/document-versions/${version.id}/actions/submit`, {
    method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': s.csrf_token } });
  assert.equal(r.status, 200);
});

after(async () => {
  await teardown(env);
});

test('an approval backdated in the dialog: future refused, a reason asked for, history says recorded on … for …', async () => {
  await signIn(page, env, 'max');
  await page.goto(`${env.base}/#/t/documents/${doc.id}`);
  await page.getByRole('heading', { name: doc.title, level: 1 }).waitFor();
  await settle(page);
  const row = page.locator('.doc-version-table tbody tr[data-version="1"]');
  await row.getByRole('button', { name: /^Approve/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const on = dialog.getByLabel('Effective on');
  // Tomorrow is refused before anything is sent.
  await on.fill(day(1));
  await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
  await expectText(dialog.locator('[data-field="effective_on"] .field-error'), /cannot be in the future/);
  // Forty days back needs the reason.
  const effective = day(-40);
  await on.fill(effective);
  await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
  await expectText(dialog.locator('[data-field="reason"] .field-error'), /more than 7 days ago/);
  await dialog.getByLabel(/Why it is recorded late/).fill('Signed at the October board meeting');
  await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
  await expectCount(page.getByRole('dialog'), 0);
  await expectText(row, new RegExp(`Approved.*${effective}`));

  // The version's own page: the history says when it was keyed in and for when.
  const v = (await api.get(`document-versions/${version.id}`)).json;
  assert.equal(v.approved_on, effective);
  await page.goto(`${env.base}/#/t/document-versions/${version.id}`);
  await settle(page);
  await expectText(page.locator('.tl-approve .tl-effective'),
    new RegExp(`^Recorded on ${day(0)} for ${effective} — Signed at the October board meeting$`));
  await signOut(page);
  assertCleanConsole(env);
});

test('publishing backdated gives the document its review date from the effective approval', async () => {
  await signIn(page, env, 'mona');
  await page.goto(`${env.base}/#/t/documents/${doc.id}`);
  await page.getByRole('heading', { name: doc.title, level: 1 }).waitFor();
  await settle(page);
  const row = page.locator('.doc-version-table tbody tr[data-version="1"]');
  await row.getByRole('button', { name: /^Publish/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByLabel('Effective on').fill(day(-3));
  // Within a week no reason is needed.
  await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
  await expectCount(page.getByRole('dialog'), 0);
  await expectText(row.locator('.chip'), /^Published$/);
  const d = (await api.get(`documents/${doc.id}`)).json;
  assert.equal(d.next_review, addMonths(day(-40), 12));
  await signOut(page);
  assertCleanConsole(env);
});
