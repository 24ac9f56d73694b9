// pages-competence.js — competence (ISO/IEC 27001 7.2): the competence matrix, everyone
// holding an organizational role on a day against each competence their role requires, each
// cell valid, expiring, expired or missing (in words as well as colour), with a role filter,
// the day to judge on, and the spreadsheet of the same matrix.
import {api, typeOf} from './api.js';
import {h, append, replace, spinner, pageTitle} from './dom.js';
import {unknownType, readOrShow} from './common.js';

const STATUS = {
  valid: ['Valid', 'ok'],
  expiring: ['Expiring', 'warn'],
  expired: ['Expired', 'bad'],
  missing: ['Missing', 'bad'],
};

// #/competence?role=ID&on=YYYY-MM-DD
export async function competencePage(main, route, signal) {
  const type = typeOf('competence-requirements');
  if (!type || !type.can_read) return unknownType(main, 'competence-requirements');
  document.title = 'Competence matrix · isms';
  const role = route.query.get('role') || '';
  const on = route.query.get('on') || '';
  const params = {...(role ? {role} : {}), ...(on ? {on} : {})};
  const qs = new URLSearchParams(params).toString();
  const records = typeOf('training-records');
  const box = h('div', {class: 'competence-box'}, spinner('Loading the competence matrix…'));
  const summary = h('p', {class: 'list-summary', role: 'status', 'aria-live': 'polite'});
  const roleSel = h('select', {id: 'competence-role', name: 'role'}, h('option', {value: ''}, 'Every role'));
  const onInput = h('input', {type: 'date', id: 'competence-on', name: 'on', value: on});
  const tools = h('form', {class: 'toolbar competence-tools', 'aria-label': 'Choose the matrix', onsubmit: (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    if (roleSel.value) p.set('role', roleSel.value);
    if (onInput.value) p.set('on', onInput.value);
    location.hash = p.toString() ? `#/competence?${p}` : '#/competence';
  }},
  h('label', {for: 'competence-role'}, 'Role'), roleSel,
  h('label', {for: 'competence-on'}, 'On'), onInput,
  h('button', {type: 'submit', class: 'btn'}, 'Show'));
  const xlsx = `/api/v1/reports/competence-matrix.xlsx${qs ? `?${qs}` : ''}`;
  append(main,
    h('div', {class: 'page-head'}, h('div', null,
      h('p', {class: 'eyebrow'}, '7 Support · clause 7.2'),
      pageTitle('Competence matrix'),
      h('p', {class: 'lede'}, 'Everyone who holds an organizational role, against each competence the role requires: valid, expiring within 60 days, expired, or missing, from their training and qualification records.')),
    h('div', {class: 'head-actions'},
      h('a', {href: xlsx, class: 'btn', download: '', id: 'competence-xlsx'}, 'Download XLSX'),
      h('a', {href: '#/t/competence-requirements', class: 'btn'}, 'Requirements'),
      records?.can_write ? h('a', {href: '#/t/training-records/new', class: 'btn btn-primary', id: 'new-training-record'}, 'New training record') : null)),
    summary, tools,
    h('dl', {class: 'competence-legend', 'aria-label': 'Legend'},
      Object.entries(STATUS).map(([k, [label, tone]]) => h('div', null,
        h('dt', null, h('span', {class: ['competence-cell', `tone-${tone}`]}, label)),
        h('dd', null, {valid: 'held and in date', expiring: 'runs out within 60 days', expired: 'ran out', missing: 'no record'}[k])))),
    box);
  const data = await readOrShow(box, api('GET', 'reports/competence-matrix', {params, signal}));
  if (!data || signal.aborted) return null;
  // The role choices: every role the unfiltered matrix knows (a filtered one lists one).
  let roles = data.roles;
  if (role) {
    try { roles = (await api('GET', 'reports/competence-matrix', {params: on ? {on} : {}, signal})).roles; } catch (e) { if (e.name === 'AbortError') throw e; }
  }
  for (const r of roles) roleSel.append(h('option', {value: String(r.id), selected: String(r.id) === role}, r.name));
  if (!on) onInput.value = data.on;
  render(box, summary, data);
  return null;
}

