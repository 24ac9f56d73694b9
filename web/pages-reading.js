// pages-reading.js — policies people must read (ISO/IEC 27001 5.2, 7.3): "Policies to read"
// for the signed-in person with the "I have read and understood" action, the pending count
// in the top bar, and acknowledgement progress per published document for managers and
// auditors, where an ISMS manager may also record an acknowledgement made on paper.
import {api, typeOf} from './api.js';
import {h, append, replace, cap, humanize, banner, spinner, pageTitle, chip, timeEl, fmtTime} from './dom.js';
import {unknownType} from './common.js';
import {serverHtml} from './fields.js';

const METHODS = {in_app: 'In isms', on_paper: 'On paper', in_training: 'In a training', by_email: 'By email'};
const methodName = (m) => METHODS[m] || humanize(m);

// The top-bar link and the navigation entry show how many policies wait to be read; the
// link hides for accounts without a person (they have no reading list).
export async function refreshReadingBadge() {
  let n = null;
  try {
    n = (await api('GET', 'reading', {params: {pending: 'true'}})).pending;
  } catch { /* no person linked, or the page itself shows the error */ }
  const link = document.getElementById('reading-link');
  if (link) {
    link.hidden = n === null;
    link.textContent = n ? `To read ${n}` : 'To read';
    link.classList.toggle('reading-alert', n > 0);
    link.setAttribute('aria-label', n ? `${n} ${n === 1 ? 'policy' : 'policies'} to read` : 'Policies to read');
  }
  const count = document.getElementById('nav-reading-count');
  if (count) {
    count.textContent = n ? String(n) : '';
    count.parentElement.setAttribute('aria-label', n ? `Policies to read, ${n} pending` : 'Policies to read');
  }
}

// A bar with the percentage as text beside it (CSP: a <progress> element, no inline widths).
function progressBar(percent, label) {
  if (percent === null || percent === undefined)
    return h('span', {class: 'muted'}, 'Not tracked (outside the organization)');
  return h('span', {class: 'ack-progress'},
    h('progress', {max: '100', value: String(percent), 'aria-label': label}),
    h('span', {class: 'ack-percent'}, `${percent} %`));
}

function ackState(it) {
  return it.acknowledged_at
    ? chip(`Acknowledged on ${fmtTime(it.acknowledged_at).slice(0, 10)}`, 'ok', 'status')
    : chip('To read', 'warn', 'status');
}

// #/reading — what the signed-in person must read, pending first.
export async function readingPage(main, route, signal) {
  document.title = 'Policies to read · isms';
  const body = h('div', {class: 'reading-body'}, spinner());
  append(main,
    h('div', {class: 'page-head'}, h('div', null,
      h('p', {class: 'eyebrow'}, '7 Support · clause 7.3'),
      pageTitle('Policies to read'),
      h('p', {class: 'lede'}, 'The policies and procedures meant for you. Open each one, read it, and confirm that you have read and understood it.'))),
    body);
  let r;
  try {
    r = await api('GET', 'reading', {signal});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(body, e.status === 400
      ? banner(`${cap(e.message)}.`, 'warning')
      : banner(e));
    return null;
  }
  if (!r.items.length) {
    replace(body, h('div', {class: 'panel empty-state'}, h('p', null, h('strong', null, 'Nothing to read')),
      h('p', null, 'No published policy is meant for you at the moment.')));
    return null;
  }
  const items = [...r.items].sort((a, b) => (a.acknowledged_at ? 1 : 0) - (b.acknowledged_at ? 1 : 0));
  replace(body,
    h('p', {class: 'list-summary'}, r.pending
      ? `${r.pending} to read, ${r.total - r.pending} acknowledged.`
      : `All ${r.total} acknowledged. Thank you.`),
    h('ul', {class: 'reading-list'}, items.map((it) => h('li', {class: ['panel', 'reading-item', it.acknowledged_at ? null : 'is-pending'], dataset: {version: String(it.version)}},
      h('div', {class: 'reading-main'},
        h('h2', null, h('a', {href: `#/reading/${it.version}`}, h('span', {class: 'doc-id'}, it.identifier), ' ', it.title)),
        h('p', {class: 'muted'}, `${humanize(it.kind)} · version ${it.number}`, it.approved_on ? ` · approved on ${it.approved_on}` : ''),
        it.change_summary ? h('p', {class: 'reading-change'}, 'What changed: ', it.change_summary) : null),
      h('div', {class: 'reading-state'}, ackState(it))))));
  return null;
}

