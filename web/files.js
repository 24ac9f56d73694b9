// files.js — the "Evidence files" panel of a record page: the record's attachments with a
// download link each, an upload control, and delete where the user may change the record.
// Downloads are links to /api/v1/attachments/ID/content, which the server always sends as an
// attachment.
import {api, typeOf} from './api.js';
import {h, replace, banner, spinner, timeEl, button, openDialog, cap} from './dom.js';

function fmtSize(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

// type and rec: the record shown. Returns the panel, or null where files do not belong.
export function filesSection(type, rec, signal) {
  const files = typeOf('attachments');
  if (!type.takes_files || !files || !files.can_read) return null;
  // New files and deletions follow the record: not on approved (frozen) versions.
  const canChange = type.can_write && rec.can_edit !== false;
  const title = h('h2', {id: 'files-title'}, 'Evidence files');
  const msgs = h('div', {class: 'files-messages'});
  const box = h('section', {class: 'files panel', 'aria-labelledby': 'files-title'}, title, spinner());
  load();

  async function load(message) {
    let r;
    try {
      r = await api('GET', `${type.plural}/${rec.id}/attachments`, {signal});
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(box, title, banner(e));
      return;
    }
    replace(title, 'Evidence files ', h('span', {class: 'muted'}, `· ${r.total}`));
    replace(msgs, message ? banner(message, 'success') : null);
    replace(box, title, msgs,
      r.items.length ? table(r.items) : h('p', {class: 'muted empty-files'}, 'No files attached yet.'),
      canChange ? uploadForm() : null);
  }

  function table(items) {
    return h('div', {class: 'table-wrap'}, h('table', {class: 'grid small files-table'},
      h('thead', null, h('tr', null, ['File', 'Size', 'Type', 'Uploaded by', 'Uploaded'].map((c) => h('th', {scope: 'col'}, c)),
        canChange ? h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Actions')) : null)),
      h('tbody', null, items.map((a) => h('tr', {dataset: {attachment: a.id}},
        h('th', {scope: 'row'},
          h('a', {href: `/api/v1/attachments/${a.id}/content`, download: a.filename, class: 'file-link'}, a.filename),
          a.description ? h('div', {class: 'muted'}, a.description) : null,
          h('div', null, h('a', {href: `#/t/attachments/${a.id}`, class: 'muted'}, 'details'))),
        h('td', null, fmtSize(a.size)),
        h('td', null, a.sniffed_type),
        h('td', null, a.uploaded_by),
        h('td', null, timeEl(a.uploaded_at)),
        canChange ? h('td', null, button('Delete', () => confirmDelete(a), 'btn-small btn-danger')) : null)))));
  }

  function uploadForm() {
    const input = h('input', {type: 'file', id: 'file-input', name: 'file', required: true});
    const desc = h('input', {type: 'text', id: 'file-description', maxlength: '1000'});
    const err = h('div', {class: 'file-error'});
    const submit = h('button', {type: 'submit', class: 'btn btn-primary'}, 'Upload');
    const form = h('form', {class: 'file-upload', novalidate: true},
      h('div', {class: 'file-field'}, h('label', {for: 'file-input'}, 'Add a file'), input),
      h('div', {class: 'file-field'}, h('label', {for: 'file-description'}, 'Description (optional)'), desc),
      submit, err);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const file = input.files[0];
      if (!file) { replace(err, banner('Choose a file first.')); return; }
      submit.disabled = true;
      form.setAttribute('aria-busy', 'true');
      try {
        await api('POST', `${type.plural}/${rec.id}/attachments`,
          {file, params: desc.value.trim() ? {description: desc.value.trim()} : undefined});
      } catch (e) {
        replace(err, banner(e.status === 413 ? `${cap(e.message)}.` : e));
        submit.disabled = false;
        form.removeAttribute('aria-busy');
        return;
      }
      await load(`“${file.name}” uploaded.`);
    });
    return form;
  }

  async function confirmDelete(a) {
    const r = await openDialog({
      title: `Delete the file “${a.filename}”?`,
      body: [h('p', null, 'The file is removed from this record. The change log keeps its name and hash.')],
      buttons: [{label: 'Delete file', cls: 'btn-danger', value: 'delete'}, {label: 'Cancel', value: null, autofocus: true}],
      onSubmit: async (value, dlg) => {
        try {
          await api('DELETE', `attachments/${a.id}`);
          return true;
        } catch (e) {
          dlg.showError(e.status === 409 ? `It cannot be deleted: ${e.message}.` : cap(e.message));
          return false;
        }
      },
    });
    if (r === 'delete') await load(`“${a.filename}” deleted.`);
  }

  return box;
}
