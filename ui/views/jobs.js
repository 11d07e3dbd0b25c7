// Job orders (vacancies / quotas) of the foreign employers: the list with how many places
// are taken, a filter by employer, and for admin and staff an add form.
import * as api from '../api.js';
import * as reference from '../reference.js';
import * as session from '../session.js';
import { t } from '../i18n.js';
import { h, clear, option } from '../dom.js';
import { textField, selectField, problemsController } from './fields.js';
import { dash } from './format.js';
import { fillCountries } from './employers.js';
import { PAID_BY_FIELDS, paidByItems, paidByName, jobStatusBadge } from './placement.js';
import { asDate, dateValue } from '../lib/dates.js';
import { asCurrency, money } from '../lib/money.js';
import { errorText } from '../lib/errors.js';
import { asNumber, intValue, addForm, submitForm } from '../lib/forms.js';
import { loadTable } from '../lib/tables.js';

export const JOB_FIELDS = ['employer_id', 'position', 'places', 'country', 'salary_amount', 'salary_currency',
  'hours_per_week', 'term_months', ...PAID_BY_FIELDS, 'platform_reference', 'deadline'];
const REQUIRED = new Set(['employer_id', 'position', 'places', 'country', 'salary_amount', 'salary_currency',
  'hours_per_week', 'term_months', ...PAID_BY_FIELDS]);

const state = { employer: '' };

export function resetJobsState() {
  state.employer = '';
}

/** "#3 Hyundai Heavy — Welder (2/5)" for the job selects. */
export function jobLabel(j) {
  const full = j.places_left != null ? j.places_left <= 0 : j.assigned >= j.places;
  return t(full ? 'jobs.option_full' : 'jobs.option', {
    id: j.id, employer: j.employer_name || '', position: j.position || '', assigned: j.assigned ?? 0, places: j.places ?? '',
  });
}

