// pages-method.js — the risk method as a matrix you can click (clause 6.1.2 a–b): for a draft
// the user may edit, each cell cycles through the risk levels, labels and descriptions are
// edited in place, threshold and acceptance role are selects, and Save sends only what changed
// (If-Match). Approved methods show the same grid read-only. The approve action comes from the
// record's actions.
import {session, api, typeOf} from './api.js';
import {h, append, replace, cap, humanize, banner, spinner, pageTitle, statusChip, button, openDialog} from './dom.js';
import {sectionOf, roleName} from './sections.js';
import {unknownType} from './common.js';
import {paint, textOn} from './pages-risks.js';

const EDITABLE = ['name', 'likelihood_levels', 'impact_areas', 'consequence_levels', 'risk_levels', 'matrix',
  'acceptance_threshold', 'acceptance_role', 'reassessment_months'];
const clone = (v) => JSON.parse(JSON.stringify(v ?? null));
const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

let uid = 0;

// A risk method's record page links to its matrix (hooks.js).
export const methodHooks = {
  buttons: (rec) => [h('a', {href: `#/method/${rec.id}`, class: 'btn', id: 'open-matrix'}, rec.can_edit ? 'Edit in the matrix' : 'Show the matrix')],
};

export async function methodPage(main, route, signal) {
  const type = typeOf('risk-methods');
  if (!type || !type.can_read) return unknownType(main, 'risk-methods');
  const id = Number(route.params.id);
  const section = sectionOf(type.section);
  const crumbs = h('nav', {class: 'breadcrumbs', 'aria-label': 'Breadcrumb'}, h('ol', null,
    h('li', null, `${section.num} ${section.name}`),
    h('li', null, h('a', {href: '#/t/risk-methods'}, 'Risk methods')),
    h('li', null, h('a', {href: `#/t/risk-methods/${id}`}, `#${id}`)),
    h('li', null, 'Matrix')));
  const head = h('div', {class: 'page-head record-head'});
  const msgs = h('div', {class: 'record-messages', tabindex: '-1'});
  const body = h('div', {class: 'method-body'}, spinner());
  append(main, crumbs, head, msgs, body);
  document.title = `Risk method #${id} · isms`;

  let rec;
  try {
    rec = await api('GET', `risk-methods/${id}`, {signal});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(head, pageTitle(`Risk method #${id}`));
    replace(body, banner(e.status === 404 ? `There is no risk method with id ${id}.` : e.message, e.status === 404 ? 'warning' : 'error'));
    return null;
  }
  if (signal.aborted) return null;
  let work = {};
  let errs = {};

  function reset() {
    work = {};
    for (const k of EDITABLE) work[k] = clone(rec[k]);
    render();
  }

  const editable = () => rec.can_edit !== false && rec.status === 'draft' && type.can_write;
  const dirty = () => EDITABLE.some((k) => !same(work[k], rec[k]));
  const levelNames = () => (work.risk_levels || []).map((l) => l.name);
  const colourOf = (name) => ((work.risk_levels || []).find((l) => l.name === name) || {}).colour;
  reset();

  function errBox(field) {
    const p = h('p', {class: 'field-error', hidden: true, dataset: {errorFor: field}});
    errs[field] = p;
    return p;
  }

  function markDirty() {
    const d = dirty();
    const s = head.querySelector('#method-save');
    if (s) s.disabled = !d;
    const state = head.querySelector('.dirty-note');
    if (state) state.hidden = !d;
    for (const b of head.querySelectorAll('[data-action]')) b.disabled = d;
  }

  function render() {
    errs = {};
    const ed = editable();
    document.title = `${rec.name} · risk method · isms`;
    const actionButtons = (rec.actions || []).map((name) => {
      const a = type.actions.find((x) => x.name === name) || {name, label: humanize(name)};
      return button(a.label, () => runAction(a), 'btn-primary', {dataset: {action: name}, title: a.help || null});
    });
    replace(head,
      h('div', {class: 'title-block'},
        h('p', {class: 'eyebrow'}, `Risk method #${rec.id} · clause ${type.clause}`),
        h('div', {class: 'title-line'}, pageTitle(rec.name), statusChip(rec.status)),
        h('p', {class: 'meta-line'}, `Version ${rec.version}`,
          rec.approved_by ? ` · approved by ${rec.approved_by}${rec.approved_on ? ' on ' + rec.approved_on : ''}` : '',
          ed ? ' · draft: select a cell to change its level' : (rec.status === 'draft' ? ' · read only for your role' : ' · approved methods cannot be changed; a change is a new draft'))),
      h('div', {class: 'head-actions', role: 'group', 'aria-label': 'Actions'},
        ed ? h('span', {class: 'dirty-note warn-text', hidden: true}, 'Unsaved changes') : null,
        ed ? button('Save changes', save, 'btn-primary', {id: 'method-save', disabled: true}) : null,
        ed ? button('Discard', () => { reset(); replace(msgs); }, '', {id: 'method-discard'}) : null,
        actionButtons,
        h('a', {href: `#/t/risk-methods/${rec.id}`, class: 'btn'}, 'Record and history')));

    // Settings: name, threshold, role, interval.
    const nId = `m-name-${++uid}`;
    const tId = `m-thr-${uid}`;
    const rId = `m-role-${uid}`;
    const mId = `m-months-${uid}`;
    const settings = h('section', {class: 'panel method-settings', 'aria-labelledby': 'm-settings'},
      h('h2', {id: 'm-settings'}, 'Acceptance criteria'),
      h('div', {class: 'method-settings-grid'},
        field('name', nId, 'Name', ed
          ? h('input', {type: 'text', id: nId, value: work.name || '', oninput: (ev) => { work.name = ev.target.value; markDirty(); }})
          : h('span', null, rec.name)),
        field('acceptance_threshold', tId, 'Acceptance threshold', ed
          ? h('select', {id: tId, onchange: (ev) => { work.acceptance_threshold = ev.target.value; markDirty(); }},
            levelNames().map((n) => h('option', {value: n, selected: n === work.acceptance_threshold}, humanize(n))))
          : h('span', null, humanize(rec.acceptance_threshold)), 'The highest level acceptable without treatment.'),
        field('acceptance_role', rId, 'Accepts above the threshold', ed
          ? h('select', {id: rId, onchange: (ev) => { work.acceptance_role = ev.target.value; markDirty(); }},
            ((type.fields.find((f) => f.name === 'acceptance_role') || {}).values || session.meta.roles || [])
              .map((r) => h('option', {value: r, selected: r === work.acceptance_role}, roleName(r))))
          : h('span', null, roleName(rec.acceptance_role))),
        field('reassessment_months', mId, 'Reassess every (months)', ed
          ? h('input', {type: 'number', id: mId, min: '1', max: '36', step: '1', class: 'narrow-input', value: String(work.reassessment_months ?? ''),
            oninput: (ev) => { const n = Number(ev.target.value); work.reassessment_months = ev.target.value === '' ? null : (Number.isInteger(n) ? n : ev.target.value); markDirty(); }})
          : h('span', null, String(rec.reassessment_months)))));

    replace(body, settings, matrixPanel(ed), levelsPanel(ed), consequencePanel(ed));
    markDirty();
  }

  function field(name, id, label, control, help) {
    return h('div', {class: 'field', dataset: {field: name}},
      control.tagName === 'SPAN' ? h('span', {class: 'label'}, label) : h('label', {for: id}, label),
      help ? h('p', {class: 'help'}, help) : null, control, errBox(name));
  }

  // The matrix: likelihood on the vertical axis (highest on top), consequence across.
  function matrixPanel(ed) {
    const L = work.likelihood_levels || [];
    const C = work.consequence_levels || [];
    const names = levelNames();
    const rows = [];
    for (let li = L.length - 1; li >= 0; li--) {
      const lv = L[li];
      const lid = `m-l-${li}-${++uid}`;
      const rowHead = ed
        ? h('th', {scope: 'row', class: 'hm-row mx-edit-head'},
          h('label', {for: lid, class: 'sr-only'}, `Likelihood level ${li + 1} label`),
          h('span', {class: 'hm-n'}, String(li + 1)),
          h('input', {type: 'text', id: lid, class: 'mx-label', value: lv.label || '', dataset: {likelihood: String(li + 1)},
            oninput: (ev) => { lv.label = ev.target.value; markDirty(); }}),
          h('label', {for: `${lid}-d`, class: 'sr-only'}, `Likelihood level ${li + 1} description`),
          h('textarea', {id: `${lid}-d`, rows: '2', class: 'mx-desc', value: lv.description || '', placeholder: 'Description',
            oninput: (ev) => { lv.description = ev.target.value; markDirty(); }}))
        : h('th', {scope: 'row', class: 'hm-row'}, h('span', {class: 'hm-n'}, String(li + 1)), ' ', lv.label,
          lv.description ? h('span', {class: 'mx-desc-text'}, lv.description) : null);
      rows.push(h('tr', null, rowHead, C.map((cv, ci) => {
        const name = (work.matrix[li] || [])[ci];
        const label = `Likelihood ${lv.label}, consequence ${cv.label}: ${humanize(name || 'not set')}`;
        if (!ed) {
          const td = h('td', {class: 'hm-cell mx-cell', dataset: {l: String(li + 1), c: String(ci + 1), level: name || ''}, title: label},
            h('span', {class: 'mx-name'}, humanize(name || '—')));
          if (colourOf(name)) paint(td, colourOf(name));
          return td;
        }
        const btn = h('button', {type: 'button', class: 'mx-btn', 'aria-label': `${label}. Select to change.`,
          dataset: {l: String(li + 1), c: String(ci + 1), level: name || ''}}, humanize(name || '—'));
        const td = h('td', {class: 'hm-cell mx-cell'}, btn);
        const show = () => {
          const n = work.matrix[li][ci];
          btn.textContent = humanize(n || '—');
          btn.dataset.level = n || '';
          btn.setAttribute('aria-label', `Likelihood ${lv.label}, consequence ${cv.label}: ${humanize(n || 'not set')}. Select to change.`);
          td.style.backgroundColor = '';
          if (colourOf(n)) { paint(td, colourOf(n)); btn.style.color = textOn(colourOf(n)); }
          td.classList.toggle('mx-changed', !same(n, (rec.matrix[li] || [])[ci]));
        };
        btn.addEventListener('click', (ev) => {
          if (!Array.isArray(work.matrix[li])) work.matrix[li] = [];
          const cur = names.indexOf(work.matrix[li][ci]);
          // Shift+click goes back down the levels.
          const next = ev.shiftKey ? (cur <= 0 ? names.length - 1 : cur - 1) : (cur + 1) % names.length;
          work.matrix[li][ci] = names[next];
          show();
          markDirty();
        });
        show();
        return td;
      })));
    }
    const heads = C.map((cv, ci) => {
      const cid = `m-c-${ci}-${++uid}`;
      return ed
        ? h('th', {scope: 'col', class: 'hm-col mx-edit-head'},
          h('label', {for: cid, class: 'sr-only'}, `Consequence level ${ci + 1} label`),
          h('span', {class: 'hm-n'}, String(ci + 1)),
          h('input', {type: 'text', id: cid, class: 'mx-label', value: cv.label || '', dataset: {consequence: String(ci + 1)},
            oninput: (ev) => { cv.label = ev.target.value; markDirty(); }}))
        : h('th', {scope: 'col', class: 'hm-col'}, h('span', {class: 'hm-n'}, String(ci + 1)), ' ', cv.label);
    });
    return h('section', {class: 'panel', 'aria-labelledby': 'm-matrix'},
      h('h2', {id: 'm-matrix'}, 'Risk matrix'),
      ed ? h('p', {class: 'help'}, 'Select a cell to move it to the next risk level (Shift+select goes back). Edit the likelihood labels on the left and the consequence labels on top.') : null,
      h('div', {class: 'table-wrap mx-wrap'}, h('table', {class: ['heatmap', 'method-matrix', ed ? 'mx-editable' : null]},
        h('caption', {class: 'sr-only'}, 'Risk level for each likelihood (rows, highest on top) and consequence (columns)'),
        h('thead', null, h('tr', null, h('td', {class: 'hm-corner'}, h('span', {class: 'hm-axis'}, 'Likelihood ↑ · Consequence →')), heads)),
        h('tbody', null, rows))),
      errBox('matrix'), errBox('likelihood_levels'));
  }

  function levelsPanel(ed) {
    const thr = work.acceptance_threshold;
    return h('section', {class: 'panel', 'aria-labelledby': 'm-levels'},
      h('h2', {id: 'm-levels'}, 'Risk levels ', h('span', {class: 'muted'}, '· lowest first')),
      h('ul', {class: 'mx-levels'}, (work.risk_levels || []).map((l, i) => {
        const cid = `m-colour-${i}-${++uid}`;
        const sw = paint(h('span', {class: 'chip level-chip'}, humanize(l.name)), l.colour);
        return h('li', null, sw,
          ed ? [h('label', {for: cid, class: 'sr-only'}, `Colour of ${l.name}`),
            h('input', {type: 'color', id: cid, value: l.colour, oninput: (ev) => {
              l.colour = ev.target.value;
              paint(sw, l.colour);
              body.querySelectorAll(`.mx-btn[data-level="${CSS.escape(l.name)}"]`).forEach((b) => {
                paint(b.parentElement, l.colour);
                b.style.color = textOn(l.colour);
              });
              markDirty();
            }})] : h('span', {class: 'muted'}, l.colour),
          l.name === thr ? h('span', {class: 'muted'}, 'acceptance threshold') : null);
      })),
      errBox('risk_levels'));
  }

  function consequencePanel(ed) {
    const areas = work.impact_areas || [];
    const C = work.consequence_levels || [];
    return h('section', {class: 'panel', 'aria-labelledby': 'm-cons'},
      h('h2', {id: 'm-cons'}, 'Consequence levels by impact area'),
      h('div', {class: 'table-wrap'}, h('table', {class: 'grid small mx-cons'},
        h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Level'), areas.map((a) => h('th', {scope: 'col'}, cap(a))))),
        h('tbody', null, C.map((cv, ci) => h('tr', null,
          h('th', {scope: 'row'}, `${ci + 1} ${cv.label}`),
          areas.map((a) => {
            const tid = `m-cd-${ci}-${++uid}`;
            if (!cv.descriptions) cv.descriptions = {};
            return h('td', null, ed
              ? [h('label', {for: tid, class: 'sr-only'}, `${cv.label}, ${a}`),
                h('textarea', {id: tid, rows: '2', value: cv.descriptions[a] || '',
                  oninput: (ev) => { cv.descriptions[a] = ev.target.value; markDirty(); }})]
              : (cv.descriptions[a] || h('span', {class: 'none'}, '—')));
          })))))),
      errBox('consequence_levels'), errBox('impact_areas'));
  }

  async function save() {
    for (const p of Object.values(errs)) { p.hidden = true; p.textContent = ''; }
    replace(msgs);
    const payload = {};
    for (const k of EDITABLE) if (!same(work[k], rec[k])) payload[k] = work[k];
    if (!Object.keys(payload).length) return;
    const btn = head.querySelector('#method-save');
    if (btn) btn.disabled = true;
    body.setAttribute('aria-busy', 'true');
    try {
      rec = await api('PATCH', `risk-methods/${rec.id}`, {body: payload, version: rec.version});
      reset();
      replace(msgs, banner('Changes saved.', 'success'));
      msgs.focus();
    } catch (e) {
      if (e.status === 412) {
        replace(msgs, banner('Someone else changed this method since you opened it, so nothing was saved. Reload to see the newest version (your changes here are discarded).', 'error',
          button('Reload', async () => {
            try { rec = await api('GET', `risk-methods/${rec.id}`); reset(); replace(msgs, banner(`Reloaded: this is version ${rec.version}.`, 'info')); } catch (e2) { replace(msgs, banner(e2)); }
          }, 'btn-primary')));
        msgs.focus();
      } else if (e.field && errs[e.field]) {
        errs[e.field].textContent = cap(e.message);
        errs[e.field].hidden = false;
        errs[e.field].closest('section, .field')?.querySelector('input, select, button, textarea')?.focus();
        replace(msgs, banner(cap(e.message)));
      } else {
        replace(msgs, banner(e.status === 403 ? `Not allowed: ${e.message}.` : cap(e.message)));
        msgs.focus();
      }
      markDirty();
    } finally {
      body.removeAttribute('aria-busy');
    }
  }

  async function runAction(a) {
    let done = false;
    let stale = false;
    await openDialog({
      title: `${a.label}: ${rec.name}`,
      body: [a.help ? h('p', null, a.help) : null,
        a.to ? h('p', {class: 'muted'}, 'Status: ', statusChip(rec.status), ' → ', statusChip(a.to)) : null],
      buttons: [{label: a.label, cls: 'btn-primary', value: 'go'}, {label: 'Cancel', value: null}],
      onSubmit: async (value, dlg) => {
        try {
          rec = await api('POST', `risk-methods/${rec.id}/actions/${a.name}`, {body: {}, version: rec.version});
          done = true;
          return true;
        } catch (e) {
          if (e.status === 412) { stale = true; return true; }
          dlg.showError(e.status === 409 || e.status === 403 ? `Not possible: ${e.message}.` : cap(e.message));
          return false;
        }
      },
    });
    if (stale) {
      replace(msgs, banner('Someone else changed this method since you opened it, so nothing was done. Reload and try again.', 'error',
        button('Reload', async () => { rec = await api('GET', `risk-methods/${rec.id}`); reset(); replace(msgs); }, 'btn-primary')));
      msgs.focus();
    } else if (done) {
      reset();
      replace(msgs, banner(a.name === 'approve' ? 'Approved: this method is now in force.' : `${a.label}: done.`, 'success'));
      msgs.focus();
    }
  }

  return null;
}
