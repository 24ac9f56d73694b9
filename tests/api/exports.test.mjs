// exports.test.mjs — exports of the Statement of Applicability, the risk register and the
// treatment plan (GET /api/v1/reports/<report>.xlsx|csv|html, `isms report`): the XLSX opens
// and matches the API row for row, the CSV is RFC 4180 and neutralizes formulas, the HTML is
// escaped and script-free, an approved SoA version exports the same bytes every time (also
// from the CLI), and the permission and not-found rules.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import {
  createPerson, decideSoa, expectError, expectSecurityHeaders, expectStatus, grantAuthority, setup,
  uniq, USERS,
} from './lib.mjs';

let ctx;
const as = {}; // role -> cookie client
let mona; // isms_manager
let tom; // top_management
let method; // the approved risk method
const rec = {}; // records created below

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TYPES = { soa: 'soa', 'risk-register': 'risks', 'treatment-plan': 'treatment-actions' };
const FORMATS = { xlsx: XLSX, csv: 'text/csv; charset=utf-8', html: 'text/html; charset=utf-8' };

// Values that must survive every format: a comma, quotes and a line break; markup; a formula.
const TRICKY = 'Backups, "offsite"\nand restores <b>&</b> tested';
const FORMULA = '=HYPERLINK("http://evil.example","click")';
const SCRIPT = '<script>alert("x")</script> Laptop theft';

const utcDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86400000).toISOString().slice(0, 10);

async function create(client, type, body) {
  const res = await client.post(`/api/v1/${type}`, body);
  expectStatus(res, 201);
  return res.json;
}

async function act(client, type, id, action, body = {}) {
  const res = await client.post(`/api/v1/${type}/${id}/actions/${action}`, body);
  assert.ok(res.status >= 200 && res.status < 300, `${action}: ${res.describe()}`);
  return res.json;
}

async function list(client, type, query = '?limit=500') {
  const res = await client.get(`/api/v1/${type}${query}`);
  expectStatus(res, 200);
  return res.json;
}

// GET with the client's session, keeping the body as bytes.
async function download(client, pathname) {
  const r = await fetch(ctx.base + pathname, { headers: { Cookie: client.cookie } });
  const body = Buffer.from(await r.arrayBuffer());
  const res = { method: 'GET', path: pathname, status: r.status, headers: r.headers, body,
    text: body.toString('utf8') };
  res.describe = () => `GET ${pathname} -> ${r.status} ${res.text.slice(0, 400)}`;
  return res;
}

async function exported(client, report, format, query = '') {
  const res = await download(client, `/api/v1/reports/${report}.${format}${query}`);
  expectStatus(res, 200);
  assert.equal(res.headers.get('content-type'), FORMATS[format], res.describe());
  return res;
}

async function workbook(buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer);
  return wb;
}

// A cell's value as the export wrote it: text, number, or '' for an empty cell.
function cellValue(cell) {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && v.richText) return v.richText.map((t) => t.text).join('');
  return v;
}

function sheetRows(ws) {
  const rows = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = [];
    for (let c = 1; c <= ws.columnCount; c++) row.push(cellValue(ws.getRow(r).getCell(c)));
    rows.push(row);
  }
  return rows;
}

// RFC 4180: fields separated by commas, records by CRLF; a quoted field may hold commas,
// CR/LF and doubled quotes. Returns rows of strings; throws on malformed input.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote in an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') { i++; continue; }
    if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
      if (i === text.length) return rows;
      continue;
    }
    throw new Error(`expected a comma or CRLF at ${i}, got ${JSON.stringify(text.slice(i, i + 10))}`);
  }
}

const yesNo = (b) => (b ? 'yes' : 'no');
const joined = (ids, titles) => ids.map((id) => titles[String(id)]).join('; ');