export function jobsView(root, params, ctx) {
  let alive = true;
  let seq = 0;
  let jobs = [];
  let employers = [];
  let employersError = null;
  const write = session.canWrite();
  if (params.employer != null) state.employer = String(params.employer);

  const filter = h('select', { id: 'job-filter-employer', testid: 'job-filter-employer', class: 'filter',
    'data-i18n-aria-label': 'jobs.filter_employer', 'aria-label': t('jobs.filter_employer') });
  const count = h('span', { class: 'roster-count', testid: 'jobs-count', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const headKeys = ['jobs.col_job', 'fields.country', 'fields.salary_amount', 'jobs.col_terms', 'jobs.col_places',
    'fields.deadline', 'fields.status'];
  const table = h('table', { class: 'data-table jobs-table', testid: 'jobs-table' },
    h('thead', null, h('tr', null, headKeys.map((key) => h('th', { scope: 'col', 'data-i18n': key }, t(key))))),
    tbody);
  const empty = h('div', { class: 'roster-empty', testid: 'jobs-empty', role: 'status', hidden: true });
  const failure = h('p', { class: 'notice is-error', role: 'alert', testid: 'jobs-error', hidden: true });

  // ---- add form
  const fields = {};
  let form = null;
  let problems = null;
  let message = null;
  let submitBtn = null;
  let noEmployers = null;
  if (write) {
    for (const f of JOB_FIELDS) {
      const opts = { field: f, id: `job-add-${f}`, testid: `job-add-${f}`, label: `fields.${f}`, wide: f === 'position' };
      if (PAID_BY_FIELDS.includes(f)) fields[f] = selectField(opts, paidByItems(), 'employer');
      else if (f === 'employer_id' || f === 'country') {
        fields[f] = textField({ ...opts, control: h('select', { id: opts.id, name: f, testid: opts.testid }) });
      } else fields[f] = textField(opts);
      if (REQUIRED.has(f)) fields[f].wrap.classList.add('is-required');
    }
    fields.employer_id.wrap.classList.add('field-wide');
    asNumber(fields.places.input);
    asNumber(fields.salary_amount.input, true);
    asNumber(fields.hours_per_week.input);
    asNumber(fields.term_months.input);
    asCurrency(fields.salary_currency.input);
    asDate(fields.deadline.input);
    fillCountries(fields.country.input);
    fields.employer_id.input.addEventListener('change', () => {
      // The employer's country is the usual place of work.
      const e = employers.find((x) => String(x.id) === fields.employer_id.input.value);
      if (e && e.country && !fields.country.input.value) fields.country.input.value = e.country;
    });
    problems = problemsController(fields, (name) => name.replace(/^input\./, ''));
    noEmployers = h('p', { class: 'notice is-muted', testid: 'job-no-employers', hidden: true },
      t('jobs.no_employers'), ' ', h('a', { class: 'link', href: '#/employers' }, t('nav.employers')));
    ({ form, message, button: submitBtn } = addForm({
      name: 'job', submitKey: 'jobs.add_submit', grid: JOB_FIELDS.map((f) => fields[f].wrap), submit: add, cancel: resetForm,
    }));
  }

  root.append(h('section', { class: 'page jobs-screen', testid: 'jobs-screen' },
    h('div', { class: 'page-head' },
      h('h1', { class: 'page-title', 'data-i18n': 'jobs.title' }, t('jobs.title')), count,
      // The contracts register as a file, here with the job orders they fill (the roster's
      // exports are on the roster).
      h('div', { class: 'page-head-end' },
        ['xlsx', 'csv'].map((format) => h('button', {
          type: 'button', class: 'btn btn-small', testid: `export-contracts-${format}`,
          on: { click: () => api.exportContracts({ format })
            .then((d) => ctx.toast(t('import.saved_to', { path: d.path }), 'success'))
            .catch((err) => ctx.toast(errorText(err), 'error')) },
        }, h('span', null, h('span', { 'data-i18n': 'export.contracts_title' }, t('export.contracts_title')), ': ',
          h('span', { 'data-i18n': `import.export_${format}` }, t(`import.export_${format}`))))))),
    h('div', { class: 'toolbar' }, filter),
    failure,
    h('div', { class: 'table-wrap' }, table, empty),
    write ? h('div', { class: 'card' },
      h('h2', { class: 'card-title', 'data-i18n': 'jobs.add_title' }, t('jobs.add_title')),
      noEmployers,
      form) : null));

  fillFilter();
  loadEmployers();
  load();
  filter.focus();

  filter.addEventListener('change', () => {
    state.employer = filter.value;
    if (write && filter.value && !fields.employer_id.input.value) fields.employer_id.input.value = filter.value;
    load();
  });

  async function loadEmployers() {
    try {
      const list = await api.employersList({ archived: true });
      employers = Array.isArray(list) ? list : [];
      employersError = null;
    } catch (err) {
      employersError = err;
    }
    if (!alive) return;
    if (employersError) ctx.toast(errorText(employersError), 'error');
    fillFilter();
    fillEmployerSelect();
  }

  function fillFilter() {
    const value = state.employer;
    clear(filter);
    filter.append(option('', t('jobs.all_employers')));
    for (const e of employers) filter.append(option(String(e.id), e.archived_at ? `${e.name} (${t('common.archived')})` : e.name));
    if (value && ![...filter.options].some((o) => o.value === value)) filter.append(option(value, `#${value}`));
    filter.value = value;
  }

  function fillEmployerSelect() {
    if (!write) return;
    const select = fields.employer_id.input;
    const value = select.value || state.employer;
    clear(select);
    select.append(option('', t('jobs.choose_employer')));
    for (const e of employers) {
      if (e.archived_at) continue;
      select.append(option(String(e.id), `${e.name} · ${reference.countryName(e.country)}`));
    }
    select.value = [...select.options].some((o) => o.value === value) ? value : '';
    noEmployers.hidden = Boolean(employersError) || employers.some((e) => !e.archived_at);
  }

  function load() {
    const mine = ++seq;
    return loadTable({
      table, failure, current: () => alive && mine === seq,
      fetch: () => api.jobsList(state.employer ? Number(state.employer) : undefined),
      show: (list) => { jobs = Array.isArray(list) ? list : []; renderRows(); },
    });
  }

  function renderRows() {
    clear(tbody);
    for (const j of jobs) tbody.append(row(j));
    count.textContent = jobs.length ? t('jobs.count', { count: jobs.length }) : '';
    empty.hidden = jobs.length > 0;
    empty.textContent = t('jobs.empty');
  }

  function row(j) {
    const full = (j.places_left ?? (j.places - j.assigned)) <= 0;
    const paid = PAID_BY_FIELDS.map((f) => `${t(`jobs.short_${f}`)}: ${paidByName(j[f])}`).join(' · ');
    return h('tr', { testid: 'job-row', 'data-id': j.id, 'data-status': j.status || '' },
      h('td', { class: 'col-job' },
        h('span', { class: 'strong', testid: 'job-position' }, j.position),
        h('div', { class: 'sub' }, `#${j.id} · ${j.employer_name || ''}`),
        j.platform_reference ? h('div', { class: 'sub mono' }, j.platform_reference) : null),
      h('td', { class: 'col-country' }, reference.countryName(j.country) || dash(j.country)),
      h('td', { class: 'num nowrap', testid: 'job-salary' }, money(j.salary_amount, j.salary_currency)),
      h('td', { class: 'col-terms' },
        h('div', null, t('jobs.terms', { hours: j.hours_per_week ?? '', months: j.term_months ?? '' })),
        h('div', { class: 'sub' }, paid)),
      h('td', { class: 'num nowrap' },
        h('span', { class: ['places', full ? 'is-full' : null], testid: 'job-places', 'data-assigned': j.assigned ?? 0, 'data-places': j.places ?? 0 },
          t('jobs.places_value', { assigned: j.assigned ?? 0, places: j.places ?? '' }))),
      h('td', { class: 'num nowrap' }, dash(j.deadline)),
      h('td', null, jobStatusBadge(j.status, 'job-status')));
  }

  function readInput() {
    const input = {};
    for (const f of JOB_FIELDS) {
      const el = fields[f].input;
      if (f === 'deadline') input[f] = dateValue(el);
      else if (['employer_id', 'places', 'hours_per_week', 'term_months'].includes(f)) input[f] = intValue(el.value);
      else if (f === 'salary_currency') input[f] = el.value.trim().toUpperCase();
      else input[f] = el.value.trim();
    }
    return input;
  }

  async function add() {
    const saved = await submitForm({
      button: submitBtn, message, problems, fields, alive: () => alive,
      save: () => api.jobsAdd(readInput()), focus: fields.employer_id.input,
    });
    if (!saved) return;
    ctx.toast(t('jobs.added', { id: saved.id, position: saved.position }), 'success');
    resetForm();
    await load();
    fields.employer_id.input.focus();
  }

  function resetForm() {
    if (!form) return;
    for (const f of JOB_FIELDS) {
      const el = fields[f].input;
      if (PAID_BY_FIELDS.includes(f)) el.value = 'employer';
      else if (f === 'employer_id') el.value = state.employer && [...el.options].some((o) => o.value === state.employer) ? state.employer : '';
      else el.value = '';
    }
    problems.clear();
    message.hidden = true;
    fields.employer_id.input.focus();
  }

  return {
    onLanguage() {
      fillFilter();
      fillEmployerSelect();
      if (fields.country) fillCountries(fields.country.input);
      renderRows();
    },
    unmount() { alive = false; },
  };
}
