// The roster: search, filters, sortable columns, paging. Its query survives navigation,
// so "Back to roster" returns to the same page of the same search.
import * as api from '../api.js';
import * as reference from '../reference.js';
import { t } from '../i18n.js';
import { h, clear, option, debounce } from '../dom.js';
import * as session from '../session.js';
import { latinName, cyrillicName, statusBadge, formatDate } from './format.js';
import { errorText } from '../lib/errors.js';

const PAGE = 50;

const INITIAL = {
  search: '',
  status: '',
  region: '',
  destination: '',
  archived: false,
  sort: 'name',
  desc: false,
  offset: 0,
  total: null,
  focusId: null,
};
const state = { ...INITIAL };

/** Forget the search, filters, sort and page (on "Lock"). */
export function resetRosterState() {
  Object.assign(state, INITIAL);
}

// On a narrow window the passport and destination columns fold under PINFL and region
// (the `alt` label and line are shown by CSS only then).
const COLUMNS = [
  { key: 'name', label: 'roster.col_name', sort: 'name', cls: 'col-name' },
  { key: 'birth_date', label: 'fields.birth_date', sort: 'birth_date', cls: 'col-date' },
  { key: 'pinfl', label: 'fields.pinfl', cls: 'col-pinfl', alt: 'fields.passport_number' },
  { key: 'passport_number', label: 'fields.passport_number', cls: 'col-passport' },
  { key: 'phone', label: 'fields.phone', cls: 'col-phone' },
  { key: 'region', label: 'fields.region', sort: 'region', cls: 'col-region', alt: 'fields.destination_country' },
  { key: 'destination', label: 'fields.destination_country', cls: 'col-country' },
  { key: 'status', label: 'fields.status', sort: 'status', cls: 'col-status' },
];

