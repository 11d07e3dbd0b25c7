// Foreign employers (partners) with their cooperation contracts: a searchable list, and for
// admin and staff an add form and "Archive". A viewer gets no controls that change anything.
import * as api from '../api.js';
import * as reference from '../reference.js';
import * as session from '../session.js';
import { t } from '../i18n.js';
import { h, clear, option, debounce } from '../dom.js';
import { textField, problemsController } from './fields.js';
import { dash, formatDate } from './format.js';
import { asDate, dateValue, todayIso, setDate } from '../lib/dates.js';
import { errorText } from '../lib/errors.js';
import { addForm, submitForm } from '../lib/forms.js';
import { loadTable } from '../lib/tables.js';

export const EMPLOYER_FIELDS = ['name', 'country', 'city', 'address', 'registration_number', 'contact_person', 'phone',
  'email', 'cooperation_number', 'cooperation_signed_on', 'cooperation_valid_until'];
const REQUIRED = new Set(['name', 'country', 'cooperation_number', 'cooperation_signed_on', 'cooperation_valid_until']);
const DATES = new Set(['cooperation_signed_on', 'cooperation_valid_until']);

const state = { search: '', archived: false };

/** Forget the search (on "Lock"). */
export function resetEmployersState() {
  state.search = '';
  state.archived = false;
}

/** Fills a <select> with the countries of the reference data, keeping its value. */
export function fillCountries(select, placeholderKey = 'form.choose_country') {
  const value = select.value;
  clear(select);
  select.append(option('', t(placeholderKey)));
  for (const c of reference.countries()) select.append(option(c.code, c.name));
  if (value && ![...select.options].some((o) => o.value === value)) select.append(option(value, value));
  select.value = value;
}

