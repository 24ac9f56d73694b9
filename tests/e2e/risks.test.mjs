// risks.test.mjs — the risk register with its heat maps, a risk owner accepting a risk, the
// Statement of Applicability (themes, inline editing with the server's errors, freezing a
// version, read-only for staff), and the risk method's matrix editor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, teardown, newPage, signIn, signOut, screenshot, settle, expectText, expectCount,
  cli, USERS, assertCleanConsole } from './lib.mjs';

let env;
let page;
let mona;
const risks = {};

USERS.tina = { role: 'top_management', name: 'Tina Top', password: 'tina-Secret-Passw0rd' };
USERS.rita = { role: 'risk_owner', name: 'Rita Owner', password: 'rita-Secret-Passw0rd' };

// A signed-in API client that can also take actions (POST with If-Match).
async function client(base, username) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: USERS[username].password }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, `sign-in of ${username}: ${JSON.stringify(body)}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const call = async (method, p, data, version) => {
    const headers = { Cookie: cookie, 'X-CSRF-Token': body.csrf_token };
    if (data !== undefined) headers['Content-Type'] = 'application/json';
    if (version !== undefined) headers['If-Match'] = `"${version}"`;
    const r = await fetch(`${base}/api/v1/${p}`, { method, headers, body: data === undefined ? undefined : JSON.stringify(data) });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
  };
  const ok = (r, want, what) => { assert.equal(r.status, want, `${what}: ${JSON.stringify(r.json)}`); return r.json; };
  return {
    get: async (p) => ok(await call('GET', p), 200, `GET ${p}`),
    create: async (plural, data) => ok(await call('POST', plural, data), 201, `create ${plural}`),
    patch: async (plural, id, version, data) => ok(await call('PATCH', `${plural}/${id}`, data, version), 200, `patch ${plural}/${id}`),
    async act(plural, id, action, data = {}) {
      const cur = ok(await call('GET', `${plural}/${id}`), 200, `GET ${plural}/${id}`);
      return ok(await call('POST', `${plural}/${id}/actions/${action}`, data, cur.version), 200, `${action} ${plural}/${id}`);
    },
  };
}

before(async () => {
  // setup() adds every account in USERS, Tina and Rita included.
  env = await setup();
  // Rita's account is linked to her entry in the staff directory: that makes her a risk owner.
  const person = JSON.parse((await cli(env, ['add', 'people', 'name=Rita Owner', 'email=rita@example.com'], { as: 'mona' })).stdout);
  env.rita = person;
  const users = JSON.parse((await cli(env, ['list', 'users', '--json', 'username=rita'], { as: 'admin' })).stdout);
  const ritaUser = (users.items || users)[0];
  await cli(env, ['edit', 'users', String(ritaUser.id), `person=${person.id}`], { as: 'admin' });

  // Top management approves the default method; then risks can be scored. Tina's authority
  // comes from the organization's role she holds, not from her account's role.
  const tinaPerson = JSON.parse((await cli(env, ['add', 'people', 'name=Tina Top'], { as: 'mona' })).stdout);
  const tinaUser = JSON.parse((await cli(env, ['list', 'users', '--json', 'username=tina'], { as: 'admin' })).stdout).items[0];
  await cli(env, ['edit', 'users', String(tinaUser.id), `person=${tinaPerson.id}`], { as: 'admin' });
  const ceo = JSON.parse((await cli(env, ['add', 'roles', 'name=Chief Executive Officer', 'responsibilities=Directs the company.',
    'top_management=true'], { as: 'mona' })).stdout);
  await cli(env, ['add', 'role-assignments', `person=${tinaPerson.id}`, `role=${ceo.id}`, 'starts_on=2020-01-01'], { as: 'mona' });
  const tina = await client(env.base, 'tina');
  env.tina = tina;
  await tina.act('risk-methods', 1, 'approve');
  mona = await client(env.base, 'mona');
  risks.ransom = await mona.create('risks', { title: 'Ransomware encrypts the file server', owner: person.id, likelihood: 4, consequence: 3 });
  risks.phish = await mona.create('risks', { title: 'Phishing steals an admin password', owner: person.id, likelihood: 4, consequence: 3 });
  risks.laptop = await mona.create('risks', { title: 'Laptop stolen from a car', owner: env.pat.id, likelihood: 2, consequence: 2 });
  // Low enough to retain: the treatment option is decided before the owner accepts (6.1.3 f).
  risks.printer = await mona.create('risks', { title: 'Printer keeps copies of scans', owner: person.id, likelihood: 1, consequence: 2,
    treatment: 'retain', treatment_justification: 'Low level; the printer stands in a locked room.' });
  await mona.act('risks', risks.printer.id, 'analyse');
  await mona.act('risks', risks.printer.id, 'evaluate');
  page = await newPage(env);
});

after(async () => {
  await teardown(env);
});

test('the risk register shows both heat maps; a cell links to exactly its risks', async () => {
  await signIn(page, env, 'mona');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Risks\b/ }).click();
  await page.getByRole('heading', { name: 'Risk register', level: 1 }).waitFor();
  await settle(page);
  assert.match(page.url(), /#\/risks$/);
  const inherent = page.locator('table.heatmap[data-kind="inherent"]');
  const residual = page.locator('table.heatmap[data-kind="residual"]');
  await expectText(inherent.locator('caption'), /Inherent risk · 4 risks scored/);
  await expectText(residual.locator('caption'), /Residual risk/);
  // Likelihood on the vertical axis, highest on top, in the method's words.
  await expectText(inherent.locator('tbody tr').first().locator('th'), /5\s*Almost certain/);
  await expectText(inherent.locator('tbody tr').last().locator('th'), /1\s*Rare/);
  await expectText(inherent.locator('thead th').nth(2), /3\s*Moderate/);
  const cell = inherent.locator('a[data-l="4"][data-c="3"]');
  await expectText(cell, /^2$/);
  await expectText(inherent.locator('a[data-l="2"][data-c="2"]'), /^1$/);
  await expectText(inherent.locator('a[data-l="5"][data-c="5"]'), /^·$/);
  // Coloured with the level colours of the method (4×3 is "high", #ef6c00).
  const bg = await cell.evaluate((a) => getComputedStyle(a.parentElement).backgroundColor);
  assert.equal(bg, 'rgb(239, 108, 0)');
  // The register below has level chips in the same colours.
  const row = page.locator('.risk-table tr', { hasText: 'Ransomware encrypts the file server' });
  await expectText(row.locator('.level-chip').first(), /^High$/);
  assert.equal(await row.locator('.level-chip').first().evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(239, 108, 0)');
  await expectCount(page.locator('.head-actions a[data-export^="risk-register."]'), 3);
  await screenshot(page, 'risks');

  await cell.click();
  await page.getByRole('heading', { name: 'Risks', level: 1 }).waitFor();
  await settle(page);
  assert.match(page.url(), /#\/t\/risks\?likelihood=4&consequence=3$/);
  const rows = page.locator('table.grid tbody tr');
  await expectCount(rows, 2);
  await expectText(page.locator('table.grid tbody'), /Phishing steals an admin password[\s\S]*Ransomware encrypts the file server/);
  await expectText(page.locator('.filter-chips'), /Likelihood: 4[\s\S]*Consequence: 3/);
});

test('a risk owner accepts a risk through the dialog and the status changes', async () => {
  await signOut(page);
  await signIn(page, env, 'rita');
  await page.goto(`${env.base}/#/t/risks/${risks.printer.id}`);
  await page.getByRole('heading', { name: 'Printer keeps copies of scans', level: 1 }).waitFor();
  await expectText(page.locator('.title-line .chip'), /^Evaluated$/);
  await expectText(page.locator('.kv[data-field="inherent_level"] .level-chip'), /^Low$/);
  await expectText(page.locator('.kv[data-field="evaluation"] dd'), /Acceptable/);
  await expectText(page.locator('.kv[data-field="likelihood"] dd'), /^1 · Rare$/);
  await page.getByRole('button', { name: 'Accept residual risk' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await expectText(dialog, /Status:\s*Evaluated\s*→\s*Accepted/);
  await dialog.getByRole('button', { name: 'Accept residual risk' }).click();
  await expectText(dialog.locator('[data-field="justification"] .field-error'), /Acceptance justification is required/);
  await dialog.getByLabel(/Acceptance justification/).fill('Low level; the printer is in a locked room.');
  await dialog.getByRole('button', { name: 'Accept residual risk' }).click();
  await expectCount(page.getByRole('dialog'), 0);
  await expectText(page.locator('.title-line .chip'), /^Accepted$/);
  await expectText(page.locator('.kv[data-field="accepted_by"] dd'), /^rita$/);
  await expectText(page.locator('.kv[data-field="acceptance_justification"] dd'), /locked room/);
});

