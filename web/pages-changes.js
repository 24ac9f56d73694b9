// pages-changes.js — planned changes (clause 6.3): on a change's own page, its impact trace
// from the server's impact-trace view: the scopes, processes, assets and documents it names,
// the risks on those assets and those it names (marked when they need reassessing since the
// approval), the controls treating those risks and the SoA entries of those controls. Each
// layer is a card of plain links, so it reads and tabs in order and wraps on a phone.
import {api} from './api.js';
import {h, replace, banner, spinner, chip} from './dom.js';

// [key, heading, plural, words before what it is reached through, the layer that is]
const LAYERS = [
  ['scopes', 'Scopes', 'scopes'],
  ['processes', 'Processes', 'processes'],
  ['assets', 'Assets', 'assets'],
  ['risks', 'Risks', 'risks', 'on', 'assets'],
  ['controls', 'Controls', 'controls', 'treating', 'risks'],
  ['soa', 'SoA entries', 'soa', 'through', 'controls'],
  ['documents', 'Documents', 'documents'],
];

function item(plural, it, via, from) {
  const notes = [];
  if (it.named) notes.push(chip('named by the change', 'neutral'));
  if (via && it.through?.length) {
    const names = it.through.map((id) => (from.find((x) => x.id === id)?.title) || `#${id}`);
    notes.push(h('span', {class: 'muted'}, ` ${via} ${names.join('; ')}`));
  }
  if (it.reassess) {
    notes.push(' ', chip('reassess', 'warn'),
      h('span', {class: 'muted'}, ` last assessed ${it.last_assessed || 'never'}`));
  }
  return h('li', {dataset: {id: String(it.id)}},
    h('a', {href: `#/t/${plural}/${it.id}`}, it.title || `#${it.id}`), ' ', ...notes);
}

function layer([key, label, plural, via, fromKey], trace) {
  const items = trace[key] || [];
  const id = `trace-${key}`;
  return h('section', {class: 'card', 'aria-labelledby': id, dataset: {layer: key}},
    h('h3', {id}, `${label} (${items.length})`),
    items.length ? h('ul', null, ...items.map((it) => item(plural, it, via, trace[fromKey] || [])))
      : h('p', {class: 'muted'}, 'None.'));
}

export function traceView(trace) {
  const due = trace.risks.filter((r) => r.reassess).length;
  return [
    h('p', {class: 'muted'}, due
      ? `${due} risk${due === 1 ? '' : 's'} not reassessed since the change was approved.`
      : 'What the change reaches, one and two steps out from what it names.'),
    h('div', {class: 'cards'}, ...LAYERS.map((l) => layer(l, trace))),
  ];
}

async function decorateChange(container, rec, {signal, asOf}) {
  if (asOf) return;
  const box = h('section', {class: 'panel impact-trace', 'aria-labelledby': 'impact-trace-h'},
    h('h2', {id: 'impact-trace-h'}, 'Impact trace'), spinner());
  const details = container.querySelector('section.panel');
  if (details) details.after(box);
  else container.appendChild(box);
  try {
    const trace = await api('GET', 'reports/impact-trace', {params: {change: rec.id}, signal});
    replace(box, box.firstChild, ...traceView(trace));
  } catch (e) {
    if (e.name === 'AbortError') return;
    replace(box, box.firstChild, banner(e));
  }
}

export const changeHooks = {decorate: decorateChange, navLabel: 'Planned changes'};
