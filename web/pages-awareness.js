// pages-awareness.js — awareness campaigns (ISO/IEC 27001 7.3): coverage of every campaign
// (#/awareness) and of one (#/awareness/:id) with who completed it, who has not, and a form
// to record a completion on someone's behalf. Numbers come from the awareness-coverage view.
import {api, typeOf} from './api.js';
import {h, append, replace, cap, humanize, banner, spinner, pageTitle, chip, linkButton} from './dom.js';
import {unknownType} from './common.js';

const today = () => new Date().toISOString().slice(0, 10);

// A bar with the percentage as text beside it (CSP: a <progress> element, no inline widths).
function progressBar(percent, label) {
  if (percent === null || percent === undefined) return h('span', {class: 'muted'}, 'Nobody in the audience');
  return h('span', {class: 'ack-progress'},
    h('progress', {max: '100', value: String(percent), 'aria-label': label}),
    h('span', {class: 'ack-percent'}, `${percent} %`));
}

function statusChip(it) {
  const tones = {running: 'warn', closed: 'ok', planned: 'neutral', cancelled: 'neutral'};
  return chip(cap(humanize(it.status)), tones[it.status] || 'neutral', 'status');
}

function metChip(it) {
  if (it.met === null) return chip('No audience', 'neutral');
  if (it.met) return chip('Target met', 'ok');
  return chip(`Below ${it.target} %`, it.status === 'closed' ? 'bad' : 'warn');
}

// Campaigns link to the coverage page from their record page; the generic list stays.
export const campaignHooks = {
  buttons: (rec) => [linkButton('Coverage', `#/awareness/${rec.id}`)],
};

// #/awareness — every campaign with its coverage.
export async function awarenessPage(main, route, signal) {
  const type = typeOf('awareness-campaigns');
  if (!type || !type.can_read || !typeOf('awareness-completions')?.can_read) return unknownType(main, 'awareness-completions');
  document.title = 'Awareness coverage · isms';
  const body = h('div', null, spinner());
  append(main,
    h('div', {class: 'page-head'}, h('div', null,
      h('p', {class: 'eyebrow'}, '7 Support · clause 7.3'),
      pageTitle('Awareness coverage'),
      h('p', {class: 'lede'}, 'For each awareness campaign: how many of the people it is meant for have completed it, recorded or by acknowledging the policy it names.')),
    h('div', {class: 'head-actions'},
      type.can_write ? linkButton('New campaign', '#/t/awareness-campaigns/new', 'btn-primary') : null,
      linkButton('All campaigns', '#/t/awareness-campaigns'))),
    body);
  let r;
  try {
    r = await api('GET', 'reports/awareness-coverage', {signal});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(body, banner(e));
    return null;
  }
  if (!r.items.length) {
    replace(body, h('div', {class: 'panel empty-state'}, h('p', null, 'No awareness campaign is recorded yet.')));
    return null;
  }
  replace(body, h('div', {class: 'table-wrap'}, h('table', {class: 'grid ack-table', id: 'awareness-table'},
    h('thead', null, h('tr', null,
      ...['Campaign', 'Status', 'Complete by', 'Coverage'].map((c) => h('th', {scope: 'col'}, c)),
      ...['People', 'Completed', 'Not yet'].map((c) => h('th', {scope: 'col', class: 'num'}, c)))),
    h('tbody', null, r.items.map((it) => h('tr', {dataset: {campaign: String(it.campaign)}},
      h('th', {scope: 'row'}, h('a', {href: `#/awareness/${it.campaign}`}, it.topic)),
      h('td', null, statusChip(it)),
      h('td', {class: 'nowrap'}, it.due_on, it.overdue ? h('span', {class: 'warn-text'}, ` · ${it.overdue} overdue`) : null),
      h('td', {class: 'ack-cell'}, progressBar(it.percent, `${it.topic}: completed`), ' ', metChip(it)),
      h('td', {class: 'num'}, String(it.audience_size)),
      h('td', {class: 'num'}, String(it.completed)),
      h('td', {class: 'num'}, it.not_completed ? h('span', {class: 'warn-text'}, String(it.not_completed)) : '0')))))));
  return null;
}