test('the SoA lists the 93 controls in 4 themes; excluding one needs a justification', async () => {
  await signOut(page);
  await signIn(page, env, 'mona');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Statement of Applicability/ }).click();
  await page.getByRole('heading', { name: 'Statement of Applicability', level: 1 }).waitFor();
  await settle(page);
  assert.match(page.url(), /#\/soa$/);
  await expectCount(page.locator('.soa-row'), 93);
  await expectCount(page.locator('.soa-group'), 4);
  await expectText(page.locator('.soa-group h2').nth(0), /Organizational controls\s*37/);
  await expectText(page.locator('.soa-group h2').nth(1), /People controls\s*8/);
  await expectText(page.locator('.soa-group h2').nth(2), /Physical controls\s*14/);
  await expectText(page.locator('.soa-group h2').nth(3), /Technological controls\s*34/);
  await expectText(page.locator('.list-summary'), /^93 controls/);

  // Filters: theme and text.
  await page.getByLabel('Theme').selectOption('physical');
  await expectCount(page.locator('.soa-row'), 14);
  await page.getByLabel('Search', { exact: true }).fill('monitoring');
  await expectCount(page.locator('.soa-row'), 1);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expectCount(page.locator('.soa-row'), 93);

  const row = page.locator('.soa-row[data-control="7.4"]');
  await expectText(row.locator('.soa-applicable'), /^Yes$/);
  await row.getByRole('button', { name: 'Edit 7.4' }).click();
  const editor = page.locator('.soa-editor');
  await editor.waitFor();
  await editor.getByLabel('7.4 is applicable').uncheck();
  await editor.getByRole('button', { name: 'Save' }).click();
  const err = editor.locator('[data-field="exclusion_justification"] .field-error');
  await expectText(err, /needs a justification/);
  assert.equal(await editor.getByLabel('Why excluded').getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'soa-error');
  await editor.getByLabel('Why excluded').fill('We rent desks in a shared office; the landlord monitors the building.');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expectCount(page.locator('.soa-editor'), 0);
  await expectText(row.locator('.soa-applicable'), /^No$/);
  await expectText(row.locator('.soa-why'), /landlord monitors the building/);

  await page.reload();
  await page.getByRole('heading', { name: 'Statement of Applicability', level: 1 }).waitFor();
  await settle(page);
  await expectText(page.locator('.soa-row[data-control="7.4"] .soa-applicable'), /^No$/);
  await page.getByLabel('Applicable', { exact: true }).selectOption('no');
  await expectCount(page.locator('.soa-row'), 1);
  assert.match(page.url(), /#\/soa\?applicable=no/);
  await page.getByLabel('Applicable', { exact: true }).selectOption('');
  await expectCount(page.locator('.soa-row'), 93);
  await screenshot(page, 'soa');
});