before(async () => {
  ctx = await setup();
  for (const [username, u] of Object.entries(USERS)) as[u.role] = await ctx.login(username);
  mona = as.isms_manager;
  tom = as.top_management;
  // tom's person holds a top-management role: the authority to approve comes from it.
  await grantAuthority(as.admin, 'tom', { top_management: true });
  // Scored risks need an approved method: top management approves the seeded draft.
  const draft = (await list(mona, 'risk-methods')).items.find((m) => m.status === 'draft');
  await act(tom, 'risk-methods', draft.id, 'approve');
  method = (await mona.get(`/api/v1/risk-methods/${draft.id}`)).json;
  assert.equal(method.status, 'approved');

  rec.owner = await createPerson(mona, { name: 'Olga Owner, "Ops"' });
  rec.other = await createPerson(mona, { name: 'Piet Planner' });
  rec.asset = await create(mona, 'assets', { name: 'Customer database', kind: 'information',
    owner: rec.owner.id, classification: 'confidential' });
  rec.laptop = await create(mona, 'assets', { name: 'Staff laptops', kind: 'hardware',
    owner: rec.other.id, classification: 'internal' });
  rec.threat = (await list(mona, 'threats')).items[0];
  const party = await create(mona, 'interested-parties', { name: uniq('Customer'),
    origin: 'external', kind: 'customer' });
  rec.requirement = await create(mona, 'requirements', { description: 'Backups encrypted',
    party: party.id, source: 'contractual', how_addressed: 'Encrypted backups' });
  const catalog = new Map((await list(mona, 'catalog-controls')).items.map((c) => [c.control_id, c]));
  rec.backup = await create(mona, 'controls', { name: 'Nightly encrypted backups',
    description: TRICKY, owner: rec.owner.id, status: 'implemented', implemented_on: '2025-03-01',
    catalog_controls: [catalog.get('8.13').id], requirements: [rec.requirement.id] });
  rec.mdm = await create(mona, 'controls', { name: 'Laptop disk encryption', owner: rec.other.id,
    status: 'in_progress', catalog_controls: [catalog.get('8.1').id, catalog.get('8.24').id] });

  rec.risk1 = await create(mona, 'risks', { title: 'Ransomware encrypts the customer database',
    scenario: TRICKY, approach: 'asset_based', threat: rec.threat.id, assets: [rec.asset.id],
    confidentiality: true, availability: true, owner: rec.owner.id, likelihood: 4, consequence: 5,
    treatment: 'modify', treatment_justification: 'Backups', controls: [rec.backup.id],
    residual_likelihood: 2, residual_consequence: 2 });
  rec.risk2 = await create(mona, 'risks', { title: SCRIPT, assets: [rec.laptop.id, rec.asset.id],
    owner: rec.other.id, likelihood: 1, consequence: 1, controls: [rec.mdm.id] });
  rec.risk3 = await create(mona, 'risks', { title: FORMULA, risk_source: '-1 + 2', owner: rec.owner.id });

  rec.late = await create(mona, 'treatment-actions', { risk: rec.risk1.id, control: rec.backup.id,
    action: 'Test a restore, "end to end"', owner: rec.owner.id, due_date: utcDay(-3) });
  rec.soon = await create(mona, 'treatment-actions', { risk: rec.risk2.id, control: rec.mdm.id,
    action: 'Encrypt the remaining laptops', owner: rec.other.id, due_date: utcDay(30),
    status: 'in_progress' });
  rec.done = await create(mona, 'treatment-actions', { risk: rec.risk2.id,
    action: '@admins: confirm', status: 'done', done_on: utcDay(-10), due_date: utcDay(-20) });
  rec.undated = await create(mona, 'treatment-actions', { risk: rec.risk3.id, action: 'Decide' });

  // SoA decisions, then an approved version.
  const soa = (await list(mona, 'soa')).items;
  const entry = (id) => soa.find((e) => e.catalog_control === catalog.get(id).id);
  rec.excluded = entry('7.5');
  let res = await mona.patch(`/api/v1/soa/${rec.excluded.id}`, { applicable: false,
    exclusion_justification: 'No premises of our own; the landlord "handles" it, see <lease>.' });
  expectStatus(res, 200);
  res = await mona.patch(`/api/v1/soa/${entry('8.13').id}`, {
    inclusion_reasons: ['contractual', 'risk_treatment'], note: TRICKY });
  expectStatus(res, 200);
  // Every other entry is decided too; mona prepares the version and top management approves it.
  await decideSoa(mona);
  const prepared = await create(mona, 'soa-versions', { note: 'First approval' });
  res = await tom.post(`/api/v1/soa-versions/${prepared.id}/actions/approve`, {});
  expectStatus(res, 200);
  rec.version = res.json;
  assert.equal(rec.version.number, 1);
});
after(async () => { if (ctx) await ctx.teardown(); });