export function rosterView(root, _params, ctx) {
  let seq = 0;
  let alive = true;
  let lastResult = null;

  // ---- skeleton
  const title = h('h1', { class: 'page-title', testid: 'page-title', 'data-i18n': 'roster.title' }, t('roster.title'));
  const count = h('span', { class: 'roster-count', testid: 'roster-count', 'aria-live': 'polite' });

  const search = h('input', {
    type: 'search', class: 'search-input', testid: 'search-input', id: 'roster-search',
    autocomplete: 'off', spellcheck: 'false',
    'data-i18n-placeholder': 'roster.search_placeholder', placeholder: t('roster.search_placeholder'),
    'data-i18n-aria-label': 'roster.search_label', 'aria-label': t('roster.search_label'),
    value: state.search,
  });
  const statusSel = h('select', { testid: 'filter-status', class: 'filter', 'data-i18n-aria-label': 'fields.status', 'aria-label': t('fields.status') });
  const regionSel = h('select', { testid: 'filter-region', class: 'filter', 'data-i18n-aria-label': 'fields.region', 'aria-label': t('fields.region') });
  const destSel = h('select', { testid: 'filter-destination', class: 'filter', 'data-i18n-aria-label': 'fields.destination_country', 'aria-label': t('fields.destination_country') });
  const archivedBox = h('input', { type: 'checkbox', testid: 'show-archived', id: 'show-archived', checked: state.archived });

  // Export what the list shows (search, filters, order), every page, into the exports folder.
  const exportClicked = async (format) => {
    const { limit, offset, with_total, ...q } = query();
    try {
      const done = await api.exportWorkers(q, format);
      ctx.toast(t('import.saved_to', { path: done.path }), 'success');
    } catch (err) {
      ctx.toast(errorText(err), 'error');
    }
  };
  const exportXlsx = h('button', { type: 'button', class: 'btn btn-small', testid: 'export-xlsx', 'data-i18n': 'import.export_xlsx', on: { click: () => exportClicked('xlsx') } }, t('import.export_xlsx'));
  const exportCsv = h('button', { type: 'button', class: 'btn btn-small', testid: 'export-csv', 'data-i18n': 'import.export_csv', on: { click: () => exportClicked('csv') } }, t('import.export_csv'));

  const headRow = h('tr');
  const tbody = h('tbody');
  const table = h('table', { class: 'roster-table', testid: 'roster-table' }, h('thead', null, headRow), tbody);
  // In the DOM only while there is nothing to show.
  const empty = h('div', { class: 'roster-empty', testid: 'roster-empty', role: 'status' });
  const failure = h('div', { class: 'roster-failure', role: 'alert', hidden: true });
  const prev = h('button', { type: 'button', class: 'btn', testid: 'page-prev', 'data-i18n': 'roster.prev' }, t('roster.prev'));
  const next = h('button', { type: 'button', class: 'btn', testid: 'page-next', 'data-i18n': 'roster.next' }, t('roster.next'));

  root.append(
    h('section', { class: 'roster' },
      h('div', { class: 'roster-head' }, title, count,
        // Bulk exports of personal data are for staff and admins (the core checks it too);
        // they sit in the head, so the filter row keeps to one line.
        session.canWrite() ? h('div', { class: 'page-head-end roster-exports' }, exportXlsx, exportCsv) : null),
      h('div', { class: 'toolbar', role: 'search', testid: 'roster-toolbar' },
        h('div', { class: 'search-wrap' }, search, h('kbd', { class: 'search-key', 'aria-hidden': 'true' }, '/')),
        statusSel, regionSel, destSel,
        h('label', { class: 'check', for: 'show-archived' }, archivedBox,
          h('span', { 'data-i18n': 'roster.show_archived' }, t('roster.show_archived')))),
      h('div', { class: 'table-wrap' }, table, failure),
      h('div', { class: 'pager' }, prev, next)));

  renderHead();
  renderFilterOptions();
  load({ restoreFocus: true });

  // ---- events
  const searchChanged = debounce(() => {
    if (search.value === state.search) return;
    state.search = search.value;
    newQuery();
  }, 200);
  search.addEventListener('input', searchChanged);
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); searchChanged.flush(); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); focusRow(0); }
    else if (e.key === 'Escape' && search.value) {
      e.preventDefault(); e.stopPropagation();
      search.value = ''; searchChanged.flush();
    }
  });
  const filterChanged = () => {
    state.status = statusSel.value;
    state.region = regionSel.value;
    state.destination = destSel.value;
    state.archived = archivedBox.checked;
    newQuery();
  };
  for (const el of [statusSel, regionSel, destSel, archivedBox]) el.addEventListener('change', filterChanged);

  headRow.addEventListener('click', (e) => {
    const button = e.target.closest('button[data-sort]');
    if (!button) return;
    const key = button.dataset.sort;
    if (state.sort === key) state.desc = !state.desc;
    else { state.sort = key; state.desc = false; }
    renderHead();
    headRow.querySelector(`button[data-sort="${key}"]`).focus();
    newQuery();
  });

  tbody.addEventListener('click', (e) => {
    const row = e.target.closest('tr[data-id]');
    if (row) open(row);
  });
  tbody.addEventListener('keydown', (e) => {
    const row = e.target.closest('tr[data-id]');
    if (!row) return;
    const rows = [...tbody.querySelectorAll('tr[data-id]')];
    const i = rows.indexOf(row);
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(row); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); focusRow(Math.min(i + 1, rows.length - 1)); }
    else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (i === 0) search.focus(); else focusRow(i - 1);
    } else if (e.key === 'Home') { e.preventDefault(); focusRow(0); }
    else if (e.key === 'End') { e.preventDefault(); focusRow(rows.length - 1); }
    else if (e.key === 'PageDown' && !next.disabled) { e.preventDefault(); go(PAGE, true); }
    else if (e.key === 'PageUp' && !prev.disabled) { e.preventDefault(); go(-PAGE, true); }
  });
  tbody.addEventListener('focusin', (e) => {
    const row = e.target.closest('tr[data-id]');
    if (!row) return;
    for (const r of tbody.querySelectorAll('tr[tabindex="0"]')) if (r !== row) r.tabIndex = -1;
    row.tabIndex = 0;
    state.focusId = Number(row.dataset.id);
  });

  prev.addEventListener('click', () => go(-PAGE));
  next.addEventListener('click', () => go(PAGE));

  // ---- behaviour
  function open(row) {
    state.focusId = Number(row.dataset.id);
    ctx.navigate(`#/worker/${row.dataset.id}`);
  }

  function focusRow(i) {
    const rows = tbody.querySelectorAll('tr[data-id]');
    if (rows[i]) rows[i].focus();
  }

  function go(delta, focusFirst) {
    state.offset = Math.max(0, state.offset + delta);
    state.focusId = null;
    load({ focusFirst });
  }

  function newQuery() {
    state.offset = 0;
    state.total = null;
    state.focusId = null;
    load();
  }

  function query() {
    const q = { sort: state.sort, desc: state.desc, limit: PAGE, offset: state.offset };
    if (state.search.trim()) q.search = state.search.trim();
    if (state.status) q.status = state.status;
    if (state.region) q.region = state.region;
    if (state.destination) q.destination = state.destination;
    if (state.archived) q.archived = true;
    if (state.offset === 0 || state.total === null) q.with_total = true;
    return q;
  }

  async function load(opts = {}) {
    const mine = ++seq;
    table.setAttribute('aria-busy', 'true');
    let result;
    try {
      result = await api.workersList(query());
    } catch (err) {
      if (!alive || mine !== seq) return;
      table.removeAttribute('aria-busy');
      failure.textContent = errorText(err);
      failure.hidden = false;
      return;
    }
    if (!alive || mine !== seq) return;
    failure.hidden = true;
    table.removeAttribute('aria-busy');
    const items = Array.isArray(result.items) ? result.items : [];
    // A page past the end (rows archived or deleted meanwhile). The total we kept may be
    // stale (it is only asked for at offset 0 or when unknown), so forget it and step
    // back, asking for a fresh total: to the last page when this very answer carried a
    // fresh total, else one page back. The offset strictly decreases, so this ends (at
    // offset 0 at the latest) and never asks for the same page twice.
    if (items.length === 0 && state.offset > 0) {
      const fresh = typeof result.total === 'number' ? result.total : null;
      const was = state.offset;
      let back = fresh != null && fresh > 0 ? Math.floor((fresh - 1) / PAGE) * PAGE : Math.max(0, was - PAGE);
      if (fresh === 0 || back >= was) back = 0;
      state.offset = back;
      state.total = null;
      state.focusId = null;
      load(opts);
      return;
    }
    if (typeof result.total === 'number') state.total = result.total;
    else if (typeof state.total === 'number') {
      // A kept total that this page contradicts is stale: the last page tells the exact
      // total, a page with more after it at least shows the kept one is too small.
      const seen = state.offset + items.length;
      if (!result.has_more) state.total = seen;
      else if (seen >= state.total) state.total = null;
    }
    lastResult = result;
    renderRows(result, opts);
  }

  function renderHead() {
    clear(headRow);
    for (const col of COLUMNS) {
      const th = h('th', { class: col.cls, scope: 'col' });
      if (col.sort) {
        const active = state.sort === col.sort;
        th.setAttribute('aria-sort', active ? (state.desc ? 'descending' : 'ascending') : 'none');
        th.append(h('button', { type: 'button', class: 'sort', 'data-sort': col.sort, testid: `sort-${col.sort}` },
          h('span', { 'data-i18n': col.label }, t(col.label)),
          h('span', { class: 'sort-arrow', 'aria-hidden': 'true' }, active ? (state.desc ? '▼' : '▲') : '↕')));
      } else {
        th.append(h('span', { 'data-i18n': col.label }, t(col.label)));
      }
      if (col.alt) th.append(h('span', { class: 'alt', 'aria-hidden': 'true' }, t(col.alt)));
      headRow.append(th);
    }
  }

  function fillSelect(select, allKey, items, value) {
    clear(select);
    select.append(option('', t(allKey)));
    for (const item of items) select.append(option(item.code, item.name));
    if (value && !items.some((i) => i.code === value)) select.append(option(value, value));
    select.value = value;
  }

  function renderFilterOptions() {
    fillSelect(statusSel, 'roster.all_statuses',
      reference.statuses().map((s) => ({ code: s.code, name: reference.statusName(s.code) })), state.status);
    fillSelect(regionSel, 'roster.all_regions', reference.regions(), state.region);
    fillSelect(destSel, 'roster.all_destinations', reference.countries(), state.destination);
  }

  function renderCount(result) {
    const n = result.items.length;
    if (n === 0) {
      count.textContent = t('roster.count_zero');
    } else if (typeof state.total === 'number') {
      count.textContent = t('roster.count', { from: state.offset + 1, to: state.offset + n, total: state.total });
    } else {
      count.textContent = t(result.has_more ? 'roster.count_more' : 'roster.count_open',
        { from: state.offset + 1, to: state.offset + n });
    }
  }

  function renderRows(result, opts) {
    clear(tbody);
    const items = result.items || [];
    let focusRowEl = null;
    for (const w of items) {
      const cyr = cyrillicName(w);
      const country = w.country_name || reference.countryName(w.destination_country);
      const nameCell = h('td', { class: 'col-name' },
        h('div', { class: 'name-latin' }, latinName(w) || t('common.none'),
          w.archived ? h('span', { class: 'badge badge-archived', 'data-i18n': 'common.archived' }, t('common.archived')) : null,
          // Found by the sound of the name, not its letters: say so, so a clerk checks the
          // birth date before taking him for the person asked for.
          w.matched === 'phonetic' ? h('span', {
            class: 'badge badge-similar', testid: 'similar-spelling', 'data-i18n': 'names.similar_spelling',
            title: t('names.similar_spelling_hint'),
          }, t('names.similar_spelling')) : null),
        cyr ? h('div', { class: 'name-cyrillic', lang: 'uz-Cyrl' }, cyr) : null);
      const tr = h('tr', {
        testid: 'worker-row', 'data-id': w.id, tabindex: '-1',
        class: w.archived ? 'is-archived' : null,
      },
      nameCell,
      h('td', { class: 'col-date num' }, formatDate(w.birth_date)),
      h('td', { class: 'col-pinfl num' }, w.pinfl || '',
        h('span', { class: 'alt', 'aria-hidden': 'true' }, w.passport_number || '')),
      h('td', { class: 'col-passport num' }, w.passport_number || ''),
      h('td', { class: 'col-phone num' }, w.phone_display || ''),
      h('td', { class: 'col-region' }, w.region_name || reference.regionName(w.region),
        h('span', { class: 'alt', 'aria-hidden': 'true' }, country)),
      h('td', { class: 'col-country' }, country),
      h('td', { class: 'col-status' }, statusBadge(w.status, w.status_name)));
      if (state.focusId === w.id) focusRowEl = tr;
      tbody.append(tr);
    }
    const first = tbody.querySelector('tr[data-id]');
    (focusRowEl || first)?.setAttribute('tabindex', '0');

    const filtered = Boolean(state.search.trim() || state.status || state.region || state.destination);
    if (items.length) empty.remove();
    else {
      const startKey = session.canWrite() ? 'roster.empty_start' : 'roster.empty_archived';
      empty.textContent = t(filtered ? 'roster.empty' : (state.archived ? 'roster.empty_archived' : startKey));
      table.after(empty);
    }
    table.classList.toggle('is-empty', items.length === 0);

    renderCount(result);
    prev.disabled = state.offset === 0;
    next.disabled = !result.has_more;

    if (opts.restoreFocus) (focusRowEl || search).focus();
    else if (opts.focusFirst && first) first.focus();
  }

  return {
    focusSearch() { state.focusId = null; search.focus(); search.select(); },
    onLanguage() {
      renderHead();
      renderFilterOptions();
      if (lastResult) renderCount(lastResult);
      load();
    },
    onEscape() { return false; },
    unmount() { alive = false; searchChanged.cancel(); },
  };
}