test('a conflicting SoA edit (412) asks to reload the entry and keeps the input', async () => {
  const row = page.locator('.soa-row[data-control="5.1"]');
  await row.getByRole('button', { name: 'Edit 5.1' }).click();
  const editor = page.locator('.soa-editor');
  await editor.getByLabel('Legal').check();
  const entry = await mona.get(`soa/${await row.getAttribute('data-id')}`);
  await mona.patch('soa', entry.id, entry.version, { note: 'Changed elsewhere.' });
  await editor.getByRole('button', { name: 'Save' }).click();
  await expectText(editor.locator('.banner-error'), /Someone else changed this entry/);
  await editor.getByRole('button', { name: 'Reload this entry' }).click();
  await expectText(page.locator('.soa-editor .banner-error, .soa-editor'), /5\.1 is applicable/);
  assert.equal(await page.locator('.soa-editor').getByLabel('Note', { exact: true }).inputValue(), 'Changed elsewhere.', 'the newest note is loaded');
  assert.equal(await page.locator('.soa-editor').getByLabel('Legal').isChecked(), true, 'the input is kept');
  await page.locator('.soa-editor').getByRole('button', { name: 'Save' }).click();
  await expectCount(page.locator('.soa-editor'), 0);
  await expectText(row.locator('.soa-why'), /Legal[\s\S]*Changed elsewhere\./);
});