// #/awareness/:id — who did, who did not; managers record a completion on someone's behalf.
export async function awarenessDetailPage(main, route, signal) {
  const type = typeOf('awareness-completions');
  if (!type || !type.can_read) return unknownType(main, 'awareness-completions');
  const id = Number(route.params.id);
  document.title = 'Awareness coverage · isms';
  const crumbs = h('nav', {class: 'breadcrumbs', 'aria-label': 'Breadcrumb'},
    h('ol', null, h('li', null, '7 Support'), h('li', null, h('a', {href: '#/awareness'}, 'Awareness coverage'))));
  const head = h('div', {class: 'page-head'}, pageTitle('Awareness campaign'));
  const msgs = h('div', {class: 'record-messages', tabindex: '-1'});
  const body = h('div', null, spinner());
  append(main, crumbs, head, msgs, body);
  let d;

  async function load() {
    d = await api('GET', 'reports/awareness-coverage', {params: {campaign: id}, signal});
  }
  try {
    await load();
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(body, banner(e, e.status === 404 ? 'warning' : 'error'));
    return null;
  }
  if (signal.aborted) return null;
  render();

  function render() {
    document.title = `${d.topic} · awareness · isms`;
    replace(head, h('div', null,
      h('p', {class: 'eyebrow'}, `${d.starts_on} to ${d.ends_on} · complete by ${d.due_on} · target ${d.target} %`),
      pageTitle(d.topic, ' ', statusChip(d)),
      h('p', {class: 'ack-summary'}, progressBar(d.percent, `${d.topic}: completed`), ' ',
        h('span', {class: 'muted', id: 'awareness-counts'},
          `${d.completed} of ${d.audience_size} completed, ${d.not_completed} not yet`,
          d.overdue ? ` (${d.overdue} overdue)` : ''), ' ', metChip(d))),
    h('div', {class: 'head-actions'},
      linkButton('Open the campaign', `#/t/awareness-campaigns/${d.campaign}`),
      d.document ? linkButton('Open the policy', `#/t/documents/${d.document}`) : null));
    const done = h('section', {class: 'panel', 'aria-labelledby': 'aw-done-h'},
      h('h2', {id: 'aw-done-h'}, 'Completed ', h('span', {class: 'count'}, String(d.done.length))),
      d.done.length
        ? h('div', {class: 'table-wrap'}, h('table', {class: 'grid small', id: 'aw-done'},
          h('thead', null, h('tr', null, ...['Person', 'On', 'Score', 'How'].map((c) => h('th', {scope: 'col'}, c)))),
          h('tbody', null, d.done.map((x) => h('tr', null,
            h('th', {scope: 'row'}, h('a', {href: `#/t/people/${x.person}`}, x.name)),
            h('td', {class: 'nowrap'}, x.on || ''),
            h('td', {class: 'num'}, x.score === null || x.score === undefined ? '' : `${x.score} %`),
            h('td', null, x.via === 'acknowledgement' ? 'Acknowledged the policy' : 'Recorded'))))))
        : h('p', {class: 'empty'}, 'Nobody has completed it yet.'));
    const pending = h('section', {class: 'panel', 'aria-labelledby': 'aw-pending-h'},
      h('h2', {id: 'aw-pending-h'}, 'Not yet ', h('span', {class: 'count'}, String(d.pending.length))),
      d.pending.length
        ? h('ul', {class: 'ack-pending', id: 'aw-pending'}, d.pending.map((p) => h('li', null, h('a', {href: `#/t/people/${p.person}`}, p.name))))
        : h('p', {class: 'empty'}, d.audience_size ? 'Everyone in the audience has completed it.' : 'Nobody is in the audience.'));
    const open = type.can_write && d.pending.length && d.status !== 'cancelled';
    replace(body, h('div', {class: 'ack-cols'}, done, pending), open ? recordForm() : null);
  }

  function recordForm() {
    const person = h('select', {id: 'aw-person', required: true},
      h('option', {value: ''}, '— choose a person —'),
      d.pending.map((p) => h('option', {value: String(p.person)}, p.name)));
    const on = h('input', {type: 'date', id: 'aw-on', max: today(), min: d.starts_on, value: today(), 'aria-describedby': 'aw-on-help'});
    const score = h('input', {type: 'number', id: 'aw-score', min: '0', max: '100', step: '1', inputmode: 'numeric'});
    const note = h('input', {type: 'text', id: 'aw-note', maxlength: '500', 'aria-describedby': 'aw-note-help'});
    const err = h('div', {class: 'form-error', role: 'alert'});
    const save = h('button', {type: 'submit', class: 'btn btn-primary'}, 'Record completion');
    const form = h('form', {class: 'panel ack-record', novalidate: true, 'aria-labelledby': 'aw-record-h'},
      h('h2', {id: 'aw-record-h'}, 'Record a completion on someone’s behalf'),
      h('p', {class: 'help'}, 'For someone who attended a session or finished the e-learning outside isms.'),
      h('div', {class: 'ack-record-fields'},
        h('div', {class: 'field'}, h('label', {for: 'aw-person'}, 'Person'), person),
        h('div', {class: 'field'}, h('label', {for: 'aw-on'}, 'Completed on'), on,
          h('p', {class: 'help', id: 'aw-on-help'}, 'More than a week back needs a note.')),
        h('div', {class: 'field'}, h('label', {for: 'aw-score'}, 'Score (%)'), score),
        h('div', {class: 'field ack-note-field'}, h('label', {for: 'aw-note'}, 'Note'),
          note, h('p', {class: 'help', id: 'aw-note-help'}, 'Where the evidence is, e.g. “attendance list of 12 March”.'))),
      err,
      h('div', {class: 'form-buttons'}, save));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      replace(err);
      if (!person.value) {
        replace(err, banner('Choose the person whose completion you record.'));
        person.focus();
        return;
      }
      const name = person.selectedOptions[0].textContent;
      const body = {campaign: d.campaign, person: Number(person.value)};
      if (on.value) body.completed_on = on.value;
      if (score.value !== '') body.score = Number(score.value);
      if (note.value.trim()) body.note = note.value.trim();
      save.disabled = true;
      form.setAttribute('aria-busy', 'true');
      try {
        await api('POST', 'awareness-completions', {body});
        await load();
        render();
        replace(msgs, banner(`Recorded: ${name} completed “${d.topic}”.`, 'success'));
        msgs.focus();
      } catch (e) {
        if (e.name === 'AbortError') return;
        replace(err, banner(cap(e.message)));
        const field = {completed_on: on, score, note, person}[e.field];
        if (field) field.focus();
        save.disabled = false;
        form.removeAttribute('aria-busy');
      }
    });
    return form;
  }
  return null;
}
