// documents.test.mjs — documented information in the browser: the policy framework tree,
// unsafe Markdown in a version that must not run, four eyes on approval (the author is
// refused with the server's words, a second manager approves, publishing makes it the text in
// force), a new version starting from the newest text and the line diff between versions, and
// the approval inbox with its count. Also the line diff itself, without a browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, signOut, screenshot, settle, expectText, expectCount,
  apiClient, assertCleanConsole, USERS } from './lib.mjs';
import { diffLines, hunks } from '../../web/diff.js';

let env;
let page;
let api;
let act; // POST an action as mona: (version id, name) -> {status, json}
let isp;
let tsp;
let proc;
let loose;

// A workflow action through the API (apiClient only knows create and patch).
async function actionClient(base, username) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: USERS[username].password }),
  });
  const s = await res.json();
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async (id, name) => {
    const r = await fetch(`${base}/api/v1/document-versions/${id}/actions/${name}`, {
      method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': s.csrf_token },
    });
    return { status: r.status, json: await r.json() };
  };
}

const docUrl = (d) => `${env.base}/#/t/documents/${d.id}`;
const versionRow = (n) => page.locator(`.doc-version-table tbody tr[data-version="${n}"]`);

async function openDoc(d) {
  await page.goto(docUrl(d));
  await page.getByRole('heading', { name: d.title, level: 1 }).waitFor();
  await settle(page);
}

// Clicks a version's action button and confirms it in the dialog.
async function versionAction(n, label) {
  await versionRow(n).getByRole('button', { name: new RegExp(`^${label}`) }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: label, exact: true }).click();
}

before(async () => {
  env = await setup({ approvers: true });
  page = await newPage(env);
  api = await apiClient(env.base, 'mona');
  act = await actionClient(env.base, 'mona');
  isp = await api.create('documents', { identifier: 'POL-001', title: 'Information security policy',
    kind: 'information_security_policy', owner: env.pat.id });
  tsp = await api.create('documents', { identifier: 'POL-010', title: 'Access control policy',
    kind: 'topic_specific_policy', parent: isp.id });
  proc = await api.create('documents', { identifier: 'PRO-001', title: 'Access review procedure',
    kind: 'procedure', parent: tsp.id });
  loose = await api.create('documents', { identifier: 'FRM-001', title: 'Visitor log', kind: 'form' });
});

after(async () => {
  await teardown(env);
});

test('the line diff: LCS marks added and removed lines, hunks keep context', () => {
  const d = diffLines('a\nb\nc\nd', 'a\nc\nd\ne');
  assert.deepEqual(d.map((l) => l.op + l.text), [' a', '-b', ' c', ' d', '+e']);
  assert.deepEqual(diffLines('x\ny', 'y\nx').map((l) => l.op + l.text), ['-x', ' y', '+x']);
  assert.deepEqual(diffLines('', ''), []);
  assert.deepEqual(diffLines('same\r\n', 'same').map((l) => l.op), [' ']);
  const long = Array.from({ length: 40 }, (_, i) => `line ${i}`);
  const changed = [...long];
  changed[20] = 'LINE 20';
  const h = hunks(diffLines(long.join('\n'), changed.join('\n')), 2);
  assert.deepEqual(h.map((l) => (l.skip ? `skip ${l.skip}` : l.op + l.text)),
    ['skip 18', ' line 18', ' line 19', '-line 20', '+LINE 20', ' line 21', ' line 22', 'skip 17']);
});

