// attachments.test.mjs — the "Evidence files" panel on a record page: upload a file, see it
// listed with its size, type and uploader, download it through its link (the same bytes, as
// an attachment), delete it; and a staff member sees the list but no upload control.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { setup, teardown, newPage, signIn, signOut, screenshot, settle, expectText, expectCount,
  assertCleanConsole } from './lib.mjs';

let env;
let page;
const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(3000), Buffer.from([0, 0, 255])]);
const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

before(async () => {
  env = await setup();
  page = await newPage(env);
});

after(async () => {
  await teardown(env);
});

test('uploading a file on a record page lists it with a download link', async () => {
  await signIn(page, env, 'mona');
  await page.goto(`${env.base}/#/t/people/${env.pat.id}`);
  const panel = page.getByRole('region', { name: /Evidence files/ });
  await expectText(panel.locator('.empty-files'), /No files attached yet/);

  // Without a file chosen: a message, nothing sent.
  await panel.getByRole('button', { name: 'Upload' }).click();
  await expectText(panel.getByRole('alert'), /Choose a file first/);

  await panel.getByLabel('Add a file').setInputFiles({ name: 'Restore test.pdf', mimeType: 'application/pdf', buffer: bytes });
  await panel.getByLabel('Description (optional)').fill('Quarterly restore test');
  await panel.getByRole('button', { name: 'Upload' }).click();
  await expectText(panel.getByRole('status'), /“Restore test\.pdf” uploaded/);
  await expectCount(panel.locator('tbody tr'), 1);
  const row = panel.locator('tbody tr').first();
  await expectText(row, /Restore test\.pdf/);
  await expectText(row, /Quarterly restore test/);
  await expectText(row, /2\.9 KiB/);
  await expectText(row, /application\/pdf/);
  await expectText(row, /mona/);
  await screenshot(page, 'record-evidence-files');

  const link = row.getByRole('link', { name: 'Restore test.pdf' });
  const id = await row.getAttribute('data-attachment');
  assert.equal(await link.getAttribute('href'), `/api/v1/attachments/${id}/content`);
  assert.equal(await link.getAttribute('download'), 'Restore test.pdf');

  // Following the link downloads the same bytes under the file's name.
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'Restore test.pdf');
  const got = await new Promise((resolve, reject) => {
    download.createReadStream().then((s) => {
      const parts = [];
      s.on('data', (d) => parts.push(d));
      s.on('end', () => resolve(Buffer.concat(parts)));
      s.on('error', reject);
    }, reject);
  });
  assert.equal(sha256(got), sha256(bytes), 'downloaded bytes differ from the upload');
});

test('a staff member sees the files but may not add or delete any', async () => {
  await signOut(page);
  await signIn(page, env, 'sam');
  await page.goto(`${env.base}/#/t/people/${env.pat.id}`);
  const panel = page.getByRole('region', { name: /Evidence files/ });
  await expectCount(panel.locator('tbody tr'), 1);
  await settle(page);
  assert.equal(await panel.getByRole('button', { name: 'Upload' }).count(), 0);
  assert.equal(await panel.getByRole('button', { name: 'Delete' }).count(), 0);
});

test('deleting a file asks first, then the list is empty again', async () => {
  await signOut(page);
  await signIn(page, env, 'mona');
  await page.goto(`${env.base}/#/t/people/${env.pat.id}`);
  const panel = page.getByRole('region', { name: /Evidence files/ });
  await expectCount(panel.locator('tbody tr'), 1);
  await panel.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete file' }).click();
  await expectText(panel.getByRole('status'), /deleted/);
  await expectText(panel.locator('.empty-files'), /No files attached yet/);
  assertCleanConsole(env);
});
