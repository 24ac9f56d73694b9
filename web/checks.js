// checks.js — the auditor's checks for clauses 5 and 7.5 (GET /api/v1/reports/policy-checks)
// as a panel: each rule met or not, with the server's reason and a link to what to look at.
import {api} from './api.js';
import {h, replace, chip, banner, spinner} from './dom.js';

export function policyChecksPanel(signal) {
  const title = h('h2', {id: 'policy-checks-title'}, 'What an auditor will look for');
  const panel = h('section', {class: 'panel checks', id: 'policy-checks', 'aria-labelledby': 'policy-checks-title'},
    title, spinner('Checking…'));
  api('GET', 'reports/policy-checks', {signal}).then((r) => {
    title.textContent = `What an auditor will look for: ${r.passed} of ${r.total} met`;
    replace(panel, title, h('ul', {class: 'check-list check-list-wide'}, r.checks.map((c) =>
      h('li', {dataset: {check: c.id}},
        c.ok ? chip('Met', 'ok') : chip('Not met', 'bad'), ' ',
        h('span', null,
          c.link ? h('a', {href: `#${c.link}`}, c.rule) : c.rule,
          h('span', {class: 'muted'}, ` (${c.clause}) — ${c.detail}`))))));
  }).catch((e) => {
    if (e.name !== 'AbortError') replace(panel, title, banner(e));
  });
  return panel;
}