// #/reading/:version — one version's text and the acknowledgement.
export async function readingDocPage(main, route, signal) {
  const id = Number(route.params.id);
  document.title = 'Policy · isms';
  const crumbs = h('nav', {class: 'breadcrumbs', 'aria-label': 'Breadcrumb'},
    h('ol', null, h('li', null, '7 Support'), h('li', null, h('a', {href: '#/reading'}, 'Policies to read'))));
  const head = h('div', {class: 'page-head'}, pageTitle('Policy'));
  const body = h('div', null, spinner());
  append(main, crumbs, head, body);
  let v;
  let item = null;
  try {
    const [version, list] = await Promise.all([
      api('GET', `document-versions/${id}`, {signal}),
      api('GET', 'reading', {signal}).catch((e) => { if (e.name === 'AbortError') throw e; return null; }),
    ]);
    v = version;
    item = list && list.items.find((x) => x.version === id) || null;
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(body, banner(e.status === 404 ? 'There is no such document version.' : e.message, e.status === 404 ? 'warning' : 'error'));
    return null;
  }
  if (signal.aborted) return null;
  const title = item ? item.title : v.title;
  document.title = `${title} · Policies to read · isms`;
  replace(head, h('div', null,
    h('p', {class: 'eyebrow'}, item ? `${item.identifier} · version ${v.number}` : `Version ${v.number}`,
      v.approved_on ? ` · approved on ${v.approved_on}` : ''),
    pageTitle(title)));
  const text = h('article', {class: 'panel doc-text'});
  text.append(...serverHtml(v.html?.body).childNodes);
  // The page has its own <h1>: the text's headings move one level down.
  for (const el of text.querySelectorAll('h1, h2, h3, h4, h5')) {
    const lower = document.createElement('h' + (Number(el.tagName[1]) + 1));
    lower.append(...el.childNodes);
    el.replaceWith(lower);
  }
  const ackBox = h('section', {class: 'panel ack-box', 'aria-label': 'Acknowledgement', tabindex: '-1'});
  replace(body, v.status === 'published' ? null : banner(`This version is ${humanize(v.status).toLowerCase()}, not the one in force.`, 'warning'),
    text, ackBox);
  renderAck();

  function renderAck(err) {
    if (item && item.acknowledged_at) {
      replace(ackBox, h('p', {class: 'ack-done', role: 'status'}, chip('Acknowledged', 'ok'), ' ',
        'You acknowledged this version on ', timeEl(item.acknowledged_at), '.'),
      h('p', null, h('a', {href: '#/reading'}, 'Back to Policies to read')));
      return;
    }
    if ((v.actions || []).some((a) => (a.name || a) === 'acknowledge')) {
      const btn = h('button', {type: 'button', class: 'btn btn-primary', id: 'acknowledge'}, 'I have read and understood');
      btn.addEventListener('click', async () => {
        btn.disabled = true;
        ackBox.setAttribute('aria-busy', 'true');
        try {
          await api('POST', `document-versions/${id}/actions/acknowledge`);
        } catch (e) {
          ackBox.removeAttribute('aria-busy');
          renderAck(e);
          return;
        }
        // The time the server recorded, when the list answers; otherwise now.
        const list = await api('GET', 'reading').catch(() => null);
        item = list?.items.find((x) => x.version === id) || {...item, acknowledged_at: new Date().toISOString()};
        ackBox.removeAttribute('aria-busy');
        renderAck();
        ackBox.focus();
        refreshReadingBadge();
      });
      replace(ackBox,
        h('p', null, 'By confirming, you record that you have read this version and understood what it asks of you.'),
        err ? banner(err) : null,
        btn);
      return;
    }
    replace(ackBox, h('p', {class: 'muted'}, item
      ? 'This version cannot be acknowledged now.'
      : 'This version is not on your list of policies to read, so there is nothing to acknowledge.'),
    err ? banner(err) : null);
  }
  return null;
}

// Acknowledgements are followed on a page of their own in the navigation (hooks.js).
export const ackHooks = {navPage: '/acknowledgements', navLabel: 'Acknowledgement progress'};

