// pages-inbox.js — the approval inbox (#/inbox): document versions waiting for the signed-in
// person (to approve, to publish, own drafts to finish), each with its action; and the count
// in the top bar.
import {session, listAll, typeOf, refTitle} from './api.js';
import {h, append, replace, banner, spinner, pageTitle, timeEl} from './dom.js';
import {sectionOf} from './sections.js';
import {unknownType} from './common.js';
import {actionButtons, printLink, printable} from './pages-documents.js';

const has = (v, name) => (v.actions || []).includes(name);

// What waits for the signed-in person. The author is offered "approve" like anyone of the
// right role (the server refuses it), so their own versions are left out here.
async function inboxItems(signal) {
  const me = session.user.username;
  const [review, approved, drafts] = await Promise.all([
    listAll('document-versions', {status: 'in_review', sort: 'updated_at'}, {signal}),
    listAll('document-versions', {status: 'approved', sort: 'updated_at'}, {signal}),
    listAll('document-versions', {status: 'draft', author: me, sort: 'updated_at'}, {signal}),
  ]);
  return {
    approve: review.items.filter((v) => has(v, 'approve') && v.author !== me),
    publish: approved.items.filter((v) => has(v, 'publish')),
    drafts: drafts.items,
    refs: {documents: {...review.refs.documents, ...approved.refs.documents, ...drafts.refs.documents}},
  };
}

const count = (r) => r.approve.length + r.publish.length + r.drafts.length;

// How many versions wait for the signed-in person.
export const inboxCount = async (signal) => count(await inboxItems(signal));

// Fills the top-bar link with the number of versions waiting (quietly: it is a hint).
export async function refreshInboxBadge() {
  const link = document.getElementById('inbox-link');
  if (!link) return;
  try {
    const n = await inboxCount();
    link.textContent = n ? `Inbox ${n}` : 'Inbox';
    link.classList.toggle('inbox-waiting', n > 0);
    link.setAttribute('aria-label', n ? `Approval inbox: ${n} waiting` : 'Approval inbox');
  } catch { /* the page itself shows errors */ }
}

export async function inboxPage(main, route, signal) {
  const vt = typeOf('document-versions');
  if (!vt || !vt.can_read) return unknownType(main, 'document-versions');
  document.title = 'Approval inbox · isms';
  const section = sectionOf(vt.section);
  const msgs = h('div', {class: 'record-messages', tabindex: '-1'});
  const box = h('div', {class: 'inbox'}, spinner('Loading what waits for you…'));
  append(main,
    h('div', {class: 'page-head'}, h('div', null,
      h('p', {class: 'eyebrow'}, `${section.num} ${section.name} · clause ${vt.clause}`),
      pageTitle('Approval inbox'),
      h('p', {class: 'lede'}, 'Document versions waiting for you: to approve (never your own), to publish once approved, and your drafts to finish and submit.'))),
    msgs, box);
  await load();
  return null;

  async function load(message) {
    let r;
    try {
      r = await inboxItems(signal);
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      replace(box, banner(e));
      return;
    }
    if (signal.aborted) return;
    const after = async (text) => {
      await load();
      replace(msgs, banner(text, 'success'));
      msgs.focus();
    };
    replace(box,
      group('inbox-approve', 'To approve', r.approve, r.refs, after, 'Nothing waits for your approval.'),
      group('inbox-publish', 'Approved, to publish', r.publish, r.refs, after, 'No approved version waits to be published by you.'),
      group('inbox-drafts', 'Your drafts', r.drafts, r.refs, after, 'You have no drafts.'));
    if (message) replace(msgs, banner(message, 'success'));
  }
}

function group(id, title, items, refs, after, empty) {
  return h('section', {class: 'panel inbox-group', id, 'aria-labelledby': `${id}-title`},
    h('h2', {id: `${id}-title`}, title, ' ', h('span', {class: 'count-pill'}, String(items.length))),
    items.length
      ? h('div', {class: 'table-wrap'}, h('table', {class: 'grid small', 'aria-labelledby': `${id}-title`},
        h('thead', null, h('tr', null, ['Document', 'Version', 'Author', 'Last changed', 'What changed', 'Actions']
          .map((c) => h('th', {scope: 'col'}, c)))),
        h('tbody', null, items.map((v) => h('tr', {dataset: {id: v.id}},
          h('th', {scope: 'row'}, h('a', {href: `#/t/documents/${v.document}`}, refTitle(refs, 'documents', v.document))),
          h('td', {class: 'nowrap'}, h('a', {href: `#/t/document-versions/${v.id}`}, v.title)),
          h('td', null, v.author || '—'),
          h('td', {class: 'nowrap'}, timeEl(v.updated_at)),
          h('td', {class: 'doc-summary'}, v.change_summary || h('span', {class: 'none'}, '—')),
          h('td', {class: 'doc-actions'}, h('div', {class: 'row-actions'},
            actionButtons(v, after), printable(v) ? printLink(v) : null)))))))
      : h('p', {class: 'empty'}, empty));
}