export function employersView(root, _params, ctx) {
  let alive = true;
  let seq = 0;
  let employers = [];
  let confirming = null; // the id whose "Archive" waits for confirmation
  const write = session.canWrite();

  const search = h('input', {
    type: 'search', class: 'search-input', testid: 'employer-search', id: 'employer-search', autocomplete: 'off',
    spellcheck: 'false', value: state.search,
    'data-i18n-placeholder': 'employers.search_placeholder', placeholder: t('employers.search_placeholder'),
    'data-i18n-aria-label': 'employers.search_label', 'aria-label': t('employers.search_label'),
  });
  const archivedBox = h('input', { type: 'checkbox', id: 'employer-show-archived', testid: 'employer-show-archived', checked: state.archived });
  const count = h('span', { class: 'roster-count', testid: 'employers-count', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const headKeys = ['fields.name', 'fields.country', 'fields.contact_person', 'employers.col_cooperation', 'employers.col_state'];
  const table = h('table', { class: 'data-table employers-table', testid: 'employers-table' },
    h('thead', null, h('tr', null,
      headKeys.map((key) => h('th', { scope: 'col', 'data-i18n': key }, t(key))),
      h('th', { scope: 'col', class: 'col-actions' }, h('span', { class: 'sr-only', 'data-i18n': 'users.col_actions' }, t('users.col_actions'))))),
    tbody);
  const empty = h('div', { class: 'roster-empty', testid: 'employers-empty', role: 'status', hidden: true });
  const failure = h('p', { class: 'notice is-error', role: 'alert', testid: 'employers-error', hidden: true });

  // ---- add form (admin, staff)
  const fields = {};
  let form = null;
  let problems = null;
  let message = null;
  let submitBtn = null;
  if (write) {
    for (const f of EMPLOYER_FIELDS) {
      const opts = { field: f, id: `employer-add-${f}`, testid: `employer-add-${f}`, label: `fields.${f}`, wide: f === 'name' };
      if (f === 'country') {
        opts.control = h('select', { id: opts.id, name: f, testid: opts.testid });
      } else if (f === 'email') {
        opts.type = 'email';
      } else if (f === 'phone') {
        opts.type = 'tel';
      }
      fields[f] = textField(opts);
      if (REQUIRED.has(f)) fields[f].wrap.classList.add('is-required');
      if (DATES.has(f)) asDate(fields[f].input);
    }
    fillCountries(fields.country.input);
    problems = problemsController(fields, (name) => name.replace(/^input\./, ''));
    ({ form, message, button: submitBtn } = addForm({
      name: 'employer', submitKey: 'employers.add_submit', grid: EMPLOYER_FIELDS.map((f) => fields[f].wrap),
      submit: add, cancel: resetForm,
    }));
    setDate(fields.cooperation_signed_on.input, todayIso());
  }

  root.append(h('section', { class: 'page employers-screen', testid: 'employers-screen' },
    h('div', { class: 'page-head' },
      h('h1', { class: 'page-title', 'data-i18n': 'employers.title' }, t('employers.title')), count),
    h('div', { class: 'toolbar', role: 'search' },
      h('div', { class: 'search-wrap' }, search),
      h('label', { class: 'check', for: 'employer-show-archived' }, archivedBox,
        h('span', { 'data-i18n': 'employers.show_archived' }, t('employers.show_archived')))),
    failure,
    h('div', { class: 'table-wrap' }, table, empty),
    write ? h('div', { class: 'card' },
      h('h2', { class: 'card-title', 'data-i18n': 'employers.add_title' }, t('employers.add_title')),
      h('p', { class: 'section-hint', 'data-i18n': 'employers.add_hint' }, t('employers.add_hint')),
      form) : null));

  load();
  search.focus();

  const searchChanged = debounce(() => {
    if (search.value === state.search) return;
    state.search = search.value;
    load();
  }, 200);
  search.addEventListener('input', searchChanged);
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); searchChanged.flush(); }
    else if (e.key === 'Escape' && search.value) {
      e.preventDefault(); e.stopPropagation();
      search.value = ''; searchChanged.flush();
    }
  });
  archivedBox.addEventListener('change', () => { state.archived = archivedBox.checked; load(); });

  function load() {
    const mine = ++seq;
    return loadTable({
      table, failure, current: () => alive && mine === seq,
      fetch: () => api.employersList({ search: state.search, archived: state.archived }),
      show: (list) => { employers = Array.isArray(list) ? list : []; renderRows(); },
    });
  }

  function renderRows() {
    clear(tbody);
    for (const e of employers) tbody.append(row(e));
    count.textContent = employers.length ? t('employers.count', { count: employers.length }) : '';
    empty.hidden = employers.length > 0;
    empty.textContent = state.search || state.archived ? t('employers.empty') : t(write ? 'employers.empty_start' : 'employers.empty');
  }

  function row(e) {
    const today = todayIso();
    const expired = e.cooperation_valid_until && e.cooperation_valid_until < today;
    const archived = Boolean(e.archived_at);
    const contact = [e.contact_person, e.phone, e.email].filter(Boolean);
    let actions = null;
    if (write && !archived) {
      actions = confirming === e.id
        ? [h('span', { class: 'row-confirm confirm-text' }, t('employers.archive_question')),
          h('button', { type: 'button', class: 'btn btn-small btn-danger', testid: 'employer-archive-confirm', on: { click: () => archive(e) } }, t('employers.archive')),
          h('button', { type: 'button', class: 'btn btn-small', testid: 'employer-archive-cancel', on: { click: () => { confirming = null; renderRows(); focusRow(e.id, 'employer-archive'); } } }, t('common.cancel'))]
        : h('button', { type: 'button', class: 'btn btn-small', testid: 'employer-archive', on: { click: () => { confirming = e.id; renderRows(); focusRow(e.id, 'employer-archive-confirm'); } } }, t('employers.archive'));
    }
    return h('tr', { testid: 'employer-row', 'data-id': e.id, class: archived ? 'is-archived' : null },
      h('td', { class: 'col-employer' },
        h('span', { class: 'strong', testid: 'employer-name' }, e.name),
        e.registration_number ? h('div', { class: 'sub mono' }, e.registration_number) : null,
        e.address ? h('div', { class: 'sub' }, e.address) : null),
      h('td', { class: 'col-country' }, reference.countryName(e.country) || dash(e.country),
        e.city ? h('div', { class: 'sub' }, e.city) : null),
      h('td', null, contact.length ? contact.map((c, i) => h('div', { class: i ? 'sub' : null }, c)) : t('common.none')),
      h('td', { class: 'col-coop' },
        h('span', { class: 'mono' }, dash(e.cooperation_number)),
        h('div', { class: 'sub num' }, `${formatDate(e.cooperation_signed_on)} – ${formatDate(e.cooperation_valid_until)}`),
        expired ? h('span', { class: 'badge badge-warn', testid: 'employer-coop-expired' }, t('employers.coop_expired')) : null),
      h('td', { testid: 'employer-state' },
        archived
          ? h('span', { class: 'badge badge-archived' }, t('common.archived'))
          : h('span', { class: 'badge user-active' }, t('employers.active'))),
      h('td', { class: 'col-actions' }, h('div', { class: 'row-actions' },
        h('a', { class: 'btn btn-small btn-quiet', href: `#/jobs?employer=${e.id}`, testid: 'employer-jobs' }, t('employers.jobs')),
        actions)));
  }

  function focusRow(id, testid) {
    tbody.querySelector(`tr[data-id="${id}"] [data-testid="${testid}"]`)?.focus();
  }

  async function archive(e) {
    let updated;
    try {
      updated = await api.employersArchive(e.id);
    } catch (err) {
      if (alive) ctx.toast(errorText(err), 'error');
      return;
    }
    if (!alive) return;
    confirming = null;
    ctx.toast(t('employers.archived_done', { name: updated.name || e.name }), 'success');
    employers = state.archived ? employers.map((x) => (x.id === updated.id ? updated : x)) : employers.filter((x) => x.id !== updated.id);
    renderRows();
    search.focus();
  }

  function readInput() {
    const input = {};
    for (const f of EMPLOYER_FIELDS) {
      const el = fields[f].input;
      input[f] = DATES.has(f) ? dateValue(el) : el.value.trim();
    }
    return input;
  }

  async function add() {
    const saved = await submitForm({
      button: submitBtn, message, problems, fields, alive: () => alive,
      save: () => api.employersAdd(readInput()), focus: fields.name.input,
    });
    if (!saved) return;
    ctx.toast(t('employers.added', { id: saved.id, name: saved.name }), 'success');
    resetForm();
    await load();
    fields.name.input.focus();
  }

  function resetForm() {
    if (!form) return;
    for (const f of EMPLOYER_FIELDS) fields[f].input.value = '';
    setDate(fields.cooperation_signed_on.input, todayIso());
    problems.clear();
    message.hidden = true;
    fields.name.input.focus();
  }

  return {
    onLanguage() {
      if (fields.country) fillCountries(fields.country.input);
      renderRows();
    },
    focusSearch() { search.focus(); },
    unmount() { alive = false; searchChanged.cancel(); },
  };
}