// #/acknowledgements — progress per published document.
export async function ackProgressPage(main, route, signal) {
  const type = typeOf('acknowledgements');
  if (!type || !type.can_read) return unknownType(main, 'acknowledgements');
  document.title = 'Acknowledgement progress · isms';
  const body = h('div', null, spinner());
  append(main,
    h('div', {class: 'page-head'}, h('div', null,
      h('p', {class: 'eyebrow'}, '7 Support · clauses 5.2, 7.3'),
      pageTitle('Acknowledgement progress'),
      h('p', {class: 'lede'}, 'For each published document: how many of the people it is meant for have confirmed that they read the version in force.')),
    h('div', {class: 'head-actions'}, h('a', {href: '#/t/acknowledgements', class: 'btn'}, 'All acknowledgements'))),
    body);
  let r;
  try {
    r = await api('GET', 'reports/acknowledgements', {signal});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(body, banner(e));
    return null;
  }
  if (!r.items.length) {
    replace(body, h('div', {class: 'panel empty-state'}, h('p', null, 'No document is published yet, so there is nothing to acknowledge.')));
    return null;
  }
  replace(body, h('div', {class: 'table-wrap'}, h('table', {class: 'grid ack-table'},
    h('thead', null, h('tr', null,
      h('th', {scope: 'col'}, 'Document'), h('th', {scope: 'col'}, 'Version'), h('th', {scope: 'col'}, 'Audience'),
      h('th', {scope: 'col'}, 'Progress'), h('th', {scope: 'col', class: 'num'}, 'People'),
      h('th', {scope: 'col', class: 'num'}, 'Acknowledged'), h('th', {scope: 'col', class: 'num'}, 'Not yet'))),
    h('tbody', null, r.items.map((it) => h('tr', {dataset: {document: String(it.document)}},
      h('th', {scope: 'row'}, h('a', {href: `#/acknowledgements/${it.document}`}, h('span', {class: 'doc-id'}, it.identifier), ' ', it.title)),
      h('td', {class: 'nowrap'}, `v${it.number}`, it.approved_on ? h('span', {class: 'muted'}, ` of ${it.approved_on}`) : null),
      h('td', null, humanize(it.audience)),
      h('td', {class: 'ack-cell'}, progressBar(it.percent, `${it.identifier}: acknowledged`)),
      h('td', {class: 'num'}, String(it.audience_size)),
      h('td', {class: 'num'}, String(it.acknowledged)),
      h('td', {class: 'num'}, it.not_yet ? h('span', {class: 'warn-text'}, String(it.not_yet)) : '0')))))));
  return null;
}