// ---------------------------------------------------------------------------------------------

const SOA_HEADER = ['Control', 'Title', 'Theme', 'Applicable', 'Reasons for inclusion',
  'Why excluded', 'Implementation status', 'Status override', 'Note', 'Applied controls', 'Risks',
  'Requirements'];
// The risk register and the treatment plan have a column per field of their type (from the
// registry, as /api/v1/meta describes it) after the id, and the risk register a colour
// column after each level. These must be there whatever else the types gain:
const RISK_COLUMNS = ['ID', 'Risk', 'Scenario', 'Identified by', 'Threat', 'Affected assets',
  'Risk owner', 'Likelihood', 'Consequence', 'Inherent risk level', 'Inherent risk level colour',
  'Evaluation', 'Treatment option', 'Applied controls', 'Residual risk level',
  'Residual risk level colour', 'Status', 'Next review', 'Accepted by'];
const PLAN_HEADER = ['ID', 'Risk', 'Applied control', 'Action', 'Owner', 'Due date', 'Status',
  'Done on', 'Overdue'];
const LEVELS = ['inherent_level', 'residual_level'];

async function typeMeta(client, plural) {
  const res = await client.get('/api/v1/meta');
  expectStatus(res, 200);
  roleLabels = res.json.role_labels;
  return res.json.types.find((t) => t.plural === plural);
}

function registerHeader(type) {
  const header = ['ID'];
  for (const f of type.fields.filter((x) => !x.writeonly)) {
    header.push(f.label);
    if (type.plural === 'risks' && LEVELS.includes(f.name)) header.push(`${f.label} colour`);
  }
  return header;
}

const colourOf = (level) => method.risk_levels.find((l) => l.name === level)?.colour ?? '';

// A record as its export row: references as titles, lists joined with "; ", yes/no.
// An enum value as exports print it: a role by its label, other keys with a capital first
// letter and spaces for "_" ("risk_treatment" → "Risk treatment").
let roleLabels = {};
const label = (f, v) => (f && f.values?.includes('isms_manager') && roleLabels[v])
  || (String(v).charAt(0).toUpperCase() + String(v).slice(1).replace(/_/g, ' '));

function registerRow(type, r, refs) {
  const title = (f, id) => refs[f.ref]?.[String(id)] ?? `#${id}`;
  const row = [r.id];
  for (const f of type.fields.filter((x) => !x.writeonly)) {
    const v = r[f.name];
    if (v === null || v === undefined) row.push('');
    else if (f.type === 'reference') row.push(title(f, v));
    else if (f.type === 'references') row.push(v.map((id) => title(f, id)).join('; '));
    else if (f.type === 'boolean') row.push(yesNo(v));
    else if (f.type === 'json') row.push(Array.isArray(v) ? v.join('; ') : JSON.stringify(v));
    else if (f.type === 'enum') row.push(label(f, v));
    else row.push(v);
    if (type.plural === 'risks' && LEVELS.includes(f.name)) row.push(v ? colourOf(v) : '');
  }
  return row;
}

