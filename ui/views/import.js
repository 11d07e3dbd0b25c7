// Import and export. The file is read here (an <input type=file>, no file-system
// permission for the window) and sent as base64; the core reads it, maps the columns and
// checks every row, and answers with a preview. The clerk corrects the mapping and the
// duplicates (each change previews again), then commits in batches: a progress bar, and a
// Stop that only ever stops between whole batches.
import * as api from '../api.js';
import * as session from '../session.js';
import { t } from '../i18n.js';
import { h, clear, option, append } from '../dom.js';
import { errorText } from '../lib/errors.js';

const BATCH = 500;
const ENCODINGS = ['', 'utf-8', 'windows-1251', 'utf-16le', 'utf-16be', 'koi8-r', 'ibm866'];


function fieldLabel(field) {
  if (!field) return '';
  const key = `fields.${field.replace('.', '_')}`;
  const label = t(key);
  return label === key ? field : label;
}

export function importView(root, _params, ctx) {
  let alive = true;
  let file = null; // {name, data}
  let preview = null;
  let choices = {}; // field → column number (1-based) or '' for none
  let decisions = {}; // row → skip | update | add
  let cancelled = false;
  let busy = false;

  const canImport = session.canWrite();
  const fileInput = h('input', {
    type: 'file', id: 'import-file', testid: 'import-file',
    accept: '.xlsx,.xls,.ods,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv',
  });
  // The browser's own file button speaks its own language ("Choose File"): ours is a
  // translated button over it, with the chosen file's name beside it.
  const fileName = h('span', { class: 'muted file-name', testid: 'import-file-name', 'data-i18n': 'import.no_file' }, t('import.no_file'));
  const filePicker = h('span', { class: 'file-picker' },
    h('label', { class: 'btn attach-label', for: 'import-file' }, h('span', { 'data-i18n': 'import.pick_file' }, t('import.pick_file')), fileInput),
    fileName);
  const encoding = h('select', { id: 'import-encoding', testid: 'import-encoding' });
  const strict = h('input', { type: 'checkbox', id: 'import-strict', testid: 'import-strict' });
  // What to do with rows whose PINFL or passport is already in the roster (each row of the
  // duplicates table can still be decided on its own).
  const onDuplicate = h('select', { id: 'import-on-duplicate', testid: 'import-on-duplicate' },
    option('skip', t('import.report_action_skip'), true), option('update', t('import.report_action_update'), false));
  const status = h('p', { class: 'notice is-error', role: 'alert', testid: 'import-error', hidden: true });
  const previewBox = h('div', { class: 'import-preview', testid: 'import-preview', hidden: true });
  const progress = h('progress', { testid: 'import-progress', max: 1, value: 0, hidden: true });
  const result = h('p', { class: 'notice', role: 'status', testid: 'import-result', hidden: true });
  const commitBtn = h('button', { type: 'button', class: 'btn btn-primary', testid: 'import-commit', 'data-i18n': 'import.commit' }, t('import.commit'));
  const cancelBtn = h('button', { type: 'button', class: 'btn', testid: 'import-cancel', hidden: true, 'data-i18n': 'import.cancel' }, t('import.cancel'));
  const reportBtn = h('button', { type: 'button', class: 'btn', testid: 'import-save-report', 'data-i18n': 'import.save_report' }, t('import.save_report'));

  const exportButtons = h('div', { class: 'toolbar' },
    h('button', { type: 'button', class: 'btn', testid: 'import-template', 'data-i18n': 'import.template', on: { click: () => saved(api.importTemplate()) } }, t('import.template')));

  const chooser = h('div', { class: 'card', hidden: !canImport },
    h('div', { class: 'field-grid' },
      h('div', { class: 'field' }, h('span', { class: 'field-label', 'data-i18n': 'import.choose_file' }, t('import.choose_file')), filePicker),
      h('div', { class: 'field' }, h('label', { for: 'import-encoding', 'data-i18n': 'import.encoding' }, t('import.encoding')), encoding),
      h('div', { class: 'field' }, h('label', { for: 'import-on-duplicate', 'data-i18n': 'import.duplicates' }, t('import.duplicates')), onDuplicate),
      h('label', { class: 'check', for: 'import-strict' }, strict, h('span', { 'data-i18n': 'import.strict' }, t('import.strict')))));

  root.append(h('section', { class: 'page import-screen', testid: 'import-screen' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title', 'data-i18n': 'import.title' }, t('import.title'))),
    exportButtons, chooser, status, previewBox,
    h('div', { class: 'toolbar', hidden: !canImport }, progress, cancelBtn), result));

  for (const e of ENCODINGS) encoding.append(option(e, e || t('import.encoding_auto'), false));

  fileInput.addEventListener('change', () => {
    const f = fileInput.files && fileInput.files[0];
    if (!f) return;
    const reader = new FileReader();
    reader.onload = () => {
      file = { name: f.name, data: String(reader.result).replace(/^data:[^,]*,/, '') };
      fileName.removeAttribute('data-i18n');
      fileName.textContent = f.name;
      fileName.classList.remove('muted');
      choices = {};
      decisions = {};
      result.hidden = true;
      runPreview();
    };
    reader.onerror = () => showError(t('errors.import_unreadable', { detail: f.name }));
    reader.readAsDataURL(f);
  });
  encoding.addEventListener('change', () => { if (file) runPreview(); });
  strict.addEventListener('change', () => { if (file) runPreview(); });
  onDuplicate.addEventListener('change', () => { decisions = {}; if (file) runPreview(); });
  commitBtn.addEventListener('click', commit);
  cancelBtn.addEventListener('click', () => { cancelled = true; cancelBtn.disabled = true; });
  reportBtn.addEventListener('click', () => { if (preview) saved(api.importReport(preview.token)); });

  function showError(message) {
    status.textContent = message;
    status.hidden = !message;
  }

  async function saved(promise) {
    try {
      const done = await promise;
      ctx.toast(t('import.saved_to', { path: done.path }), 'success');
    } catch (err) {
      ctx.toast(errorText(err), 'error');
    }
  }

  function options() {
    const o = { strict: strict.checked, on_duplicate: onDuplicate.value, decisions: {} };
    if (encoding.value) o.encoding = encoding.value;
    if (Object.keys(choices).length) o.mapping = { ...choices };
    for (const [row, action] of Object.entries(decisions)) o.decisions[row] = action;
    return o;
  }

  async function runPreview() {
    if (!file || busy) return;
    showError('');
    previewBox.setAttribute('aria-busy', 'true');
    try {
      const p = await api.importPreview(file.name, file.data, options());
      if (!alive) return;
      preview = p;
      render();
    } catch (err) {
      if (!alive) return;
      preview = null;
      previewBox.hidden = true;
      showError(errorText(err));
    } finally {
      previewBox.removeAttribute('aria-busy');
    }
  }

  function render() {
    clear(previewBox);
    previewBox.hidden = false;
    const p = preview;
    const r = p.report;
    const src = [p.source.format.toUpperCase(), p.source.sheet, p.source.encoding, p.source.delimiter && `“${p.source.delimiter === '\t' ? 'TAB' : p.source.delimiter}”`]
      .filter(Boolean).join(' · ');

    // The first rows as read, so a wrong encoding shows before anything is written.
    // Headed as a spreadsheet is: column letters over the columns, line numbers beside them.
    const width = Math.max(0, ...p.sample.map((row) => row.length));
    const letter = (i) => (i >= 26 ? letter(Math.floor(i / 26) - 1) : '') + String.fromCharCode(65 + (i % 26));
    const sample = h('table', { class: 'data-table import-sample', testid: 'import-sample' },
      h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'num' }, t('import.row')),
        Array.from({ length: width }, (_, i) => h('th', { scope: 'col' }, letter(i))))),
      h('tbody', null, p.sample.map((row, i) => h('tr', null, h('th', { scope: 'row', class: 'num muted' }, String(i + 1)), row.map((v) => h('td', null, v))))));

    const mapBody = h('tbody');
    for (const c of p.columns) {
      const sel = h('select', { testid: `map-${c.index}`, 'data-header': c.header, 'aria-label': c.header });
      sel.append(option('', t('import.ignore'), !c.field));
      for (const f of p.fields) sel.append(option(f, fieldLabel(f), c.field === f));
      sel.addEventListener('change', () => mappingChanged());
      // The letter ties the row to the sample above; a column the import leaves out says so
      // in words, not only by an empty choice.
      const ignored = !c.field && c.header;
      mapBody.append(h('tr', { class: ignored ? 'is-unmapped' : null, testid: `map-row-${c.index}` },
        h('td', null, h('span', { class: 'muted' }, `${letter(c.index)} `), c.header || `#${c.index + 1}`,
          ignored ? h('span', { class: 'badge badge-unmapped', 'data-i18n': 'import_columns.not_imported' }, t('import_columns.not_imported')) : null),
        h('td', null, sel)));
    }
    const mapping = h('table', { class: 'data-table import-mapping', testid: 'import-mapping' },
      h('thead', null, h('tr', null, h('th', null, t('import.column')), h('th', null, t('import.field')))), mapBody);

    const counts = h('ul', { class: 'import-counts', testid: 'import-counts' },
      h('li', { testid: 'count-rows' }, t('import.rows', { count: p.data_rows })),
      h('li', { testid: 'count-added' }, t('import.added', { count: r.added })),
      h('li', { testid: 'count-updated' }, t('import.updated', { count: r.updated })),
      h('li', { testid: 'count-skipped' }, t('import.skipped', { count: r.skipped })),
      h('li', { testid: 'count-refused' }, t('import.refused', { count: p.refused_rows })));

    const refused = h('table', { class: 'data-table import-refused', testid: 'import-refused' },
      h('thead', null, h('tr', null, h('th', null, t('import.row')), h('th', null, t('import.field')), h('th', null, t('import.report_message')))),
      h('tbody', null, r.refused.map((x) => h('tr', { 'data-row': x.row, 'data-code': x.code },
        h('td', { class: 'num' }, String(x.row)), h('td', null, fieldLabel(x.field)), h('td', null, x.message)))));

    const warnings = h('ul', { class: 'import-warnings', testid: 'import-warnings' },
      r.warnings.map((w) => h('li', { 'data-code': w.code }, w.row ? `${t('import.row')} ${w.row}: ${w.message}` : w.message)));

    const dupBody = h('tbody');
    for (const d of r.duplicates) {
      const choices2 = d.kind === 'database' ? ['skip', 'update'] : d.kind === 'name_birth' ? ['add', 'skip'] : ['skip'];
      const sel = h('select', { testid: `dup-${d.row}`, disabled: choices2.length < 2 });
      for (const c of choices2) sel.append(option(c, t(`import.report_action_${c}`), d.action === c));
      sel.addEventListener('change', () => { decisions[d.row] = sel.value; runPreview(); });
      const who = d.existing_id ? `#${d.existing_id}` : t('import.same_as_row', { row: d.first_row });
      dupBody.append(h('tr', { 'data-row': d.row }, h('td', { class: 'num' }, String(d.row)), h('td', null, d.name),
        h('td', null, fieldLabel(d.field)), h('td', null, who), h('td', null, sel)));
    }
    const dups = h('table', { class: 'data-table import-duplicates', testid: 'import-duplicates' },
      h('thead', null, h('tr', null, h('th', null, t('import.row')), h('th', null, t('fields.full_name')), h('th', null, t('import.field')),
        h('th', null, t('import.existing')), h('th', null, t('import.action')))), dupBody);

    // The report lists at most a hundred of each code; the counts are exact. Say what each
    // list leaves out (the saved report has every row).
    const notes = [];
    for (const [list, key] of [['refused', 'code'], ['warnings', 'code'], ['duplicates', 'kind']]) {
      for (const [code, count] of Object.entries((r.counts && r.counts[list]) || {})) {
        const shown = r[list].filter((x) => x[key] === code).length;
        if (count > shown) notes.push(t('import.left_out', { count: count - shown, code, max: shown }));
      }
    }
    const leftOut = notes.length
      ? h('ul', { class: 'import-left-out muted', testid: 'import-left-out' },
        notes.map((n) => h('li', null, n)), h('li', null, t('import.left_out_hint')))
      : null;

    commitBtn.disabled = !p.writes || (p.report.refused.length > 0 && strict.checked);
    append(previewBox, [
      h('p', { class: 'muted', testid: 'import-source' }, src),
      h('h2', { class: 'card-title' }, t('import.file_rows')), h('div', { class: 'table-wrap' }, sample),
      h('h2', { class: 'card-title' }, t('import.mapping')), h('div', { class: 'table-wrap' }, mapping),
      counts,
      r.warnings.length ? [h('h2', { class: 'card-title' }, t('import.warnings')), warnings] : null,
      r.refused.length ? h('div', { class: 'table-wrap' }, refused) : null,
      r.duplicates.length ? [h('h2', { class: 'card-title' }, t('import.duplicates')), h('div', { class: 'table-wrap' }, dups)] : null,
      leftOut,
      h('div', { class: 'toolbar' }, commitBtn, reportBtn)]);
  }

  function mappingChanged() {
    // The whole mapping as shown: every field → the column chosen for it (by number), or
    // none; the core applies exactly this.
    choices = {};
    for (const f of preview.fields) choices[f] = '';
    for (const sel of previewBox.querySelectorAll('select[data-testid^="map-"]')) {
      const index = Number(sel.dataset.testid.slice(4));
      if (sel.value && choices[sel.value] === '') choices[sel.value] = String(index + 1);
    }
    runPreview();
  }

  async function commit() {
    if (!preview || busy) return;
    busy = true;
    cancelled = false;
    commitBtn.disabled = true;
    cancelBtn.hidden = false;
    cancelBtn.disabled = false;
    progress.hidden = false;
    progress.max = Math.max(1, preview.writes);
    progress.value = 0;
    result.hidden = true;
    let last = { added: 0, updated: 0, finished: false };
    try {
      while (!last.finished && !cancelled && alive) {
        last = await api.importCommit(preview.token, BATCH);
        progress.value = last.done;
        progress.textContent = t('import.progress', { done: last.done, total: last.total });
      }
      // Finished (or stopped): the preview's future tense and its button go; what was done
      // stays, with the way to the next file.
      clear(result);
      result.append(
        h('strong', { class: 'result-title' }, t(last.finished ? 'import.finished_title' : 'import.stopped_title')), ' ',
        t(last.finished ? 'import.done' : 'import.cancelled', { added: last.added, updated: last.updated }), ' ',
        h('button', { type: 'button', class: 'btn btn-small', testid: 'import-again', on: { click: () => fileInput.click() } }, t('import.another_file')));
      result.className = `notice ${last.finished ? 'is-ok' : 'is-warning'}`;
      result.hidden = false;
      clear(previewBox);
      previewBox.hidden = true;
      preview = null;
      file = null;
      progress.hidden = true;
      fileInput.value = '';
      fileName.textContent = t('import.no_file');
      fileName.setAttribute('data-i18n', 'import.no_file');
      fileName.classList.add('muted');
    } catch (err) {
      showError(errorText(err));
    } finally {
      busy = false;
      cancelBtn.hidden = true;
    }
  }

  return {
    unmount() { alive = false; cancelled = true; },
    // Static labels follow through their data-i18n keys; the preview's messages come from
    // the core in the new language.
    onLanguage() { if (file && !busy) runPreview(); },
  };
}