test('the framework tree nests a topic-specific policy under the top-level policy', async () => {
  await signIn(page, env, 'mona');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Policy framework/ }).click();
  await page.getByRole('heading', { name: 'Policy framework', level: 1 }).waitFor();
  await settle(page);
  const tree = page.locator('.fw-group:has(#fw-tree) tbody tr');
  await expectCount(tree, 3);
  assert.deepEqual(await tree.evaluateAll((rows) => rows.map((r) => [r.dataset.id, r.dataset.depth, r.dataset.parent])),
    [[String(isp.id), '0', ''], [String(tsp.id), '1', String(isp.id)], [String(proc.id), '2', String(tsp.id)]]);
  await expectText(tree.nth(1), /POL-010\s+└?\s*Access control policy\s*\(under POL-001\)\s+Topic specific policy\s+Draft/);
  await expectText(tree.nth(0).locator('td').nth(4), /Pat Owner/);
  // The auditor's checks for clauses 5 and 7.5 come from the server, each with its reason.
  await expectText(page.locator('#policy-checks h2'), /What an auditor will look for: \d+ of \d+ met/);
  await expectText(page.locator('#policy-checks [data-check="policy-published"]'), /Not met.*is draft, not published/s);
  await expectText(page.locator('#policy-checks [data-check="duty-conformity"]'), /Not met/);
  // A document under no other one is listed on its own.
  await expectText(page.locator('.fw-group:has(#fw-loose)'), /FRM-001\s+Visitor log\s+Form/);
  await page.getByRole('link', { name: 'New document' }).waitFor();
  assert.equal(await page.getByRole('group', { name: 'Export the document register' }).getByRole('link').count(), 2);

  // Filtering by kind keeps the ancestors as context, and the address remembers it.
  await page.getByLabel('Kind').selectOption('procedure');
  await expectText(page.locator('.list-summary'), /^1 of 4 documents match\.$/);
  await expectCount(tree, 3);
  await expectCount(page.locator('.fw-row.fw-context'), 2);
  assert.match(page.url(), /#\/framework\?kind=procedure$/);
  await expectText(page.locator('.fw-group:has(#fw-loose)'), /No document here matches the filters/);
  await page.getByLabel('Kind').selectOption('');
  await page.getByLabel('Search', { exact: true }).fill('visitor');
  await expectText(page.locator('.list-summary'), /^1 of 4 documents match\.$/);
  await expectCount(tree, 0);
  await page.getByLabel('Search', { exact: true }).fill('');
  await expectCount(tree, 3);
  await screenshot(page, 'documents-framework');
  await tree.nth(1).getByRole('link', { name: 'Access control policy' }).click();
  await page.getByRole('heading', { name: 'Access control policy', level: 1 }).waitFor();
});