async function expectedRiskRows(client) {
  const type = await typeMeta(client, 'risks');
  const res = await list(client, 'risks');
  const rows = res.items.sort((a, b) => a.id - b.id).map((r) => registerRow(type, r, res.refs || {}));
  return [registerHeader(type), ...rows];
}

async function expectedPlanRows(client) {
  const type = await typeMeta(client, 'treatment-actions');
  const res = await list(client, 'treatment-actions');
  const due = (a) => a.due_date ?? '\uffff';
  const items = res.items.sort((a, b) => (due(a) < due(b) ? -1 : due(a) > due(b) ? 1 : a.id - b.id));
  return [registerHeader(type), ...items.map((a) => registerRow(type, a, res.refs || {}))];
}

// The SoA rows the API says the export must hold, in Annex A order.
async function expectedSoaRows(client) {
  const soa = await list(client, 'soa');
  const catalog = new Map((await list(client, 'catalog-controls')).items.map((c) => [c.id, c]));
  const t = soa.refs || {};
  return soa.items.map((e) => {
    const cc = catalog.get(e.catalog_control);
    return [cc.control_id, cc.title, label(null, cc.theme), yesNo(e.applicable),
      e.inclusion_reasons.map((x) => label(null, x)).join('; '),
      // an excluded entry has no implementation status (null): an empty cell
      e.exclusion_justification ?? '', e.implementation_status == null ? '' : label(null, e.implementation_status),
      e.status_override ? label(null, e.status_override) : '', e.note ?? '',
      joined(e.controls, t.controls || {}), joined(e.risks, t.risks || {}),
      joined(e.requirements, t.requirements || {})];
  });
}

// The cells of a row by column label.
const byLabel = (header, row) => Object.fromEntries(header.map((h, i) => [h, row[i]]));

// As CSV text: numbers as digits, everything else as text.
const asText = (rows) => rows.map((r) => r.map((v) => String(v)));

