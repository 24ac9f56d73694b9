// common.js — pieces several pages share: breadcrumbs, a page's first read, and "not
// available" pages.
import {h, append, replace, cap, banner, pageTitle} from './dom.js';
import {sectionOf} from './sections.js';

// Section › Type list › record (optional) › extra (optional).
export function breadcrumbs(type, rec, extra) {
  const s = sectionOf(type.section);
  const items = [
    h('li', null, s.key === '4' ? h('a', {href: '#/context'}, `${s.num} ${s.name}`) : `${s.num ? s.num + ' ' : ''}${s.name}`),
    h('li', null, h('a', {href: `#/t/${type.plural}`}, cap(type.label_plural))),
  ];
  if (rec) items.push(h('li', null, h('a', {href: `#/t/${type.plural}/${rec.id}`}, rec.title)));
  if (extra) items.push(h('li', null, extra));
  return h('nav', {class: 'breadcrumbs', 'aria-label': 'Breadcrumb'}, h('ol', null, items));
}

// A page's first read: its answer, or null with the error shown in box (an abort goes on up
// to the router).
export async function readOrShow(box, promise) {
  try {
    return await promise;
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(box, banner(e));
    return null;
  }
}

export function forbidden(el, msg) {
  append(el, banner(msg, 'warning'));
}

export function unknownType(main, plural) {
  document.title = 'Not available · isms';
  append(main, pageTitle('Not available'),
    h('p', null, `There is no record type “${plural}”, or your role may not see it.`),
    h('p', null, h('a', {href: '#/'}, 'Go to the overview')));
  return null;
}