test('Markdown with a script or an onerror image does not execute', async () => {
  const v = await api.create('document-versions', { document: loose.id,
    body: 'Sign **every** visit.\n\n<script>window.__pwned = 1</script>\n\n<img src=x onerror="window.__pwned = 2">\n\n[x](javascript:window.__pwned=3)' });
  await openDoc(loose);
  const current = page.locator('.doc-current');
  await expectText(current, /No version is published, so nothing is in force/);
  await current.getByText('Show the text of version 1').click();
  await expectText(current.locator('.md-body strong'), /^every$/);
  assert.equal(await page.locator('.md-body script, .md-body img, .md-body [onerror]').count(), 0);
  assert.equal(await page.locator('.md-body a[href^="javascript"]').count(), 0);
  // The version's own page shows the rendered text, and the Markdown only as text.
  await page.goto(`${env.base}/#/t/document-versions/${v.id}`);
  await page.getByRole('heading', { name: 'FRM-001 v1', level: 1 }).waitFor();
  await expectText(page.locator('.kv[data-field="body"] .md-body strong'), /^every$/);
  await expectText(page.locator('.kv[data-field="body-source"] pre'), /<script>window.__pwned = 1<\/script>/);
  assert.equal(await page.locator('main script, main img, main [onerror]').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
});

test('four eyes: the author is refused, a second manager approves, publishing puts it in force', async () => {
  await openDoc(tsp);
  await expectText(page.locator('.doc-versions'), /No versions yet/);
  await page.getByRole('button', { name: 'New version' }).click();
  const body = page.getByLabel('Text', { exact: true });
  assert.equal(await body.inputValue(), '');
  await body.fill('# Access\n\nLine one\nLine two\nLine three\n');
  await page.getByLabel('What changed').fill('First issue');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await expectText(page.locator('.record-messages'), /Version 1 created as a draft/);
  await expectText(versionRow(1), /v1\s+Draft\s+mona\s+—\s+—\s+First issue/);
  assert.equal(await page.getByRole('button', { name: 'New version' }).count(), 0, 'one open version at a time');

  await versionAction(1, 'Submit for review');
  await expectText(page.locator('.record-messages'), /POL-010 v1 submitted for review\./);
  await expectText(versionRow(1).locator('.chip'), /^In review$/);
  await expectText(page.locator('.title-line .chip'), /^In review$/);

  // mona wrote it: the server refuses, and the dialog says why.
  await versionAction(1, 'Approve');
  const dialog = page.getByRole('dialog');
  await expectText(dialog.getByRole('alert'), /Not possible: you wrote this version, so someone else must approve it/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expectCount(page.getByRole('dialog'), 0);
  await expectText(versionRow(1).locator('.chip'), /^In review$/);

  await signOut(page);
  await signIn(page, env, 'max');
  await openDoc(tsp);
  await versionAction(1, 'Approve');
  await expectCount(page.getByRole('dialog'), 0);
  await expectText(versionRow(1), /v1\s+Approved\s+mona\s+max\s+\d{4}-\d{2}-\d{2}\s+First issue/);
  await versionRow(1).getByRole('link', { name: /^Print/ }).waitFor();
  await versionAction(1, 'Publish');
  await expectText(versionRow(1).locator('.chip'), /^Published$/);
  await expectText(page.locator('.title-line .chip'), /^Published$/);
  const current = page.locator('.doc-current');
  await expectText(current, /Version 1\s+Published\s+· approved by max on \d{4}-\d{2}-\d{2}/);
  await expectText(current.locator('.md-body h1'), /^Access$/);
  await expectText(current.locator('.md-body'), /Line one\s+Line two\s+Line three/);
  // Nobody has acknowledged it yet; the line links to who has not.
  await expectText(current.locator('#doc-ack'), /^0 % of the audience acknowledged this version — see who has not$/);
  assert.equal(await current.locator('#doc-ack a').getAttribute('href'), `#/acknowledgements/${tsp.id}`);
  assert.match(await current.getByRole('link', { name: /^Print/ }).getAttribute('href'),
    /^\/api\/v1\/reports\/document-version\.html\?version=\d+$/);
  await expectText(page.locator('.kv[data-field="next_review"] dd'), /^\d{4}-\d{2}-\d{2}$/);
  await signOut(page);
});

test('a new version starts from the newest text; the diff marks added and removed lines', async () => {
  await signIn(page, env, 'mona');
  await openDoc(tsp);
  await expectText(page.locator('.doc-compare'), /Comparing needs at least two versions/);
  await page.getByRole('button', { name: 'New version' }).click();
  const body = page.getByLabel('Text', { exact: true });
  assert.equal(await body.inputValue(), '# Access\n\nLine one\nLine two\nLine three\n');
  await body.fill('# Access\n\nLine one\nLine three\nLine four\n');
  await page.getByLabel('What changed').fill('Line two dropped, line four added');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await expectText(versionRow(2), /v2\s+Draft/);
  // The published v1 stays the text in force.
  await expectText(page.locator('.doc-current'), /Version 1\s+Published/);

  const cmp = page.locator('.doc-compare');
  assert.equal(await cmp.getByLabel('Older version').inputValue(), '1');
  assert.equal(await cmp.getByLabel('Newer version').inputValue(), '2');
  await expectText(cmp.locator('.diff-summary'), /From v1 to v2: 1 line added, 1 line removed\./);
  await expectCount(cmp.locator('tr.diff-del'), 1);
  await expectCount(cmp.locator('tr.diff-add'), 1);
  await expectText(cmp.locator('tr.diff-del'), /^4\s+−\s+Removed:\s*Line two$/);
  await expectText(cmp.locator('tr.diff-add'), /^5\s+\+\s+Added:\s*Line four$/);
  assert.equal(await cmp.locator('tr.diff-del del').textContent(), 'Removed: Line two');
  assert.equal(await cmp.locator('tr.diff-add ins').textContent(), 'Added: Line four');
  // Swapping the two: what was added is now removed.
  await cmp.getByLabel('Older version').selectOption('2');
  await cmp.getByLabel('Newer version').selectOption('1');
  await expectText(cmp.locator('tr.diff-del'), /Line four$/);
  await expectText(cmp.locator('tr.diff-add'), /Line two$/);
  await cmp.getByLabel('Newer version').selectOption('2');
  await expectText(cmp, /Choose two different versions/);
  await cmp.getByLabel('Older version').selectOption('1');
  await screenshot(page, 'documents-document');
});

test('the approval inbox lists a version in review for an approver, not for its author', async () => {
  const v2 = (await api.get(`document-versions?document=${tsp.id}&number=2`)).json.items[0];
  assert.equal((await act(v2.id, 'submit')).status, 200);
  // mona wrote it: not hers to approve. Her draft of FRM-001 is listed among her drafts.
  await page.goto(`${env.base}/#/inbox`);
  await page.getByRole('heading', { name: 'Approval inbox', level: 1 }).waitFor();
  await settle(page);
  await expectText(page.locator('#inbox-approve'), /To approve\s+0\s+Nothing waits for your approval/);
  await expectText(page.locator('#inbox-drafts tbody'), /Visitor log\s+FRM-001 v1\s+mona/);
  assert.equal(await page.locator('#inbox-approve').getByText('POL-010 v2').count(), 0);
  await signOut(page);

  await signIn(page, env, 'max');
  await expectText(page.locator('#inbox-link'), /^Inbox 1$/);
  // The overview says the same first thing.
  await expectText(page.locator('#home-todo [data-todo="inbox"]'),
    /^1 document version waits for you to approve, publish or finish$/);
  await page.locator('#inbox-link').click();
  await page.getByRole('heading', { name: 'Approval inbox', level: 1 }).waitFor();
  const row = page.locator('#inbox-approve tbody tr');
  await expectCount(row, 1);
  await expectText(row, /Access control policy\s+POL-010 v2\s+mona/);
  await expectText(page.locator('#inbox-drafts'), /You have no drafts/);
  await screenshot(page, 'documents-inbox');
  await row.getByRole('button', { name: /^Approve/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true }).click();
  await expectText(page.locator('.record-messages'), /POL-010 v2 approved\./);
  await expectText(page.locator('#inbox-approve'), /Nothing waits for your approval/);
  const pub = page.locator('#inbox-publish tbody tr');
  await expectText(pub, /POL-010 v2/);
  await expectText(page.locator('#inbox-link'), /^Inbox 1$/);
  await pub.getByRole('button', { name: /^Publish/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Publish', exact: true }).click();
  await expectText(page.locator('.record-messages'), /POL-010 v2 published\./);
  await expectText(page.locator('#inbox-link'), /^Inbox$/);

  await page.locator('#inbox-publish').waitFor();
  await openDoc(tsp);
  await expectText(page.locator('.doc-current'), /Version 2\s+Published/);
  await expectText(page.locator('.doc-current .md-body'), /Line four/);
  await expectText(versionRow(1).locator('.chip'), /^Withdrawn$/);
  // The framework shows the version in force and the next review.
  await page.goto(`${env.base}/#/framework`);
  await expectText(page.locator(`.fw-row[data-id="${tsp.id}"]`), /Published\s+v2\s+—\s+\d{4}-\d{2}-\d{2}$/);
  await signOut(page);
});

test('on a phone the framework and a document fit the width', async () => {
  await signIn(page, env, 'sam'); // the phone's tab shares the session
  const phone = await newPage(env, { viewport: { width: 390, height: 844 } });
  await phone.goto(`${env.base}/#/framework`);
  await phone.getByRole('heading', { name: 'Policy framework', level: 1 }).waitFor();
  await settle(phone);
  assert.equal(await phone.getByRole('link', { name: 'New document' }).count(), 0, 'staff may not write documents');
  const wide = () => phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(await wide(), false, 'the framework fits the phone width');
  await screenshot(phone, 'mobile-documents-framework');
  await phone.goto(`${env.base}/#/t/documents/${tsp.id}`);
  await phone.getByRole('heading', { name: 'Access control policy', level: 1 }).waitFor();
  await settle(phone);
  assert.equal(await phone.getByRole('button', { name: 'New version' }).count(), 0);
  assert.equal(await phone.locator('.doc-version-table button').count(), 0, 'staff have no actions');
  assert.equal(await wide(), false, 'the document fits the phone width');
  await phone.close();
});

test('no script errors or CSP violations happened', () => {
  assertCleanConsole(env);
});
