// pages-home.js — the overview (counts per record type, recent changes) and search across
// all record types.
import {session, api, titleOf} from './api.js';
import {h, append, replace, cap, humanize, spinner, banner, pageTitle, fmtAgo, timeEl, statusChip} from './dom.js';
import {visibleSections, roleName} from './sections.js';
import {hashFor} from './router.js';
import {inboxCount} from './pages-inbox.js';

export async function homePage(main, route, signal) {
  document.title = 'Overview · isms';
  const u = session.user;
  const sections = visibleSections();
  const registers = h('div', {class: 'cards'});
  const recent = h('div', {class: 'panel recent'}, h('h2', null, 'Recent changes'), spinner());
  const todo = h('section', {class: 'panel home-todo', id: 'home-todo', 'aria-labelledby': 'home-todo-title'},
    h('h2', {id: 'home-todo-title'}, 'Waiting for you'), spinner());
  append(main,
    h('div', {class: 'page-head'}, h('div', null,
      pageTitle('Overview'),
      h('p', {class: 'lede'}, `Signed in as ${u.name || u.username} (${roleName(u.role)}).`))),
    todo,
    h('div', {class: 'home-grid'}, registers, recent));
  waiting(todo, signal);

  // The count of every register (?limit=1 gives the total) and the change log, newest first.
  const counts = new Map();
  for (const s of sections) {
    const rows = s.types.map((t) => {
      const count = h('span', {class: 'count', 'aria-label': 'loading'}, '…');
      counts.set(t.plural, count);
      return h('li', null, h('a', {href: `#/t/${t.plural}`}, cap(t.label_plural)),
        h('span', {class: 'clause'}, t.clause), count);
    });
    const extra = s.key === '4'
      ? h('p', {class: 'card-foot'}, h('a', {href: '#/context'}, 'Clause 4 at a glance: issues, parties, scope →'))
      : null;
    registers.appendChild(h('section', {class: 'card', 'aria-labelledby': `home-${s.key}`},
      h('h2', {id: `home-${s.key}`}, s.num ? h('span', {class: 'num'}, s.num) : null, s.name),
      h('ul', {class: 'type-counts'}, rows), extra));
  }
  const types = sections.flatMap((s) => s.types);
  const [results, log] = await Promise.all([
    Promise.all(types.map((t) => api('GET', t.plural, {params: {limit: 1}, signal})
      .then((r) => ({t, r}), (e) => ({t, e})))),
    api('GET', 'changes', {params: {limit: 15}, signal}).then((r) => ({r}), (e) => ({e})),
  ]);
  if (signal.aborted) return;
  let failed = null;
  for (const {t, r, e} of results) {
    const c = counts.get(t.plural);
    if (e) {
      failed = failed || e;
      c.textContent = '–';
      c.setAttribute('aria-label', 'not available');
      continue;
    }
    c.textContent = String(r.total);
    c.setAttribute('aria-label', `${r.total} ${r.total === 1 ? t.label : t.label_plural}`);
    if (r.total === 0) c.classList.add('zero');
  }
  if (failed) registers.prepend(banner(failed));
  if (log.e) {
    replace(recent, h('h2', null, 'Recent changes'), banner(log.e));
    return;
  }
  const items = log.r.items;
  replace(recent, h('h2', null, 'Recent changes'),
    items.length
      ? h('ol', {class: 'recent-list'}, items.map((c) => {
        const t = session.byPlural.get(c.type);
        const what = c.op === 'create' ? 'created' : c.op === 'update' ? 'changed' : c.op === 'delete' ? 'deleted' : humanize(c.op).toLowerCase();
        const title = c.title || `${t ? t.label : c.type} #${c.id}`;
        return h('li', null,
          c.op === 'delete' || !t ? h('span', {class: 'gone'}, title) : h('a', {href: `#/t/${c.type}/${c.id}`}, title),
          ' ', h('span', {class: 'muted'}, t ? t.label : c.type),
          h('span', {class: 'when'}, `${what} by ${c.actor} · `, h('time', {datetime: c.at, title: c.at}, fmtAgo(c.at))));
      }))
      : h('p', {class: 'empty'}, 'Nothing recorded yet. Start with the context of the organization: ',
        h('a', {href: '#/context'}, 'clause 4'), '.'));
}

