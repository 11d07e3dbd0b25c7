// Pre-departure courses: the list (name in the UI language, hours, pass mark, minimum
// attendance, validity, modules, destinations) and for admin and staff an add form.
import * as api from '../api.js';
import * as reference from '../reference.js';
import * as session from '../session.js';
import { t } from '../i18n.js';
import { h, clear } from '../dom.js';
import { textField, problemsController } from './fields.js';
import { asNumber, intValue, addForm, submitForm } from '../lib/forms.js';
import { loadTable } from '../lib/tables.js';
import { courseName, moduleName, listOf, trainingTabs } from './training.js';

const NAMES = ['name_uz', 'name_uz_cyrl', 'name_ru', 'name_en'];
const NUMBERS = ['hours', 'pass_mark', 'min_attendance_percent', 'validity_months'];
const DEFAULTS = { hours: '', pass_mark: '60', min_attendance_percent: '80', validity_months: '12' };

/** "KR, jp;TR" → ['KR', 'JP', 'TR']. */
const countryCodes = (text) => String(text || '').split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);

export function coursesView(root, _params, ctx) {
  let alive = true;
  let courses = [];
  const write = session.canWrite();

  const count = h('span', { class: 'roster-count', testid: 'courses-count', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const heads = ['courses.col_name', 'fields.hours', 'fields.pass_mark', 'fields.min_attendance_percent', 'fields.validity_months', 'fields.modules', 'fields.countries'];
  const table = h('table', { class: 'data-table courses-table', testid: 'courses-table' },
    h('thead', null, h('tr', null, heads.map((k) => h('th', { scope: 'col', 'data-i18n': k }, t(k))))), tbody);
  const empty = h('div', { class: 'roster-empty', testid: 'courses-empty', role: 'status', hidden: true });
  const failure = h('p', { class: 'notice is-error', role: 'alert', testid: 'courses-error', hidden: true });

  // ---- add form (admin, staff)
  const fields = {};
  let form = null;
  let problems = null;
  let message = null;
  let submitBtn = null;
  let countryNames = null;
  if (write) {
    for (const f of NAMES) {
      fields[f] = textField({ field: f, id: `course-add-${f}`, testid: `course-add-${f}`, label: `fields.${f}` });
      fields[f].wrap.classList.add('is-required', 'field-span-2');
    }
    for (const f of NUMBERS) {
      fields[f] = textField({ field: f, id: `course-add-${f}`, testid: `course-add-${f}`, label: `fields.${f}`, value: DEFAULTS[f], maxlength: 4 });
      fields[f].wrap.classList.add('is-required');
      asNumber(fields[f].input);
    }
    // Modules: one checkbox each (the core's list), all on by default.
    const boxes = reference.modules().map((m) => h('input', { type: 'checkbox', id: `course-module-${m}`, testid: `course-module-${m}`, value: m, checked: true }));
    const modulesSlot = h('div', { class: 'error-slot', id: 'course-add-modules-error', 'data-error-testid': 'error-modules' });
    const modulesWrap = h('fieldset', { class: 'field field-wide module-set', 'data-field': 'modules', testid: 'course-add-modules' },
      h('legend', { 'data-i18n': 'fields.modules' }, t('fields.modules')),
      h('div', { class: 'module-grid' }, reference.modules().map((m, i) => h('label', { class: 'check', for: `course-module-${m}` }, boxes[i],
        h('span', { 'data-i18n': `modules.${m}` }, moduleName(m))))),
      modulesSlot);
    fields.modules = { wrap: modulesWrap, input: boxes[0], slot: modulesSlot, field: 'modules', boxes };
    fields.countries = textField({
      field: 'countries', id: 'course-add-countries', testid: 'course-add-countries', label: 'fields.countries',
      hint: 'courses.countries_hint', placeholderKey: 'courses.countries_placeholder',
    });
    fields.countries.wrap.classList.add('field-span-2');
    fields.countries.input.classList.add('input-mono', 'input-upper');
    countryNames = h('p', { class: 'field-note', testid: 'course-add-country-names', 'aria-live': 'polite' });
    fields.countries.wrap.append(countryNames);
    fields.countries.input.addEventListener('input', showCountryNames);

    problems = problemsController(fields, (name) => String(name || '').replace(/^input\./, '').replace(/\.\d+$/, ''));
    ({ form, message, button: submitBtn } = addForm({
      name: 'course', submitKey: 'courses.add_submit',
      grid: [NAMES.map((f) => fields[f].wrap), NUMBERS.map((f) => fields[f].wrap), fields.countries.wrap, modulesWrap],
      submit: add, cancel: resetForm,
    }));
  }

  root.append(h('section', { class: 'page courses-screen', testid: 'courses-screen' },
    trainingTabs('courses'),
    h('div', { class: 'page-head' },
      h('h1', { class: 'page-title', 'data-i18n': 'courses.title' }, t('courses.title')), count),
    failure,
    h('div', { class: 'table-wrap' }, table, empty),
    write ? h('div', { class: 'card' },
      h('h2', { class: 'card-title', 'data-i18n': 'courses.add_title' }, t('courses.add_title')),
      form) : null));

  load();
  if (write) fields.name_uz.input.focus();

  function load() {
    return loadTable({
      table, failure, current: () => alive, fetch: () => api.coursesList(),
      show: (list) => { courses = Array.isArray(list) ? list : []; renderRows(); },
    });
  }

  function renderRows() {
    clear(tbody);
    for (const c of courses) tbody.append(row(c));
    count.textContent = courses.length ? t('courses.count', { count: courses.length }) : '';
    empty.hidden = courses.length > 0;
    empty.textContent = t(write ? 'courses.empty_start' : 'courses.empty');
  }

  function row(c) {
    const modules = listOf(c.module_list, c.modules);
    const countries = listOf(c.country_list, c.countries);
    return h('tr', { testid: 'course-row', 'data-id': c.id, class: c.archived_at ? 'is-archived' : null },
      h('td', { class: 'col-course' },
        h('span', { class: 'strong', testid: 'course-name' }, courseName(c)),
        h('div', { class: 'sub' }, `#${c.id}`),
        c.archived_at ? h('span', { class: 'badge badge-archived' }, t('common.archived')) : null),
      h('td', { class: 'num' }, String(c.hours ?? '')),
      h('td', { class: 'num' }, String(c.pass_mark ?? '')),
      h('td', { class: 'num' }, `${c.min_attendance_percent ?? ''}%`),
      h('td', { class: 'num' }, String(c.validity_months ?? '')),
      h('td', { class: 'col-modules' },
        modules.length === reference.modules().length
          ? h('span', { class: 'muted' }, t('courses.all_modules'))
          : h('ul', { class: 'tag-list' }, modules.map((m) => h('li', { class: 'tag' }, moduleName(m))))),
      h('td', { class: 'col-countries', testid: 'course-countries' },
        countries.length
          ? countries.map((code) => h('div', null, reference.countryName(code), ' ', h('span', { class: 'sub mono' }, code)))
          : h('span', { class: 'muted' }, t('courses.any_destination'))));
  }

  function showCountryNames() {
    if (!countryNames) return;
    const codes = countryCodes(fields.countries.input.value);
    countryNames.textContent = codes.map((c) => (reference.countryName(c) !== c ? `${c}: ${reference.countryName(c)}` : `${c}: ?`)).join(' · ');
  }

  function readInput() {
    const input = {};
    for (const f of NAMES) input[f] = fields[f].input.value.trim();
    for (const f of NUMBERS) input[f] = String(intValue(fields[f].input.value));
    input.modules = fields.modules.boxes.filter((b) => b.checked).map((b) => b.value);
    input.countries = countryCodes(fields.countries.input.value);
    return input;
  }

  async function add() {
    if (submitBtn.disabled) return;
    const input = readInput();
    if (!input.modules.length) {
      // The UI's own check, before anything is sent (problems.set clears the earlier ones).
      message.hidden = true;
      problems.set('modules', t('errors.required'));
      fields.modules.boxes[0].focus();
      return;
    }
    const saved = await submitForm({
      button: submitBtn, message, problems, fields, alive: () => alive,
      save: () => api.coursesAdd(input), focus: fields.name_uz.input,
    });
    if (!saved) return;
    ctx.toast(t('courses.added', { id: saved.id, name: courseName(saved) }), 'success');
    resetForm();
    await load();
  }

  function resetForm() {
    if (!form) return;
    for (const f of [...NAMES, ...NUMBERS]) fields[f].input.value = DEFAULTS[f] || '';
    for (const b of fields.modules.boxes) b.checked = true;
    fields.countries.input.value = '';
    showCountryNames();
    problems.clear();
    message.hidden = true;
    fields.name_uz.input.focus();
  }

  return {
    onLanguage() { renderRows(); showCountryNames(); },
    unmount() { alive = false; },
  };
}
