// audits.test.mjs — internal audit (9.2) in the browser: the coverage matrix from the
// navigation (a row per clause and applicable control, planned / not covered in words, the
// XLSX link), an audit's workspace on its page (checklist rows with their findings and "Add
// finding" prefilled, the sample with "Draw again" giving the same items, by keyboard, the
// report links), and the workspace on a 390 px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, screenshot, settle, expectText, expectCount,
  apiClient, cli, assertCleanConsole } from './lib.mjs';

let env;
let page;
let programme;
let audit;
let sample;
const day = (offset = 0) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

before(async () => {
  env = await setup();
  page = await newPage(env);
  const mona = await apiClient(env.base, 'mona');
  programme = await mona.create('audit-programmes', { title: 'Audit programme 2026–2028',
    period_start: day(-30), period_end: day(1000), cycle_years: 3 });
  audit = await mona.create('audits', { programme: programme.id, title: 'Clause 8 audit',
    clauses: ['8.1', '8.2'], lead_auditor: env.pat.id, planned_start: day(-3), planned_end: day(2) });
  const r = await cli(env, ['act', 'audits', String(audit.id), 'start_fieldwork', `actual_start=${day(-3)}`], { as: 'mona' });
  assert.equal(r.code, 0, r.stderr);
  const kinds = (await mona.get('finding-kinds')).json.items;
  await mona.create('audit-findings', { audit: audit.id, clause: '8.1', kind: kinds.find((k) => k.name === 'observation').id,
    statement: 'Release checklists differ between teams.' });
  sample = await mona.create('audit-samples', { audit: audit.id, title: 'Epics of 2026', method: 'random', size: 9, seed: 42,
    population: Array.from({ length: 30 }, (_, i) => `EPIC-${i + 100}`) });
});

after(async () => {
  await teardown(env);
});

test('the coverage matrix: every clause and applicable control, planned or not covered', async () => {
  await signIn(page, env, 'mona');
  // Section 9 links it; Reports too (the view has exports).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Audit coverage\s*9\.2$/ }).click();
  await page.getByRole('heading', { name: 'Audit coverage matrix', level: 1 }).waitFor();
  await settle(page);
  const row = (key) => page.locator(`#coverage-matrix tr[data-key="${key}"]`);
  await expectText(row('8.1'), /Operational planning and control[\s\S]*Planned[\s\S]*1 observation[\s\S]*n\/a/);
  assert.equal(await row('8.1').getAttribute('data-status'), 'planned');
  await expectText(row('4.1'), /Not covered/);
  assert.ok(await page.locator('#coverage-matrix tr[data-key^="A."]').count() > 50);
  await expectText(page.locator('#coverage-summary'), /not yet in any audit's scope: 4\.1/);
  assert.equal(await page.locator('#coverage-xlsx').getAttribute('href'),
    `/api/v1/reports/audit-coverage.xlsx?programme=${programme.id}`);
  await screenshot(page, 'audit-coverage');
  // The programme's own page carries the same matrix.
  await page.goto(`${env.base}/#/t/audit-programmes/${programme.id}`);
  await page.getByRole('heading', { name: 'Coverage matrix' }).waitFor();
  await expectText(page.locator('#coverage-matrix tr[data-key="8.2"]'), /Planned/);
  assertCleanConsole(env);
});

test('the audit workspace: checklist with findings, the sample drawn again identically, report links', async () => {
  await page.goto(`${env.base}/#/t/audits/${audit.id}`);
  await page.getByRole('heading', { name: 'Audit workspace' }).waitFor();
  await settle(page);
  const rows = page.locator('.audit-checklist > li');
  await expectCount(rows, 2);
  await expectText(rows.nth(0), /8\.1[\s\S]*Is there evidence[\s\S]*Observation[\s\S]*Release checklists differ/);
  await expectText(rows.nth(1), /No finding yet/);
  assert.equal(await rows.nth(1).getByRole('link', { name: 'Add a finding for 8.2' }).getAttribute('href'),
    `#/t/audit-findings/new?audit=${audit.id}&clause=8.2`);
  const list = page.locator(`ol.sample-drawn[data-sample="${sample.id}"] li`);
  await expectCount(list, 9);
  const first = await list.allTextContents();
  assert.deepEqual(first, sample.drawn);
  // Draw again by keyboard: the same seed gives the same nine items.
  const again = page.locator(`button[data-draw="${sample.id}"]`);
  await again.focus();
  await page.keyboard.press('Enter');
  await expectText(page.locator(`[data-sample-card="${sample.id}"] [role="status"]`), /seed 42: the same 9 items/);
  assert.deepEqual(await list.allTextContents(), first);
  assert.equal(await page.locator('#report-html').getAttribute('href'), `/api/v1/reports/audit-report.html?audit=${audit.id}`);
  assert.equal(await page.locator('#report-xlsx').getAttribute('href'), `/api/v1/reports/audit-report.xlsx?audit=${audit.id}`);
  await screenshot(page, 'audit-workspace');
  assertCleanConsole(env);
});

test('on a 390 px phone the workspace and the matrix fit the screen', async () => {
  const phone = await newPage(env, { viewport: { width: 390, height: 844 } });
  await phone.goto(`${env.base}/#/t/audits/${audit.id}`);
  await phone.getByRole('heading', { name: 'Audit workspace' }).waitFor();
  await settle(phone);
  await expectCount(phone.locator('.audit-checklist > li'), 2);
  let overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page overflows by ${overflow}px`);
  await screenshot(phone, 'audit-workspace-phone');
  await phone.goto(`${env.base}/#/audit-coverage?programme=${programme.id}`);
  await phone.getByRole('heading', { name: 'Audit coverage matrix', level: 1 }).waitFor();
  await settle(phone);
  overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `coverage page overflows by ${overflow}px (the table scrolls inside its frame)`);
  await phone.close();
});