// #/acknowledgements/:document — who did, who did not; managers record one on someone's behalf.
export async function ackDetailPage(main, route, signal) {
  const type = typeOf('acknowledgements');
  if (!type || !type.can_read) return unknownType(main, 'acknowledgements');
  const docId = Number(route.params.id);
  document.title = 'Acknowledgements · isms';
  const crumbs = h('nav', {class: 'breadcrumbs', 'aria-label': 'Breadcrumb'},
    h('ol', null, h('li', null, '7 Support'), h('li', null, h('a', {href: '#/acknowledgements'}, 'Acknowledgement progress'))));
  const head = h('div', {class: 'page-head'}, pageTitle('Acknowledgements'));
  const msgs = h('div', {class: 'record-messages', tabindex: '-1'});
  const body = h('div', null, spinner());
  append(main, crumbs, head, msgs, body);
  let d;

  async function load() {
    d = await api('GET', 'reports/acknowledgements', {params: {document: docId}, signal});
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
    document.title = `${d.identifier} acknowledgements · isms`;
    replace(head, h('div', null,
      h('p', {class: 'eyebrow'}, `${d.identifier} · version ${d.number}`, d.approved_on ? ` · approved on ${d.approved_on}` : '', ` · audience: ${humanize(d.audience).toLowerCase()}`),
      pageTitle(d.title),
      h('p', {class: 'ack-summary'}, progressBar(d.percent, `${d.identifier}: acknowledged`), ' ',
        h('span', {class: 'muted', id: 'ack-counts'}, `${d.acknowledged} of ${d.audience_size} acknowledged, ${d.not_yet} not yet`))),
    h('div', {class: 'head-actions'}, h('a', {href: `#/t/documents/${d.document}`, class: 'btn'}, 'Open the document')));
    const done = h('section', {class: 'panel', 'aria-labelledby': 'ack-done-h'},
      h('h2', {id: 'ack-done-h'}, 'Acknowledged ', h('span', {class: 'count'}, String(d.acknowledgements.length))),
      d.acknowledgements.length
        ? h('div', {class: 'table-wrap'}, h('table', {class: 'grid small', id: 'ack-done'},
          h('thead', null, h('tr', null, ...['Person', 'When', 'How'].map((c) => h('th', {scope: 'col'}, c)))),
          h('tbody', null, d.acknowledgements.map((a) => h('tr', null,
            h('th', {scope: 'row'}, h('a', {href: `#/t/people/${a.person}`}, a.name),
              a.in_audience === false ? h('span', {class: 'muted'}, ' (no longer in the audience)') : null),
            h('td', null, timeEl(a.at)),
            h('td', null, methodName(a.method)))))))
        : h('p', {class: 'empty'}, 'Nobody has acknowledged this version yet.'));
    const pending = h('section', {class: 'panel', 'aria-labelledby': 'ack-pending-h'},
      h('h2', {id: 'ack-pending-h'}, 'Not yet ', h('span', {class: 'count'}, String(d.pending.length))),
      d.pending.length
        ? h('ul', {class: 'ack-pending', id: 'ack-pending'}, d.pending.map((p) => h('li', null, h('a', {href: `#/t/people/${p.person}`}, p.name))))
        : h('p', {class: 'empty'}, d.percent === null ? 'This document is for parties outside the organization.' : 'Everyone in the audience has acknowledged it.'));
    replace(body, h('div', {class: 'ack-cols'}, done, pending), type.can_write && d.pending.length ? recordForm() : null);
  }

  function recordForm() {
    const person = h('select', {id: 'ack-person', required: true},
      h('option', {value: ''}, '— choose a person —'),
      d.pending.map((p) => h('option', {value: String(p.person)}, p.name)));
    const method = h('select', {id: 'ack-method'},
      ['on_paper', 'in_training', 'by_email'].map((m) => h('option', {value: m}, methodName(m))));
    const note = h('input', {type: 'text', id: 'ack-note', maxlength: '500', 'aria-describedby': 'ack-note-help'});
    const err = h('div', {class: 'form-error'});
    const save = h('button', {type: 'submit', class: 'btn btn-primary'}, 'Record acknowledgement');
    const form = h('form', {class: 'panel ack-record', novalidate: true, 'aria-labelledby': 'ack-record-h'},
      h('h2', {id: 'ack-record-h'}, 'Record an acknowledgement on someone’s behalf'),
      h('p', {class: 'help'}, 'For someone who confirmed outside isms: a signed form, a training session or an email.'),
      h('div', {class: 'ack-record-fields'},
        h('div', {class: 'field'}, h('label', {for: 'ack-person'}, 'Person'), person),
        h('div', {class: 'field'}, h('label', {for: 'ack-method'}, 'How'), method),
        h('div', {class: 'field ack-note-field'}, h('label', {for: 'ack-note'}, 'Note'),
          note, h('p', {class: 'help', id: 'ack-note-help'}, 'Where the evidence is, e.g. “signed form in the HR file”.'))),
      err,
      h('div', {class: 'form-buttons'}, save));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      replace(err);
      if (!person.value) {
        replace(err, banner('Choose the person whose acknowledgement you record.'));
        person.focus();
        return;
      }
      const name = person.selectedOptions[0].textContent;
      save.disabled = true;
      form.setAttribute('aria-busy', 'true');
      try {
        await api('POST', 'acknowledgements', {body: {document_version: d.version, person: Number(person.value),
          method: method.value, ...(note.value.trim() ? {note: note.value.trim()} : {})}});
        await load();
        render();
        replace(msgs, banner(`Recorded: ${name} acknowledged ${d.identifier} ${methodName(method.value).toLowerCase()}.`, 'success'));
        msgs.focus();
      } catch (e) {
        if (e.name === 'AbortError') return;
        replace(err, banner(cap(e.message)));
        save.disabled = false;
        form.removeAttribute('aria-busy');
      }
    });
    return form;
  }
  return null;
}