describe('XLSX', () => {
  test('the SoA: bold frozen header with an autofilter, one row per Annex A control, values as in the API', async () => {
    const res = await exported(as.auditor, 'soa', 'xlsx');
    assert.equal(res.headers.get('content-disposition'),
      `attachment; filename="soa-${new Date().toISOString().slice(0, 10)}.xlsx"`);
    const wb = await workbook(res.body);
    const ws = wb.worksheets[0];
    assert.equal(ws.name, 'SoA');
    const rows = sheetRows(ws);
    assert.deepEqual(rows[0], SOA_HEADER);
    assert.equal(rows.length - 1, 93, 'one row per Annex A control');
    assert.deepEqual(rows.slice(1), await expectedSoaRows(as.auditor));
    for (let c = 1; c <= SOA_HEADER.length; c++) assert.equal(ws.getRow(1).getCell(c).font?.bold, true);
    assert.equal(ws.views[0].state, 'frozen');
    assert.equal(ws.views[0].ySplit, 1);
    assert.ok(ws.autoFilter, 'an autofilter over the table');
    assert.match(String(ws.autoFilter.ref ?? ws.autoFilter), /^A1:L94$/);
    for (let c = 1; c <= SOA_HEADER.length; c++) assert.ok(ws.getColumn(c).width >= 9, `width of column ${c}`);
    const excluded = rows.find((r) => r[0] === '7.5');
    assert.deepEqual([excluded[3], excluded[5], excluded[6]],
      ['no', 'No premises of our own; the landlord "handles" it, see <lease>.', '']);
    const backups = rows.find((r) => r[0] === '8.13');
    assert.deepEqual([backups[4], backups[6], backups[8], backups[9], backups[10], backups[11]],
      ['Risk treatment; Contractual', 'Implemented', TRICKY, 'Nightly encrypted backups',
        'Ransomware encrypts the customer database', 'Backups encrypted']);
    const about = sheetRows(wb.getWorksheet('About')).map((r) => r.join('|'));
    assert.ok(about.includes('Version|current, not an approved version'), about.join('\n'));
  });

  test('the risk register: every risk with names, levels and colours from the approved method', async () => {
    const res = await exported(as.staff, 'risk-register', 'xlsx');
    const ws = (await workbook(res.body)).worksheets[0];
    const rows = sheetRows(ws);
    const header = rows[0];
    for (const label of RISK_COLUMNS) assert.ok(header.includes(label), `column ${label}: ${header}`);
    assert.deepEqual(rows, await expectedRiskRows(as.staff));
    assert.equal(rows.length - 1, 3);
    const at = (id) => byLabel(header, rows.find((r) => r[0] === id));
    const r1 = at(rec.risk1.id);
    assert.equal(r1['Risk owner'], 'Olga Owner, "Ops"');
    assert.equal(r1.Threat, rec.threat.name);
    assert.equal(r1.Likelihood, 4, 'likelihood is a number');
    assert.equal(r1['Inherent risk level'], rec.risk1.inherent_level);
    assert.match(r1['Inherent risk level colour'], /^#[0-9a-f]{6}$/i);
    assert.equal(r1['Inherent risk level colour'], colourOf(rec.risk1.inherent_level));
    assert.equal(r1['Applied controls'], 'Nightly encrypted backups');
    const fill = ws.getRow(rows.findIndex((r) => r[0] === rec.risk1.id) + 1)
      .getCell(header.indexOf('Inherent risk level') + 1).fill;
    assert.equal(fill?.fgColor?.argb?.slice(2).toLowerCase(),
      r1['Inherent risk level colour'].slice(1).toLowerCase(), 'the level cell is filled with its colour');
    assert.equal(at(rec.risk2.id)['Affected assets'], 'Customer database; Staff laptops',
      'asset names, in the stored order');
    const cell = ws.getRow(rows.findIndex((r) => r[0] === rec.risk3.id) + 1).getCell(header.indexOf('Risk') + 1);
    assert.equal(cell.type, ExcelJS.ValueType.String, 'a formula-like title stays a string');
    assert.equal(cell.value, FORMULA);
  });

  test('the treatment plan: by due date with risk, control and owner names and overdue', async () => {
    const res = await exported(as.control_owner, 'treatment-plan', 'xlsx');
    const rows = sheetRows((await workbook(res.body)).worksheets[0]);
    assert.deepEqual(rows[0], PLAN_HEADER);
    assert.deepEqual(rows, await expectedPlanRows(as.control_owner));
    assert.deepEqual(rows.slice(1).map((r) => r[0]), [rec.done.id, rec.late.id, rec.soon.id, rec.undated.id]);
    const late = rows.find((r) => r[0] === rec.late.id);
    assert.deepEqual(late.slice(1), ['Ransomware encrypts the customer database',
      'Nightly encrypted backups', 'Test a restore, "end to end"', 'Olga Owner, "Ops"', utcDay(-3),
      'Planned', '', 'yes']);
    assert.equal(rows.find((r) => r[0] === rec.soon.id)[8], 'no');
  });
});

describe('CSV', () => {
  test('RFC 4180 with CRLF; commas, quotes and line breaks round-trip; values as in the API', async () => {
    const res = await exported(as.auditor, 'risk-register', 'csv');
    assert.match(res.headers.get('content-disposition'), /^attachment; filename="risk-register-\d{4}-\d{2}-\d{2}\.csv"$/);
    assert.ok(res.text.endsWith('\r\n'));
    assert.ok(!/[^\r]\n/.test(res.text.replace(/"(?:[^"]|"")*"/g, '')), 'every record ends in CRLF');
    const rows = parseCsv(res.text);
    const want = asText(await expectedRiskRows(as.auditor)).map((r) =>
      r.map((v) => (/^[=+\-@]/.test(v) ? `'${v}` : v)));
    assert.deepEqual(rows, want);
    const r1 = byLabel(rows[0], rows.find((r) => r[0] === String(rec.risk1.id)));
    assert.equal(r1.Scenario, TRICKY, 'comma, quotes and newline survive');
    assert.equal(r1['Risk owner'], 'Olga Owner, "Ops"');
    assert.ok(res.text.includes('"Backups, ""offsite""\nand restores <b>&</b> tested"'), 'quoted, quotes doubled');
  });

  test('cells starting with = + - @ are neutralized with a leading quote', async () => {
    const rows = parseCsv((await exported(as.auditor, 'risk-register', 'csv')).text);
    const r3 = byLabel(rows[0], rows.find((r) => r[0] === String(rec.risk3.id)));
    assert.equal(r3.Risk, `'${FORMULA}`);
    assert.equal(r3['Risk source'], "'-1 + 2");
    const plan = parseCsv((await exported(as.auditor, 'treatment-plan', 'csv')).text);
    assert.deepEqual(plan[0], PLAN_HEADER);
    assert.equal(plan.find((r) => r[0] === String(rec.done.id))[3], "'@admins: confirm");
    for (const row of [...rows, ...plan])
      for (const v of row) assert.ok(!/^[=+\-@]/.test(v), `unguarded cell ${JSON.stringify(v)}`);
  });

  test('the SoA as CSV has one row per Annex A control', async () => {
    const rows = parseCsv((await exported(as.auditor, 'soa', 'csv')).text);
    assert.deepEqual(rows[0], SOA_HEADER);
    assert.deepEqual(rows.slice(1), asText(await expectedSoaRows(as.auditor)));
  });
});

describe('HTML', () => {
  test('a standalone page: escaped values, no script, the print stylesheet', async () => {
    for (const report of Object.keys(TYPES)) {
      const res = await exported(as.auditor, report, 'html');
      assert.equal(res.headers.get('content-disposition'), null, 'shown, not downloaded');
      const html = res.text;
      assert.match(html, /^<!DOCTYPE html>/);
      assert.ok(!/<script/i.test(html), `${report}: no script`);
      assert.ok(!/<style|style=/i.test(html), `${report}: no inline styles (CSP)`);
      assert.ok(html.includes('<link rel="stylesheet" href="/static/print.css">'));
      assert.match(html, /<h1>(Statement of Applicability|Risk register|Risk treatment plan)<\/h1>/);
      assert.match(html, /exported \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    }
    const risks = (await exported(as.auditor, 'risk-register', 'html')).text;
    assert.ok(risks.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Laptop theft'));
    assert.ok(risks.includes('Backups, &quot;offsite&quot;\nand restores &lt;b&gt;&amp;&lt;/b&gt; tested'));
    assert.ok(risks.includes('Olga Owner, &quot;Ops&quot;'));
    assert.ok(risks.includes(FORMULA.replaceAll('"', '&quot;')), 'HTML shows values as they are');
    const soa = (await exported(as.auditor, 'soa', 'html')).text;
    assert.equal((soa.match(/<tr>/g) || []).length, 94, 'header plus 93 rows');
    assert.ok(soa.includes('see &lt;lease&gt;.'));
    const css = await as.auditor.get('/static/print.css');
    expectStatus(css, 200);
    assert.match(css.headers.get('content-type'), /text\/css/);
    assert.match(css.text, /@page/);
  });
});

describe('an approved SoA version', () => {
  test('exports the same bytes every time, also after the live SoA changed, and differs from the live SoA', async () => {
    const first = {};
    for (const format of Object.keys(FORMATS)) {
      const a = await exported(as.auditor, 'soa', format, '?version=1');
      const b = await exported(as.staff, 'soa', format, '?version=1');
      assert.ok(a.body.equals(b.body), `${format}: fetched twice, the same bytes`);
      first[format] = a.body;
      if (format !== 'html')
        assert.equal(a.headers.get('content-disposition'), `attachment; filename="soa-v1.${format}"`);
      if (format !== 'xlsx') assert.ok(!/exported|\b\d{2}:\d{2}\b/i.test(a.text), `${format}: no export time`);
    }
    // The live SoA moves on: another note, another applied control.
    const soa = (await list(mona, 'soa')).items;
    const res = await mona.patch(`/api/v1/soa/${soa[0].id}`, { note: 'Changed after approval' });
    expectStatus(res, 200);
    await create(mona, 'controls', { name: 'Policy set', owner: rec.owner.id, catalog_controls: [soa[0].catalog_control] });
    await new Promise((r) => setTimeout(r, 1100)); // a different second on the clock
    for (const format of Object.keys(FORMATS)) {
      const again = await exported(as.auditor, 'soa', format, '?version=1');
      assert.ok(again.body.equals(first[format]), `${format}: unchanged by later edits`);
      const live = await exported(as.auditor, 'soa', format);
      assert.ok(!live.body.equals(first[format]), `${format}: the live export differs`);
    }
    const frozen = parseCsv(first.csv.toString('utf8'));
    const live = parseCsv((await exported(as.auditor, 'soa', 'csv')).text);
    assert.equal(frozen[1][8], '', 'the version keeps the note as approved');
    assert.equal(live[1][8], 'Changed after approval');
    assert.equal(live[1][9], 'Policy set');
    const wb = await workbook(first.xlsx);
    assert.equal(sheetRows(wb.worksheets[0]).length, 94);
    const about = sheetRows(wb.getWorksheet('About')).map((r) => r.join('|'));
    for (const line of ['Version|1', `Approved on|${rec.version.approved_on}`,
      `Content hash (SHA-256)|${rec.version.content_hash}`, 'Note|First approval'])
      assert.ok(about.includes(line), `About has ${line}: ${about.join('\n')}`);
    assert.equal(wb.created.toISOString().slice(0, 10), rec.version.approved_on,
      'the document time is the approval day');
    assert.match(first.html.toString('utf8'), new RegExp(`Version 1, approved on ${rec.version.approved_on}`));
  });
});

describe('permissions and errors', () => {
  test('a role that may read the records gets the export; one that may not gets 403', async () => {
    const meta = (await as.admin.get('/api/v1/meta')).json;
    for (const [username, u] of Object.entries(USERS)) {
      const client = as[u.role];
      const roleMeta = (await client.get('/api/v1/meta')).json;
      for (const [report, plural] of Object.entries(TYPES)) {
        const type = roleMeta.types.find((t) => t.plural === plural);
        assert.ok(type, `${plural} in meta (${meta.types.length} types)`);
        const res = await download(client, `/api/v1/reports/${report}.csv`);
        if (type.can_read) expectStatus(res, 200);
        else expectError(await client.get(`/api/v1/reports/${report}.csv`), 403, 'forbidden');
        assert.ok([200, 403].includes(res.status), `${username} ${report}: ${res.describe()}`);
      }
    }
  });

  test('not signed in: 401; a one-time password not yet changed: 403', async () => {
    expectError(await ctx.anon.get('/api/v1/reports/soa.xlsx'), 401, 'unauthenticated');
    const r = await ctx.cli(['user', 'add', 'fresh', '--role', 'auditor', '--name', 'Fresh']);
    assert.equal(r.code, 0, r.describe);
    const password = r.stdout.match(/password: (\S+)/)[1];
    const login = await ctx.loginRaw('fresh', password);
    expectStatus(login, 200);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('isms_session='));
    const res = await fetch(`${ctx.base}/api/v1/reports/risk-register.csv`,
      { headers: { Cookie: cookie.split(';')[0] } });
    assert.equal(res.status, 403);
  });

  test('unknown report, format or version: 404; a malformed version or a version of another report: 400', async () => {
    const c = as.auditor;
    for (const p of ['nonsense.xlsx', 'soa.pdf', 'soa', 'risk-register.', 'risks.csv', 'soa.xlsx.csv'])
      expectError(await c.get(`/api/v1/reports/${p}`), 404, 'not_found');
    expectError(await c.get('/api/v1/reports/soa.xlsx?version=99'), 404, 'not_found');
    expectError(await c.get('/api/v1/reports/soa.csv?version=2'), 404, 'not_found');
    for (const v of ['abc', '0', '-1', '', '1.5'])
      expectError(await c.get(`/api/v1/reports/soa.csv?version=${v}`), 400, 'invalid', 'version');
    expectError(await c.get('/api/v1/reports/risk-register.csv?version=1'), 400, 'invalid', 'version');
    const heat = await c.get('/api/v1/reports/heatmap');
    expectStatus(heat, 200);
    assert.ok(Array.isArray(heat.json.cells), 'the heat map is still there');
  });

  test('the OpenAPI document lists the exports', async () => {
    const doc = (await ctx.anon.get('/api/v1/openapi.json')).json;
    for (const report of Object.keys(TYPES))
      for (const format of Object.keys(FORMATS))
        assert.ok(doc.paths[`/api/v1/reports/${report}.${format}`]?.get, `${report}.${format}`);
    assert.ok(doc.paths['/api/v1/reports/soa.xlsx'].get.parameters.some((p) => p.name === 'version'));
  });
});

describe('isms report', () => {
  test('writes the same bytes as the API for a version, and never overwrites a file', async () => {
    const dir = fs.mkdtempSync(path.join(ctx.store.dir, 'out-'));
    for (const format of Object.keys(FORMATS)) {
      const file = path.join(dir, `soa-v1.${format}`);
      const r = await ctx.cli(['report', 'soa', '--format', format, '--version', '1', '--output', file],
        { as: 'audrey' });
      assert.equal(r.code, 0, r.describe);
      const api = await exported(as.auditor, 'soa', format, '?version=1');
      assert.ok(fs.readFileSync(file).equals(api.body), `${format}: CLI and API agree`);
      const again = await ctx.cli(['report', 'soa', '--format', 'csv', '--output', file], { as: 'audrey' });
      assert.equal(again.code, 1, again.describe);
      assert.match(again.stderr, /already exists/);
      assert.ok(fs.readFileSync(file).equals(api.body), `${format}: the existing file is untouched`);
    }
    const live = path.join(dir, 'plan.csv');
    const r = await ctx.cli(['report', 'treatment-plan', '--format=csv', `--output=${live}`], { as: 'carl' });
    assert.equal(r.code, 0, r.describe);
    assert.deepEqual(parseCsv(fs.readFileSync(live, 'utf8'))[0], PLAN_HEADER);
  });

  test('usage errors exit 2; an unknown version exits 1 and writes nothing', async () => {
    const out = path.join(ctx.store.dir, 'never.csv');
    for (const args of [
      ['report'],
      ['report', 'soa', '--output', out],
      ['report', 'soa', '--format', 'pdf', '--output', out],
      ['report', 'soa', '--format', 'csv'],
      ['report', 'nonsense', '--format', 'csv', '--output', out],
      ['report', 'soa', '--format', 'csv', '--version', 'x', '--output', out],
    ]) {
      const r = await ctx.cli(args, { as: 'audrey' });
      assert.equal(r.code, 2, r.describe);
      assert.ok(r.stderr.trim(), r.describe);
    }
    const r = await ctx.cli(['report', 'soa', '--format', 'csv', '--version', '42', '--output', out],
      { as: 'audrey' });
    assert.equal(r.code, 1, r.describe);
    assert.match(r.stderr, /no SoA version 42/);
    const other = await ctx.cli(['report', 'risk-register', '--format', 'csv', '--version', '1',
      '--output', out], { as: 'audrey' });
    assert.equal(other.code, 2, other.describe);
    assert.ok(!fs.existsSync(out), 'nothing written');
    const help = await ctx.cli(['report', '--help']);
    assert.equal(help.code, 0, help.describe);
    assert.match(help.stdout, /usage: isms report NAME --format/);
  });
});