// What the signed-in person should do next: policies to read, versions to approve or
// publish, and what of theirs is due within two weeks. Each part is left out when it does
// not apply (no person behind the account, no document access).
async function waiting(box, signal) {
  const quiet = (p) => p.catch((e) => (e.name === 'AbortError' ? Promise.reject(e) : null));
  const docs = session.byPlural.get('document-versions')?.can_read;
  let reading; let inbox; let due;
  try {
    [reading, inbox, due] = await Promise.all([
      quiet(api('GET', 'reading', {params: {pending: 'true'}, signal})),
      docs ? quiet(inboxCount(signal)) : null,
      quiet(api('GET', 'due', {params: {mine: 'true', days: 14}, signal})),
    ]);
  } catch {
    return; /* the page was left */
  }
  const items = [];
  if (reading?.pending)
    items.push(h('li', {dataset: {todo: 'reading'}}, h('a', {href: '#/reading'},
      `${reading.pending} ${reading.pending === 1 ? 'policy' : 'policies'} to read and acknowledge`)));
  if (inbox)
    items.push(h('li', {dataset: {todo: 'inbox'}}, h('a', {href: '#/inbox'},
      `${inbox} document ${inbox === 1 ? 'version waits' : 'versions wait'} for you to approve, publish or finish`)));
  if (due?.total)
    items.push(h('li', {dataset: {todo: 'due'}}, h('a', {href: hashFor('/due', {mine: 'true', days: '30'})},
      `${due.total} of your reviews and actions ${due.total === 1 ? 'is' : 'are'} due within two weeks`,
      due.overdue ? ` (${due.overdue} overdue)` : '')));
  replace(box, h('h2', {id: 'home-todo-title'}, 'Waiting for you'),
    items.length ? h('ul', {class: 'todo-list'}, items) : h('p', {class: 'empty'}, 'Nothing waits for you right now.'));
}

export async function searchPage(main, route, signal) {
  const q = (route.query.get('q') || '').trim();
  document.title = (q ? `“${q}”` : 'Search') + ' · isms';
  const input = h('input', {type: 'search', id: 'search-q', value: q, autocomplete: 'off'});
  const form = h('form', {class: 'toolbar', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    location.hash = hashFor('/search', {q: input.value.trim()});
  }}, h('label', {for: 'search-q', class: 'sr-only'}, 'Search all records'), input,
  h('button', {type: 'submit', class: 'btn'}, 'Search'));
  const out = h('div', {class: 'search-results', 'aria-live': 'polite'});
  append(main, pageTitle(q ? `Search: “${q}”` : 'Search'), form, out);
  if (!q) { out.appendChild(h('p', {class: 'empty'}, 'Type a word to find records of every kind.')); return; }
  out.appendChild(spinner('Searching…'));
  const types = session.types.filter((t) => t.can_read);
  const results = await Promise.all(types.map((t) =>
    api('GET', t.plural, {params: {q, limit: 5}, signal}).then((r) => ({t, r}), (e) => ({t, e}))));
  if (signal.aborted) return;
  const found = results.filter((x) => x.r && x.r.total > 0);
  const total = found.reduce((n, x) => n + x.r.total, 0);
  replace(out,
    h('p', {class: 'muted'}, total ? `${total} ${total === 1 ? 'record' : 'records'} found.` : 'Nothing found.'),
    results.filter((x) => x.e).slice(0, 1).map((x) => banner(x.e)),
    found.map(({t, r}) => h('section', {class: 'panel'},
      h('h2', null, cap(t.label_plural), ' ', h('span', {class: 'clause'}, t.clause)),
      h('ul', {class: 'plain-list'}, r.items.map((rec) => h('li', null,
        h('a', {href: `#/t/${t.plural}/${rec.id}`}, titleOf(t, rec)),
        t.state_field && rec[t.state_field] ? [' ', statusChip(rec[t.state_field])] : null,
        h('span', {class: 'muted'}, ' · updated ', timeEl(rec.updated_at))))),
      r.total > r.items.length
        ? h('p', null, h('a', {href: hashFor(`/t/${t.plural}`, {q})}, `All ${r.total} ${t.label_plural} matching “${q}” →`))
        : null)));
}
