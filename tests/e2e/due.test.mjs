// due.test.mjs — the top bar counts what is overdue and leads to the "What is due" page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, signOut, screenshot, expectText, apiClient, assertCleanConsole,
  linkUser } from './lib.mjs';

let env;
let page;
const day = (offset) => new Date(Date.now() + offset * 86400e3).toISOString().slice(0, 10);

before(async () => {
  env = await setup();
  page = await newPage(env);
  const mona = await apiClient(env.base, 'mona');
  await mona.create('context-issues', { title: 'Supplier law changes', origin: 'external', category: 'legal',
    owner: env.pat.id, last_reviewed: day(-380), next_review: day(-15) });
  await mona.create('context-issues', { title: 'Team growth', origin: 'internal', category: 'resources',
    owner: env.pat.id, last_reviewed: day(-300), next_review: day(20) });
});

after(async () => {
  await teardown(env);
});

test('the top bar shows the overdue count and the page lists what is due', async () => {
  await signIn(page, env, 'mona');
  const link = page.locator('#due-link');
  await expectText(link, /^Due 1$/);
  await link.click();
  await page.getByRole('heading', { name: 'What is due', level: 1 }).waitFor();
  const rows = page.locator('main table tbody tr');
  await expectText(rows.nth(0), /Supplier law changes/);
  await expectText(rows.nth(0), /Overdue/);
  await expectText(rows.nth(1), /Team growth/);
  await expectText(rows.nth(1), /Due soon/);
  await page.getByRole('link', { name: 'Overdue only' }).click();
  await expectText(page.locator('main p.muted'), /^1 due, 1 overdue/);
  await screenshot(page, 'due');
  await rows.nth(0).getByRole('link', { name: 'Supplier law changes' }).click();
  await page.getByRole('heading', { name: 'Supplier law changes', level: 1 }).waitFor();
  assertCleanConsole(env);
  assert.ok(true);
});

test('the overview says how much of mine is due, once the account belongs to a person', async () => {
  await signOut(page);
  await linkUser(env, 'mona', env.pat.id);
  await signIn(page, env, 'mona');
  // Two of Pat's reviews: one overdue, one in 20 days (the overview looks two weeks ahead).
  await expectText(page.locator('#home-todo [data-todo="due"]'),
    /^1 of your reviews and actions is due within two weeks \(1 overdue\)$/);
  await page.locator('#home-todo [data-todo="due"] a').click();
  await page.getByRole('heading', { name: 'What is due', level: 1 }).waitFor();
  assert.match(page.url(), /#\/due\?mine=true/);
  assertCleanConsole(env);
});
