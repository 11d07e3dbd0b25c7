// Cohorts of pre-departure training: the list (course, dates, place, trainer, enrolled of
// capacity), each opening its cohort page, and for admin and staff an add form with the
// sessions as rows of date + hours.
import * as api from '../api.js';
import * as session from '../session.js';
import { t } from '../i18n.js';
import { h, clear, option } from '../dom.js';
import { textField, problemsController } from './fields.js';
import { asDate, dateValue, readDate, setDate, parseDate, formatDate } from '../lib/dates.js';
import { asNumber, intValue, addForm, submitForm } from '../lib/forms.js';
import { loadTable } from '../lib/tables.js';
import { courseName, trainingTabs } from './training.js';

const FIELDS = ['course_id', 'starts_on', 'ends_on', 'place', 'trainer', 'capacity'];

export function cohortsView(root, _params, ctx) {
  let alive = true;
  let cohorts = [];
  let courses = [];
  const write = session.canWrite();

  const count = h('span', { class: 'roster-count', testid: 'cohorts-count', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const heads = ['fields.course_id', 'cohorts.col_dates', 'fields.place', 'fields.trainer', 'cohorts.col_enrolled'];
  const table = h('table', { class: 'data-table cohorts-table', testid: 'cohorts-table' },
    h('thead', null, h('tr', null, heads.map((k) => h('th', { scope: 'col', 'data-i18n': k }, t(k))))), tbody);
  const empty = h('div', { class: 'roster-empty', testid: 'cohorts-empty', role: 'status', hidden: true });
  const failure = h('p', { class: 'notice is-error', role: 'alert', testid: 'cohorts-error', hidden: true });

  // ---- add form
  const fields = {};
  let form = null;
  let problems = null;
  let message = null;
  let submitBtn = null;
  let sessionRows = null;
  if (write) {
    for (const f of FIELDS) {
      const opts = { field: f, id: `cohort-add-${f}`, testid: `cohort-add-${f}`, label: `fields.${f}` };
      if (f === 'course_id') opts.control = h('select', { id: opts.id, name: f, testid: opts.testid });
      fields[f] = textField(opts);
      fields[f].wrap.classList.add('is-required');
    }
    asDate(fields.starts_on.input);
    asDate(fields.ends_on.input);
    asNumber(fields.capacity.input);
    fields.capacity.input.value = '20';
    fields.place.wrap.classList.add('field-span-2');
    fields.course_id.wrap.classList.add('field-span-2');

    sessionRows = h('ol', { class: 'session-rows', testid: 'cohort-sessions' });
    const sessionsSlot = h('div', { class: 'error-slot', id: 'cohort-add-sessions-error', 'data-error-testid': 'error-sessions' });
    const addRowBtn = h('button', { type: 'button', class: 'btn btn-small', testid: 'session-add-row', on: { click: () => addSessionRow(true) } },
      h('span', { 'aria-hidden': 'true', class: 'btn-plus' }, '+'), h('span', { 'data-i18n': 'cohorts.add_session' }, t('cohorts.add_session')));
    const sessionsWrap = h('fieldset', { class: 'field field-wide session-set', 'data-field': 'sessions' },
      h('legend', { 'data-i18n': 'fields.sessions' }, t('fields.sessions')),
      h('p', { class: 'field-hint', 'data-i18n': 'cohorts.sessions_hint' }, t('cohorts.sessions_hint')),
      sessionRows, h('div', null, addRowBtn), sessionsSlot);
    fields.sessions = { wrap: sessionsWrap, input: addRowBtn, slot: sessionsSlot, field: 'sessions' };
    addSessionRow(false);

    problems = problemsController(fields, (name) => String(name || '').replace(/^input\./, '').replace(/^sessions[.[].*$/, 'sessions'));
    ({ form, message, button: submitBtn } = addForm({
      name: 'cohort', submitKey: 'cohorts.add_submit', grid: [FIELDS.map((f) => fields[f].wrap), sessionsWrap],
      submit: add, cancel: resetForm,
    }));
    // The first session defaults to the start date.
    fields.starts_on.input.addEventListener('focusout', () => {
      const first = sessionRows.querySelector('[data-testid="session-date"]');
      if (first && !first.value) setDate(first, readDate(fields.starts_on.input));
    });
  }

  root.append(h('section', { class: 'page cohorts-screen', testid: 'cohorts-screen' },
    trainingTabs('cohorts'),
    h('div', { class: 'page-head' },
      h('h1', { class: 'page-title', 'data-i18n': 'cohorts.title' }, t('cohorts.title')), count),
    failure,
    h('div', { class: 'table-wrap' }, table, empty),
    write ? h('div', { class: 'card' },
      h('h2', { class: 'card-title', 'data-i18n': 'cohorts.add_title' }, t('cohorts.add_title')),
      form) : null));

  load();

  function addSessionRow(focus) {
    const date = h('input', { type: 'text', class: 'session-date', testid: 'session-date', 'data-field': 'sessions.date', 'aria-label': t('cohorts.session_date') });
    const hours = h('input', { type: 'text', class: 'session-hours', testid: 'session-hours', value: '4', maxlength: '2', 'aria-label': t('fields.hours') });
    asDate(date);
    asNumber(hours);
    const remove = h('button', {
      type: 'button', class: 'btn btn-small btn-quiet', testid: 'session-remove', title: t('cohorts.remove_session'),
      'aria-label': t('cohorts.remove_session'),
      on: {
        click: () => {
          const rows = [...sessionRows.children];
          if (rows.length <= 1) { date.value = ''; date.focus(); return; }
          const i = rows.indexOf(li);
          li.remove();
          renumber();
          const next = sessionRows.children[Math.min(i, sessionRows.children.length - 1)];
          next?.querySelector('[data-testid="session-date"]')?.focus();
        },
      },
    }, '×');
    const li = h('li', { class: 'session-row', testid: 'session-row' },
      h('span', { class: 'session-no num' }), date,
      h('span', { class: 'muted', 'data-i18n': 'cohorts.hours_short' }, t('cohorts.hours_short')), hours, remove);
    // A new row continues the previous one: the next day, the same hours.
    const last = sessionRows.lastElementChild;
    if (last) {
      const prevInput = last.querySelector('[data-testid="session-date"]');
      const prevHours = last.querySelector('[data-testid="session-hours"]').value;
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(parseDate(prevInput.value) || '');
      if (m) {
        // Both shown as the language writes them, so the two rows read alike.
        setDate(prevInput, m[0]);
        setDate(date, new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1)).toISOString().slice(0, 10));
      }
      if (prevHours) hours.value = prevHours;
    }
    sessionRows.append(li);
    renumber();
    if (focus) date.focus();
  }

  function renumber() {
    [...sessionRows.children].forEach((li, i) => { li.querySelector('.session-no').textContent = `${i + 1}.`; });
  }

  function fillCourses() {
    if (!fields.course_id) return;
    const select = fields.course_id.input;
    const value = select.value;
    clear(select);
    select.append(option('', t('cohorts.choose_course')));
    for (const c of courses.filter((x) => !x.archived_at)) select.append(option(String(c.id), `#${c.id} ${courseName(c)}`));
    select.value = [...select.options].some((o) => o.value === value) ? value : '';
    if (!select.value && courses.length === 1) select.value = String(courses[0].id);
  }

  function load() {
    return loadTable({
      table, failure, current: () => alive,
      fetch: () => Promise.all([api.cohortsList(), api.coursesList()]),
      show: ([list, cs]) => {
        cohorts = Array.isArray(list) ? list : [];
        courses = Array.isArray(cs) ? cs : [];
        fillCourses();
        renderRows();
      },
    });
  }

  function renderRows() {
    clear(tbody);
    const byId = new Map(courses.map((c) => [c.id, c]));
    const sorted = [...cohorts].sort((a, b) => String(b.starts_on).localeCompare(String(a.starts_on)) || b.id - a.id);
    for (const c of sorted) tbody.append(row(c, byId.get(c.course_id)));
    count.textContent = cohorts.length ? t('cohorts.count', { count: cohorts.length }) : '';
    empty.hidden = cohorts.length > 0;
    empty.textContent = t(!courses.length && write ? 'cohorts.empty_no_course' : write ? 'cohorts.empty_start' : 'cohorts.empty');
  }

  function row(c, course) {
    const full = c.enrolled >= c.capacity;
    return h('tr', { testid: 'cohort-row', 'data-id': c.id },
      h('td', { class: 'col-course' },
        h('a', { class: 'strong row-link', href: `#/cohort/${c.id}`, testid: 'cohort-open' }, course ? courseName(course) : `#${c.course_id}`),
        h('div', { class: 'sub' }, t('cohorts.number', { id: c.id }))),
      h('td', { class: 'num nowrap' }, `${formatDate(c.starts_on)} – ${formatDate(c.ends_on)}`),
      h('td', null, c.place || ''),
      h('td', null, c.trainer || ''),
      h('td', { class: 'num' }, h('span', { class: ['places', full ? 'is-full' : null], testid: 'cohort-enrolled' }, `${c.enrolled ?? 0} / ${c.capacity ?? ''}`)));
  }

  function readInput() {
    const input = {};
    for (const f of FIELDS) {
      const el = fields[f].input;
      input[f] = f === 'starts_on' || f === 'ends_on' ? dateValue(el) : el.value.trim();
    }
    input.capacity = String(intValue(input.capacity));
    input.sessions = [...sessionRows.children].map((li) => ({
      date: dateValue(li.querySelector('[data-testid="session-date"]')),
      hours: li.querySelector('[data-testid="session-hours"]').value.trim(),
    })).filter((s) => s.date || s.hours);
    return input;
  }

  async function add() {
    const saved = await submitForm({
      button: submitBtn, message, problems, fields, alive: () => alive,
      save: async () => {
        markSessions(null);
        try { return await api.cohortsAdd(readInput()); } catch (err) { markSessions(err); throw err; }
      },
      focus: fields.course_id.input,
    });
    if (!saved) return;
    ctx.toast(t('cohorts.added', { id: saved.id }), 'success');
    ctx.navigate(`#/cohort/${saved.id}`);
  }

  /** The core names a session's problem without its row: mark the rows it means (a date
   *  unreadable or outside the cohort, hours out of range), not every session input. */
  function markSessions(err) {
    const fieldsOf = new Set(((err && err.problems) || []).map((p) => String(p.field || '').replace(/^input\./, '')));
    const starts = readDate(fields.starts_on.input);
    const ends = readDate(fields.ends_on.input);
    for (const li of sessionRows.children) {
      const date = li.querySelector('[data-testid="session-date"]');
      const hours = li.querySelector('[data-testid="session-hours"]');
      const d = readDate(date);
      const badDate = fieldsOf.has('sessions.date')
        && (!/^\d{4}-\d{2}-\d{2}$/.test(d) || (/^\d{4}-/.test(starts) && d < starts) || (/^\d{4}-/.test(ends) && d > ends));
      const n = Number(hours.value.trim());
      const badHours = fieldsOf.has('sessions.hours') && !(Number.isInteger(n) && n >= 1 && n <= 12);
      for (const [el, bad] of [[date, badDate], [hours, badHours]]) {
        if (bad) el.setAttribute('aria-invalid', 'true'); else el.removeAttribute('aria-invalid');
      }
    }
  }

  function resetForm() {
    if (!form) return;
    for (const f of FIELDS) if (f !== 'course_id') fields[f].input.value = '';
    fields.capacity.input.value = '20';
    clear(sessionRows);
    addSessionRow(false);
    problems.clear();
    message.hidden = true;
    fields.course_id.input.focus();
  }

  return {
    onLanguage() { fillCourses(); renderRows(); },
    unmount() { alive = false; },
  };
}
