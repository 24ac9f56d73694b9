// hooks.js — what a record type adds to the generic pages (the record page, the
// navigation), in one table keyed by the type's plural. Each clause writes its hooks in its
// own page module; they are named here, and the generic pages ask hooksFor(plural) and name
// no type themselves. A type's hooks, all optional:
//   navPage            its own page, linked from the navigation instead of the generic list
//                      ('/risks'); the list stays at #/t/<plural>
//   navLabel           the navigation's name for it, where the plural label reads oddly
//   state(rec)         the status beside a record's title, for a type without a state field
//   buttons(rec)       more buttons in a record's header, after its workflow actions
//   linkedSkip         a type whose records its record page shows in its own way, left out of
//                      "Linked records"
//   decorate(body, rec, ctx)  what it adds to its record page once drawn; ctx: {signal,
//                      asOf (the moment shown, or ''), reload(message) (reads the record
//                      again, redraws the page and shows the message)}
//   afterAction(rec, name)  after a workflow action on one of its records
import {rolesHooks, raciHooks} from './pages-leadership.js';
import {riskHooks} from './pages-risks.js';
import {methodHooks} from './pages-method.js';
import {soaHooks} from './pages-soa.js';
import {documentHooks, versionHooks} from './pages-documents.js';
import {ackHooks} from './pages-reading.js';
import {objectiveHooks} from './pages-objectives.js';
import {campaignHooks} from './pages-awareness.js';
import {changeHooks} from './pages-changes.js';
import {nonconformityHooks} from './pages-nonconformities.js';
import {programmeHooks, auditHooks} from './pages-audits.js';
import {measureHooks} from './pages-measures.js';
import {reviewHooks} from './pages-review.js';

export const TYPE_HOOKS = {
  'roles': rolesHooks,
  'raci': raciHooks,
  'risks': riskHooks,
  'risk-methods': methodHooks,
  'soa': soaHooks,
  'documents': documentHooks,
  'document-versions': versionHooks,
  'acknowledgements': ackHooks,
  'objectives': objectiveHooks,
  'awareness-campaigns': campaignHooks,
  'isms-changes': changeHooks,
  'nonconformities': nonconformityHooks,
  'audit-programmes': programmeHooks,
  'audits': auditHooks,
  'measures': measureHooks,
  'management-reviews': reviewHooks,
};

const NONE = Object.freeze({});

export function hooksFor(plural) {
  return Object.hasOwn(TYPE_HOOKS, plural) ? TYPE_HOOKS[plural] : NONE;
}
