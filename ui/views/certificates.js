// The certificate register: search by number or name, filter by status, the table; a
// certificate opens beside it with its print preview (the core's SVG as a data URL),
// Print (admin, staff) and Revoke with a reason (admin).
import * as api from '../api.js';
import * as reference from '../reference.js';
import * as session from '../session.js';
import { t } from '../i18n.js';
import { h, clear, option, debounce } from '../dom.js';
import { dash, dateTime, formatDate } from './format.js';
import { errorText } from '../lib/errors.js';
import { loadTable } from '../lib/tables.js';
import { certStatusBadge, certificateCourse, svgDataUrl, printPanel } from './training.js';

const state = { search: '', status: '', sort: 'issued_on', desc: true };
/** The columns the register sorts by, and the value each compares. */
const SORTS = {
  number: (c) => c.number || '',
  worker: (c) => c.worker_name || '',
  issued_on: (c) => `${c.issued_on || ''} ${c.number || ''}`,
  valid_until: (c) => `${c.valid_until || ''} ${c.number || ''}`,
  status: (c) => `${c.status || ''} ${c.number || ''}`,
};

/** Forget the search (on "Lock"). */
export function resetCertificatesState() {
  state.search = '';
  state.status = '';
}

export function certificatesView(root, params, ctx) {
  let alive = true;
  let seq = 0;
  let list = [];
  let selected = null;      // the number shown in the panel
  let detailSeq = 0;
  const isAlive = () => alive;
  const write = session.canWrite();
  const admin = session.isAdmin();
  if (params.q != null) { state.search = params.q; state.status = ''; }

  const search = h('input', {
    type: 'search', class: 'search-input', testid: 'cert-search', id: 'cert-search', autocomplete: 'off', spellcheck: 'false',
    value: state.search, 'data-i18n-placeholder': 'certs.search_placeholder', placeholder: t('certs.search_placeholder'),
    'data-i18n-aria-label': 'certs.search_placeholder', 'aria-label': t('certs.search_placeholder'),
  });
  const statusSel = h('select', { class: 'filter', testid: 'cert-status-filter', 'aria-label': t('fields.status') });
  const count = h('span', { class: 'roster-count', testid: 'certs-count', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const heads = [['certs.col_number', 'col-number', 'number'], ['certs.col_worker', 'col-worker', 'worker'], ['fields.course_id', 'col-course'],
    ['certs.col_issued', 'col-date', 'issued_on'], ['certs.col_valid_until', 'col-date', 'valid_until'], ['fields.status', 'col-status', 'status'], ['certs.col_links', 'col-links']];
  // Sortable heads (newest issued first by default): a click sorts, a second reverses.
  const headRow = h('tr');
  function renderHead() {
    clear(headRow);
    for (const [k, cls, key] of heads) {
      if (!key) { headRow.append(h('th', { scope: 'col', class: cls, 'data-i18n': k }, t(k))); continue; }
      const on = state.sort === key;
      headRow.append(h('th', { scope: 'col', class: cls, 'aria-sort': on ? (state.desc ? 'descending' : 'ascending') : 'none' },
        h('button', {
          type: 'button', class: 'sort', testid: `cert-sort-${key}`,
          on: { click: () => { state.desc = on ? !state.desc : key === 'issued_on' || key === 'valid_until'; state.sort = key; renderHead(); renderRows(); } },
        }, h('span', { 'data-i18n': k }, t(k)), h('span', { class: 'sort-arrow', 'aria-hidden': 'true' }, on ? (state.desc ? '▼' : '▲') : '↕'))));
    }
  }
  renderHead();
  const table = h('table', { class: 'data-table certs-table', testid: 'certs-table' }, h('thead', null, headRow), tbody);
  const empty = h('div', { class: 'roster-empty', testid: 'certs-empty', role: 'status', hidden: true });
  const failure = h('p', { class: 'notice is-error', role: 'alert', testid: 'certs-error', hidden: true });
  const panel = h('aside', { class: 'card cert-panel', testid: 'cert-panel', hidden: true });
  const printer = write ? printPanel({ ctx, isAlive, testid: 'cert-print' }) : null;

  // Export what the register shows (the same search and status) into the exports folder.
  const exportClicked = async (format) => {
    try {
      const done = await api.exportCertificates({ search: state.search || undefined, status: state.status || undefined, format });
      ctx.toast(t('import.saved_to', { path: done.path }), 'success');
    } catch (err) {
      ctx.toast(errorText(err), 'error');
    }
  };
  const exportButton = (format, key) => h('button', {
    type: 'button', class: 'btn btn-small', testid: `certs-export-${format}`, 'data-i18n': key, on: { click: () => exportClicked(format) },
  }, t(key));

  root.append(h('section', { class: 'page certs-screen', testid: 'certs-screen' },
    h('div', { class: 'page-head' },
      h('h1', { class: 'page-title', 'data-i18n': 'certs.title' }, t('certs.title')), count),
    h('div', { class: 'toolbar', role: 'search' }, h('div', { class: 'search-wrap' }, search), statusSel,
      write ? exportButton('xlsx', 'import.export_xlsx') : null, write ? exportButton('csv', 'import.export_csv') : null),
    failure,
    h('div', { class: 'certs-layout', testid: 'certs-layout' },
      h('div', { class: 'table-wrap' }, table, empty),
      panel)));

  fillStatus();
  load(params.q != null);
  search.focus();

  const searchChanged = debounce(() => {
    if (search.value === state.search) return;
    state.search = search.value;
    load();
  }, 200);
  search.addEventListener('input', searchChanged);
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); searchChanged.flush(); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); tbody.querySelector('tr')?.focus(); }
    else if (e.key === 'Escape' && search.value) { e.preventDefault(); e.stopPropagation(); search.value = ''; searchChanged.flush(); }
  });
  statusSel.addEventListener('change', () => { state.status = statusSel.value; load(); });
  tbody.addEventListener('click', (e) => {
    if (e.target.closest('a')) return;
    const row = e.target.closest('tr[data-number]');
    if (row) select(row.dataset.number);
  });
  tbody.addEventListener('keydown', (e) => {
    const row = e.target.closest('tr[data-number]');
    if (!row || e.target !== row) return;
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(row.dataset.number); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); row.nextElementSibling?.focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); (row.previousElementSibling || search).focus(); }
  });

  function layout() {
    return root.querySelector('[data-testid="certs-layout"]');
  }

  function fillStatus() {
    clear(statusSel);
    statusSel.append(option('', t('certs.all_statuses')), option('valid', t('certs.status_valid')), option('revoked', t('certs.status_revoked')));
    statusSel.value = state.status;
  }

  function load(openSingle) {
    const mine = ++seq;
    return loadTable({
      table, failure, current: () => alive && mine === seq,
      fetch: () => api.certificatesList({ search: state.search, status: state.status || null }),
      show: (answer) => {
        list = Array.isArray(answer) ? answer : [];
        renderRows();
        // Opened from a certificate number elsewhere: show it at once.
        if (openSingle) {
          const exact = list.find((c) => c.number === state.search.trim()) || (list.length === 1 ? list[0] : null);
          if (exact) select(exact.number);
        }
      },
    });
  }

  function renderRows() {
    clear(tbody);
    const value = SORTS[state.sort] || SORTS.issued_on;
    const sorted = [...list].sort((a, b) => value(a).localeCompare(value(b)) * (state.desc ? -1 : 1));
    for (const c of sorted) tbody.append(row(c));
    count.textContent = list.length ? t('certs.count', { count: list.length }) : '';
    empty.hidden = list.length > 0;
    empty.textContent = t(state.search || state.status ? 'certs.empty' : 'certs.empty_start');
  }

  function row(c) {
    return h('tr', {
      testid: 'cert-row', 'data-number': c.number, tabindex: '0',
      class: [c.status === 'revoked' ? 'is-revoked' : null, selected === c.number ? 'is-selected' : null],
      'aria-selected': selected === c.number ? 'true' : 'false',
    },
    h('td', { class: 'col-number mono nowrap', testid: 'cert-number' }, c.number),
    h('td', { class: 'col-worker' }, h('a', { href: `#/worker/${c.worker_id}`, testid: 'cert-worker' }, c.worker_name || `#${c.worker_id}`)),
    h('td', { class: 'col-course' }, certificateCourse(c)),
    h('td', { class: 'col-date num nowrap' }, formatDate(c.issued_on)),
    h('td', { class: 'col-date num nowrap' }, formatDate(c.valid_until)),
    h('td', { class: 'col-status' }, certStatusBadge(c.status, 'cert-status')),
    h('td', { class: 'col-links sub' }, links(c)));
  }

  function links(c) {
    const out = [];
    if (c.replaces_number) out.push(h('div', null, t('certs.replaces', { number: c.replaces_number })));
    if (c.replaced_by) out.push(h('div', null, t('certs.replaced_by', { number: c.replaced_by })));
    return out.length ? out : '';
  }

  async function select(number) {
    selected = number;
    for (const tr of tbody.querySelectorAll('tr[data-number]')) {
      const on = tr.dataset.number === number;
      tr.classList.toggle('is-selected', on);
      tr.setAttribute('aria-selected', on ? 'true' : 'false');
    }
    const mine = ++detailSeq;
    panel.hidden = false;
    layout().classList.add('has-panel');
    panel.setAttribute('aria-busy', 'true');
    let preview = null;
    let certificate = null;
    let previewError = null;
    try {
      preview = await api.certificatesPreview(number);
      certificate = preview.certificate;
    } catch (err) {
      // No preview (a revoked certificate is not printed): the record all the same.
      previewError = err;
      try {
        certificate = await api.certificatesGet(number);
      } catch (err2) {
        if (!alive || mine !== detailSeq) return;
        panel.removeAttribute('aria-busy');
        clear(panel);
        panel.append(h('p', { class: 'notice is-error', role: 'alert', testid: 'cert-panel-error' }, errorText(err2)));
        return;
      }
    }
    if (!alive || mine !== detailSeq) return;
    panel.removeAttribute('aria-busy');
    renderPanel(certificate, preview ? preview.svg : null, previewError);
  }

  function renderPanel(c, svg, previewError) {
    clear(panel);
    const revoked = c.status === 'revoked';
    panel.dataset.number = c.number;
    const close = h('button', { type: 'button', class: 'btn btn-small btn-quiet', testid: 'cert-panel-close', 'aria-label': t('certs.close'), title: t('certs.close'), on: { click: closePanel } }, '×');
    panel.append(
      h('div', { class: 'card-head' },
        h('h2', { class: 'cert-panel-title mono', testid: 'cert-panel-number' }, c.number),
        certStatusBadge(c.status, 'cert-panel-status'), close),
      h('dl', { class: 'field-list cert-facts' },
        fact('certs.col_worker', h('a', { href: `#/worker/${c.worker_id}` }, c.worker_name || `#${c.worker_id}`)),
        fact('fields.course_id', certificateCourse(c)),
        fact('certs.col_issued', formatDate(c.issued_on)),
        fact('certs.col_valid_until', formatDate(c.valid_until)),
        fact('fields.score', c.score == null ? null : String(c.score)),
        fact('fields.destination_country', c.destination ? reference.countryName(c.destination) : null),
        fact('certs.cohort', c.cohort_id ? h('a', { href: `#/cohort/${c.cohort_id}` }, t('cohorts.number', { id: c.cohort_id })) : null),
        fact('certs.issued_by', c.issued_by),
        c.replaces_number ? fact('certs.replaces_label', c.replaces_number) : null,
        c.replaced_by ? fact('certs.replaced_by_label', c.replaced_by) : null,
        revoked ? fact('certs.revoked_at', dateTime(c.revoked_at)) : null,
        revoked ? fact('certs.revoke_reason', c.revoke_reason, 'cert-revoke-reason') : null),
      svg ? h('figure', { class: 'cert-preview' },
        h('img', { src: svgDataUrl(svg), alt: t('certs.preview_alt', { number: c.number }), testid: 'cert-preview' }),
        h('figcaption', { class: 'sub' }, t('certs.preview')))
        : h('p', { class: 'notice is-muted', testid: 'cert-no-preview' },
          revoked ? t('certs.no_preview_revoked') : errorText(previewError)),
      c.record ? h('details', { class: 'cert-code' },
        h('summary', null, t('certs.code')),
        h('textarea', { class: 'mono code-text', readonly: true, rows: '3', testid: 'cert-record', spellcheck: 'false' }, c.record)) : null);
    const actions = h('div', { class: 'card-actions' });
    if (write && !revoked) {
      actions.append(h('button', { type: 'button', class: 'btn btn-primary', testid: 'cert-print', on: { click: () => printer.start({ numbers: [c.number], singleFile: true }) } }, t('certs.print')));
    }
    if (admin && !revoked) {
      actions.append(h('button', { type: 'button', class: 'btn btn-danger-outline', testid: 'cert-revoke-open', on: { click: () => openRevoke(c) } }, t('certs.revoke')));
    }
    if (actions.childNodes.length) panel.append(actions);
    if (printer) panel.append(printer.element);
  }

  function fact(key, value, testid) {
    return h('div', { class: 'dl-row' }, h('dt', null, t(key)), h('dd', { testid }, value == null || value === '' ? dash(value) : value));
  }

  function openRevoke(c) {
    if (panel.querySelector('[data-testid="cert-revoke-panel"]')) { panel.querySelector('[data-testid="cert-revoke-reason-input"]').focus(); return; }
    const reason = h('input', { type: 'text', id: 'cert-revoke-reason', testid: 'cert-revoke-reason-input', autocomplete: 'off', maxlength: '500' });
    const error = h('p', { class: 'inline-error', role: 'alert', testid: 'cert-revoke-error', hidden: true });
    const confirm = h('button', { type: 'submit', class: 'btn btn-danger', testid: 'cert-revoke-confirm' }, t('certs.revoke'));
    const cancel = h('button', { type: 'button', class: 'btn', testid: 'cert-revoke-cancel', on: { click: () => form.remove() } }, t('common.cancel'));
    const form = h('form', { class: 'inline-panel is-danger', testid: 'cert-revoke-panel', novalidate: true },
      h('p', { class: 'panel-title' }, t('certs.revoke_question', { number: c.number })),
      h('div', { class: 'field' }, h('label', { for: 'cert-revoke-reason' }, t('fields.reason')), reason),
      h('div', { class: 'card-actions' }, confirm, cancel),
      error);
    form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); form.remove(); } });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.hidden = true;
      if (!reason.value.trim()) {
        error.textContent = `${t('fields.reason')}: ${t('errors.required')}`;
        error.hidden = false;
        reason.focus();
        return;
      }
      confirm.disabled = true;
      let updated;
      try {
        updated = await api.certificatesRevoke(c.number, reason.value.trim());
      } catch (err) {
        confirm.disabled = false;
        if (!alive) return;
        const p = (err.problems || [])[0];
        error.textContent = p ? `${t('fields.reason')}: ${p.message || p.code}` : errorText(err);
        error.hidden = false;
        reason.focus();
        return;
      }
      if (!alive) return;
      ctx.toast(t('certs.revoked_done', { number: updated.number }), 'success');
      await load();
      select(updated.number);
    });
    panel.append(form);
    reason.focus();
  }

  function closePanel() {
    selected = null;
    detailSeq += 1;
    panel.hidden = true;
    layout().classList.remove('has-panel');
    clear(panel);
    for (const tr of tbody.querySelectorAll('tr.is-selected')) { tr.classList.remove('is-selected'); tr.setAttribute('aria-selected', 'false'); }
    search.focus();
  }

  return {
    onLanguage() { fillStatus(); renderRows(); if (selected) select(selected); },
    onEscape() { if (!panel.hidden) { closePanel(); return true; } return false; },
    focusSearch() { search.focus(); },
    unmount() { alive = false; searchChanged.cancel(); if (printer) printer.stop(); },
  };
}
