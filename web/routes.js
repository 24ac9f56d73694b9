// routes.js — every page of the web app, one entry per hash address. The router (router.js)
// takes the first entry whose pattern fits: a ':name' segment is a parameter the page reads
// from route.params (':id' only whole numbers). An entry may also carry
//   nav   the navigation entry it lights up, when not its first segment ('/t/:type')
//   menu  a link of its own in the navigation: {section, label, clause, reads (types of which
//         one must be readable), count (the id of a count shown beside it)}, in table order
// A new page is one entry here.
import {h, append, pageTitle} from './dom.js';
import {passwordPage} from './pages-auth.js';
import {homePage, searchPage} from './pages-home.js';
import {listPage} from './pages-list.js';
import {recordPage} from './pages-record.js';
import {formPage} from './pages-form.js';
import {contextPage} from './pages-context.js';
import {risksPage, reportsPage} from './pages-risks.js';
import {soaPage} from './pages-soa.js';
import {methodPage} from './pages-method.js';
import {duePage} from './pages-due.js';
import {frameworkPage} from './pages-documents.js';
import {inboxPage} from './pages-inbox.js';
import {readingPage, readingDocPage, ackProgressPage, ackDetailPage} from './pages-reading.js';
import {rolesPage, raciPage} from './pages-leadership.js';
import {competencePage} from './pages-competence.js';
import {objectivesPage} from './pages-objectives.js';
import {awarenessPage, awarenessDetailPage} from './pages-awareness.js';
import {nonconformityBoardPage} from './pages-nonconformities.js';
import {auditCoveragePage, auditWorkspacePage} from './pages-audits.js';
import {measureDashboardPage} from './pages-measures.js';
import {reviewPackPage} from './pages-review.js';

export const ROUTES = [
  {pattern: '/', page: homePage},
  {pattern: '/context', page: contextPage,
    menu: {section: '4', label: 'Context at a glance', clause: '4.1–4.4'}},
  {pattern: '/search', page: searchPage},
  {pattern: '/framework', page: frameworkPage,
    menu: {section: '5', label: 'Policy framework', clause: '5.2', reads: ['documents']}},
  {pattern: '/roles', page: rolesPage},
  {pattern: '/raci', page: raciPage},
  {pattern: '/risks', page: risksPage},
  {pattern: '/method/:id', page: methodPage},
  {pattern: '/soa', page: soaPage},
  {pattern: '/objectives', page: objectivesPage},
  {pattern: '/measures/dashboard', page: measureDashboardPage},
  {pattern: '/reading', page: readingPage,
    menu: {section: '7', label: 'Policies to read', count: 'nav-reading-count'}},
  {pattern: '/reading/:id', page: readingDocPage},
  {pattern: '/competence', page: competencePage,
    menu: {section: '7', label: 'Competence matrix', clause: '7.2', reads: ['competence-requirements']}},
  {pattern: '/inbox', page: inboxPage,
    menu: {section: '7', label: 'Approval inbox', clause: '7.5.2 c', reads: ['documents']}},
  {pattern: '/acknowledgements', page: ackProgressPage},
  {pattern: '/acknowledgements/:id', page: ackDetailPage},
  {pattern: '/awareness', page: awarenessPage,
    menu: {section: '7', label: 'Awareness coverage', clause: '7.3', reads: ['awareness-completions']}},
  {pattern: '/awareness/:id', page: awarenessDetailPage},
  {pattern: '/audit-coverage', page: auditCoveragePage,
    menu: {section: '9', label: 'Audit coverage', clause: '9.2', reads: ['audits']}},
  {pattern: '/audit-workspace', page: auditWorkspacePage},
  {pattern: '/nonconformities/board', page: nonconformityBoardPage,
    menu: {section: '10', label: 'Nonconformity board', clause: '10.2', reads: ['nonconformities']}},
  // Until the server lists its views in /api/v1/meta, the one entry of Reports (nav.js).
  {pattern: '/reports', page: reportsPage,
    menu: {section: 'reports', label: 'Exports and heat maps', clause: '', reads: ['soa', 'risks', 'treatment-actions']}},
  {pattern: '/review-pack/:id', page: reviewPackPage},
  {pattern: '/due', page: duePage},
  {pattern: '/password', page: passwordPage},
  {pattern: '/t/:type', page: listPage, nav: '/t/:type'},
  {pattern: '/t/:type/new', page: formPage, nav: '/t/:type'},
  {pattern: '/t/:type/:id', page: recordPage, nav: '/t/:type'},
  {pattern: '/t/:type/:id/edit', page: formPage, nav: '/t/:type'},
];

// Any other address.
export const NOT_FOUND = {pattern: '', page: notFoundPage};

async function notFoundPage(main) {
  document.title = 'Not found · isms';
  append(main, pageTitle('Page not found'),
    h('p', null, 'There is no page at this address. It may have been mistyped, or the record type is not available to your role.'),
    h('p', null, h('a', {href: '#/'}, 'Go to the overview')));
}