function render(box, summary, data) {
  const t = data.totals;
  summary.textContent = `On ${data.on}: ${data.rows.length} ${data.rows.length === 1 ? 'holder' : 'holders'} · ` +
    `${t.valid} valid · ${t.expiring} expiring · ${t.expired} expired · ${t.missing} missing`;
  summary.classList.toggle('has-gaps', t.expired + t.missing > 0);
  if (!data.requirements) {
    replace(box, h('div', {class: 'panel empty-state'}, h('p', null, h('strong', null, 'No competence requirements yet')),
      h('p', null, 'Record what each role needs: ', h('a', {href: '#/t/competence-requirements/new'}, 'add a requirement'), '. The matrix compares every role holder with them.')));
    return;
  }
  if (!data.rows.length || !data.competences.length) {
    replace(box, h('div', {class: 'panel empty-state'}, h('p', null, 'Nobody holds a role that requires a competence on this day.')));
    return;
  }
  const cols = data.competences;
  const byRole = new Map();
  for (const row of data.rows) {
    if (!byRole.has(row.role)) byRole.set(row.role, []);
    byRole.get(row.role).push(row);
  }
  replace(box,
    h('p', {class: 'scroll-hint', id: 'competence-hint'}, 'The table is wider than the screen: scroll it sideways.'),
    h('div', {class: 'table-wrap competence-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'competence-caption', 'aria-describedby': 'competence-hint'},
      h('table', {class: 'grid small competence-table', id: 'competence-matrix'},
        h('caption', {id: 'competence-caption', class: 'sr-only'}, 'Competence matrix: rows are role holders grouped by role, columns are competences'),
        h('thead', null, h('tr', null, h('th', {scope: 'col', class: 'competence-person'}, 'Holder'),
          cols.map((c) => h('th', {scope: 'col', class: 'competence-col'}, h('a', {href: `#/t/competences/${c.id}`}, c.name))))),
        data.roles.filter((r) => byRole.has(r.id)).map((r) => h('tbody', {dataset: {role: String(r.id)}},
          h('tr', {class: 'competence-group'}, h('th', {scope: 'colgroup', colspan: String(cols.length + 1)},
            h('a', {href: `#/t/roles/${r.id}`}, r.name), ' ', h('span', {class: 'count'}, String(byRole.get(r.id).length)))),
          byRole.get(r.id).map((row) => h('tr', {dataset: {person: String(row.person)}},
            h('th', {scope: 'row'}, h('a', {href: `#/t/people/${row.person}`}, row.person_name)),
            cols.map((c) => cell(row, c)))))))));
}

function cell(row, c) {
  const v = row.cells[String(c.id)];
  if (!v) return h('td', {class: 'competence-na'}, h('span', {'aria-hidden': 'true'}, '—'), h('span', {class: 'sr-only'}, 'Not required'));
  const [label, tone] = STATUS[v.status];
  const when = v.status === 'missing' ? '' : v.expires_on ? (v.status === 'valid' ? ` until ${v.expires_on}` : ` ${v.expires_on}`) : '';
  const text = h('span', {class: ['competence-cell', `tone-${tone}`], dataset: {status: v.status}}, label + when);
  const link = v.record
    ? h('a', {href: `#/t/training-records/${v.record}`, 'aria-label': `${row.person_name}, ${c.name}: ${label}${when}`}, text)
    : h('a', {href: `#/t/training-records/new?person=${row.person}&competence=${c.id}`, 'aria-label': `${row.person_name}, ${c.name}: missing — add a training record`}, text);
  return h('td', {class: 'competence-td'}, link);
}