test('preparing an SoA version: refused while entries are undecided, then prepared and approved by another', async () => {
  await page.getByRole('button', { name: 'Prepare a version' }).click();
  let dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Prepare version' }).click();
  await expectText(dialog.getByRole('alert'), /once every entry is decided: \d+ are not \(5\.\d+: applicable but no reason for inclusion given/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  // Decide every entry (the API is quicker than 93 forms), then prepare the version.
  const entries = (await mona.get('soa?limit=200')).items;
  for (const e of entries)
    if (e.applicable && !(e.inclusion_reasons || []).length) await mona.patch('soa', e.id, e.version, { inclusion_reasons: ['good_practice'] });
  await page.reload();
  await page.getByRole('heading', { name: 'Statement of Applicability', level: 1 }).waitFor();
  await settle(page);
  await page.getByRole('button', { name: 'Prepare a version' }).click();
  dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByLabel('Note').fill('First SoA.');
  await dialog.getByRole('button', { name: 'Prepare version' }).click();
  await expectCount(page.getByRole('dialog'), 0);
  await expectText(page.locator('#soa-frozen'), /SoA prepared on \d{4}-\d{2}-\d{2}, waiting for approval\. Content hash \(SHA-256\): [0-9a-f]{64}/);
  await expectText(page.locator('.soa-version-line'), /No version approved yet\.\s*A version prepared on \d{4}-\d{2}-\d{2} waits for approval\./);
  const prepared = (await mona.get('soa-versions?status=prepared')).items[0];
  await env.tina.act('soa-versions', prepared.id, 'approve');
  await page.reload();
  await page.getByRole('heading', { name: 'Statement of Applicability', level: 1 }).waitFor();
  await expectText(page.locator('.soa-version-line'), /Latest approved version: version 1/);
});

test('staff see the SoA without edit controls', async () => {
  await signOut(page);
  await signIn(page, env, 'sam');
  await page.goto(`${env.base}/#/soa`);
  await page.getByRole('heading', { name: 'Statement of Applicability', level: 1 }).waitFor();
  await settle(page);
  await expectCount(page.locator('.soa-row'), 93);
  assert.equal(await page.locator('[data-edit]').count(), 0, 'no Edit buttons');
  assert.equal(await page.getByRole('button', { name: 'Prepare a version' }).count(), 0, 'no prepare button');
  assert.equal(await page.locator('.soa-edit-cell').count(), 0);
});

test('the method editor changes a matrix cell of a draft and saves it', async () => {
  await signOut(page);
  await signIn(page, env, 'mona');
  // The approved method: a read-only grid.
  await page.goto(`${env.base}/#/method/1`);
  await page.getByRole('heading', { name: /Risk method/, level: 1 }).waitFor();
  await expectCount(page.locator('.method-matrix td.mx-cell'), 25);
  assert.equal(await page.locator('.mx-btn').count(), 0, 'approved: no clickable cells');

  const m = await mona.get('risk-methods/1');
  const draft = await mona.create('risk-methods', {
    name: 'Risk method 2027', likelihood_levels: m.likelihood_levels, impact_areas: m.impact_areas,
    consequence_levels: m.consequence_levels, risk_levels: m.risk_levels, matrix: m.matrix,
    acceptance_threshold: m.acceptance_threshold, accepting_role: m.accepting_role, reassessment_months: m.reassessment_months,
  });
  await page.goto(`${env.base}/#/t/risk-methods/${draft.id}`);
  await page.getByRole('heading', { name: 'Risk method 2027', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'Edit in the matrix' }).click();
  await page.getByRole('heading', { name: 'Risk method 2027', level: 1 }).waitFor();
  assert.match(page.url(), new RegExp(`#/method/${draft.id}$`));
  const cell = page.locator('.mx-btn[data-l="1"][data-c="1"]');
  await expectText(cell, /^Low$/);
  assert.equal(await page.locator('#method-save').isDisabled(), true);
  await cell.click();
  await expectText(cell, /^Medium$/);
  assert.equal(await cell.evaluate((b) => getComputedStyle(b.parentElement).backgroundColor), 'rgb(249, 168, 37)');
  await page.getByLabel('Acceptance threshold').selectOption('high');
  await page.getByLabel('Likelihood level 5 label').fill('Very likely');
  await screenshot(page, 'method');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expectText(page.locator('.record-messages'), /Changes saved\./);
  const saved = await mona.get(`risk-methods/${draft.id}`);
  assert.equal(saved.matrix[0][0], 'medium');
  assert.equal(saved.matrix[0][1], 'low');
  assert.equal(saved.acceptance_threshold, 'high');
  assert.equal(saved.likelihood_levels[4].label, 'Very likely');
  await expectText(page.locator('.mx-btn[data-l="1"][data-c="1"]'), /^Medium$/);
  assert.equal(await page.locator('#method-save').isDisabled(), true);

  // A malformed value is refused by the server with the field at fault.
  await page.getByLabel('Reassess every (months)').fill('99');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expectText(page.locator('[data-error-for="reassessment_months"]'), /.+/);
});

test('the Reports entry lists the exports and the heat map images', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Exports and heat maps/ }).click();
  await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
  await expectCount(page.locator('a[data-export]'), 9);
  await expectCount(page.locator('img.hm-svg'), 2);
});

test('Reports links once to each page that shows views with exports (from /api/v1/meta)', async () => {
  const links = page.getByRole('navigation', { name: 'Main' }).locator('ul[aria-labelledby="nav-reports"] a');
  await expectCount(links, 8);
  await expectText(links.nth(0), /^Exports and heat maps\s*6\.1\.2.6\.1\.3$/);
  assert.equal(await links.nth(0).getAttribute('href'), '#/reports');
  await expectText(links.nth(1), /^Document register\s*7\.5\.3$/);
  assert.equal(await links.nth(1).getAttribute('href'), '#/framework');
  // The clause modules' own pages, once each: the competence matrix, the objectives register,
  // the nonconformity board, the audit coverage matrix, the audit workspace, the measure
  // dashboard and the management reviews (their packs).
  const rest = (await Promise.all([2, 3, 4, 5, 6, 7].map((i) => links.nth(i).getAttribute('href')))).sort();
  assert.deepEqual(rest, ['#/audit-coverage', '#/competence', '#/measures/dashboard',
    '#/nonconformities/board', '#/objectives', '#/t/management-reviews']);
});

test('no script errors or CSP violations happened', () => {
  assertCleanConsole(env);
});
