// Over 600 lines: the cohort page (grid, scores, results, printing) in one view; ui/lib/ and the split of issue 10 take it apart.
// One cohort: its header, enrolment of workers (search the roster, pick, enrol; each
// refusal told), the attendance grid (trainees × sessions, filled with the keyboard, each
// cell saved at once), the exam scores, results with their reasons, and certificates:
// issue them, print the cohort (progress, cancel, open).
//
// Grid keys: arrows move, Home/End jump in the row, Space or Enter marks present (again:
// absent), `a` or Delete marks absent, `p` present; in a score box Enter saves and moves
// down, arrows Up/Down move between scores, Esc puts the saved score back.
import * as api from '../api.js';
import * as session from '../session.js';
import { t } from '../i18n.js';
import { h, clear, debounce } from '../dom.js';
import { statusBadge, formatDate, shortDate } from './format.js';
import { errorText } from '../lib/errors.js';
import { courseName, resultBadge, reasonText, printPanel, workerName } from './training.js';

export function cohortView(root, params, ctx) {
  const id = params.id;
  let alive = true;
  let cohort = null;
  const write = session.canWrite();
  const isAlive = () => alive;
  // Attendance saves run one after another; the view the core sends back after the last
  // one is the truth, the cells in between show what was typed.
  let queue = Promise.resolve();
  let pending = 0;

  const container = h('section', { class: 'page cohort-page', testid: 'cohort-page', 'aria-busy': 'true' });
  root.append(container);

  const gridMessage = h('p', { class: 'inline-error', role: 'alert', testid: 'attendance-error', hidden: true });
  const issueResult = h('div', { class: 'issue-result', testid: 'issue-result', hidden: true });
  const printer = write ? printPanel({ ctx, isAlive, testid: 'print' }) : null;
  const enrol = write ? enrolPanel() : null;
  const tableWrap = h('div', { class: 'table-wrap grid-wrap' });
  const head = h('div', { class: 'cohort-head' });
  const singleFile = h('input', { type: 'checkbox', id: 'print-single-file', testid: 'print-single-file', checked: true });

  load(true);

  async function load(initial) {
    let c;
    try {
      c = await api.cohortsGet(id);
    } catch (err) {
      if (!alive) return;
      container.removeAttribute('aria-busy');
      clear(container);
      container.append(backLink(), h('p', { class: 'notice is-error', role: 'alert', testid: 'cohort-error' }, errorText(err)));
      return;
    }
    if (!alive) return;
    cohort = c;
    if (initial) {
      renderPage();
      // Ready for the keyboard: the grid when there are trainees, else the enrolment search.
      const first = tableWrap.querySelector('td.cell');
      if (first && write) first.focus();
      else container.querySelector('[data-testid="enrol-search"]')?.focus();
    } else { renderHead(); renderGrid(); }
  }

  function backLink() {
    return h('a', { class: 'btn btn-quiet back-link', href: '#/cohorts', testid: 'back-to-cohorts' },
      h('span', { 'aria-hidden': 'true' }, '← '), t('cohort.back'));
  }

  function renderPage() {
    container.removeAttribute('aria-busy');
    clear(container);
    renderHead();
    renderGrid();
    const issueBtn = h('button', { type: 'button', class: 'btn btn-primary', testid: 'issue-certificates', on: { click: issue } },
      t('cohort.issue'));
    const printBtn = h('button', { type: 'button', class: 'btn', testid: 'print-cohort', on: { click: printCohort } }, t('cohort.print'));
    append(container,
      head,
      enrol ? enrol.element : null,
      h('div', { class: 'card grid-card' },
        h('div', { class: 'card-head' },
          h('h2', { class: 'card-title' }, t('cohort.attendance_title')),
          h('span', { class: 'kbd-hint grid-keys', testid: 'grid-keys' }, write ? t('cohort.grid_keys') : '')),
        tableWrap,
        gridMessage,
        write ? h('div', { class: 'card-actions cert-actions' },
          issueBtn, printBtn,
          h('label', { class: 'check', for: 'print-single-file' }, singleFile, h('span', null, t('cohort.single_file')))) : null,
        issueResult,
        printer ? printer.element : null));
  }

  function append(parent, ...children) {
    for (const c of children) if (c) parent.append(c);
  }

  function renderHead() {
    clear(head);
    const c = cohort;
    const course = c.course || {};
    const full = c.enrolled >= c.capacity;
    head.append(
      h('div', { class: 'cohort-titles' },
        backLink(),
        h('h1', { class: 'page-title', testid: 'cohort-title' }, courseName(course)),
        h('div', { class: 'meta' },
          h('span', { class: 'worker-id' }, t('cohorts.number', { id: c.id })),
          h('span', { class: 'num', testid: 'cohort-dates' }, `${formatDate(c.starts_on)} – ${formatDate(c.ends_on)}`),
          h('span', { class: ['places', full ? 'is-full' : null], testid: 'cohort-enrolled-count' },
            t('cohort.enrolled_of', { enrolled: c.enrolled ?? (c.trainees || []).length, capacity: c.capacity })))),
      h('dl', { class: 'field-list cohort-facts' },
        fact('fields.place', c.place),
        fact('fields.trainer', c.trainer),
        fact('cohort.total_hours', String(c.total_hours ?? '')),
        fact('fields.pass_mark', String(course.pass_mark ?? '')),
        fact('fields.min_attendance_percent', `${course.min_attendance_percent ?? ''}%`),
        fact('fields.validity_months', String(course.validity_months ?? ''))));
  }

  function fact(key, value) {
    return h('div', { class: 'dl-row' }, h('dt', null, t(key)), h('dd', null, value || t('common.none')));
  }

  // ================================================================ the grid

  const today = () => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  };

  function renderGrid() {
    const focus = document.activeElement && tableWrap.contains(document.activeElement)
      ? { row: document.activeElement.closest('tr')?.dataset.worker, col: document.activeElement.dataset.col } : null;
    clear(tableWrap);
    const sessions = cohort.sessions || [];
    const trainees = cohort.trainees || [];
    if (!trainees.length) {
      tableWrap.append(h('div', { class: 'roster-empty', testid: 'trainees-empty' }, t(write ? 'cohort.empty_start' : 'cohort.empty')));
      return;
    }
    const now = today();
    const headRow = h('tr', null,
      h('th', { scope: 'col', class: 'col-trainee' }, t('cohort.col_trainee')),
      sessions.map((s, j) => h('th', { scope: 'col', class: ['col-session', s.held_on > now ? 'is-future' : null], 'data-session': s.id },
        h('div', { class: 'session-head num', title: formatDate(s.held_on) }, shortDate(s.held_on)),
        h('div', { class: 'sub num' }, t('cohort.hours_n', { hours: s.hours })),
        write && s.held_on <= now ? h('button', {
          type: 'button', class: 'btn-link all-present', testid: 'all-present', 'data-col': j, tabindex: '-1',
          title: t('cohort.all_present_title', { date: formatDate(s.held_on) }), on: { click: () => allPresent(s) },
        }, t('cohort.all_present')) : null)),
      h('th', { scope: 'col', class: 'col-pct' }, t('cohort.col_attendance')),
      h('th', { scope: 'col', class: 'col-score' }, t('fields.score')),
      h('th', { scope: 'col', class: 'col-result' }, t('cohort.col_result')),
      h('th', { scope: 'col', class: 'col-cert' }, t('cohort.col_certificate')));
    const tbody = h('tbody');
    trainees.forEach((tr, i) => tbody.append(traineeRow(tr, i, sessions, now)));
    const table = h('table', { class: 'data-table attendance-grid', testid: 'attendance-grid', role: 'grid', 'aria-label': t('cohort.attendance_title') },
      h('thead', null, headRow), tbody);
    table.addEventListener('keydown', onGridKey);
    table.addEventListener('click', onGridClick);
    table.addEventListener('focusin', onGridFocus);
    tableWrap.append(table);
    // One cell is in the tab order: the first of the grid (or where the focus was).
    const first = table.querySelector('td.cell');
    if (first) first.tabIndex = 0;
    if (focus && focus.row != null) {
      const el = table.querySelector(`tr[data-worker="${focus.row}"] [data-col="${focus.col}"]`);
      if (el) el.focus();
    }
  }

  function traineeRow(tr, i, sessions, now) {
    const cells = sessions.map((s, j) => {
      const value = (tr.attendance || [])[j];
      const future = s.held_on > now;
      return h('td', {
        class: ['cell', future ? 'is-future' : null], role: 'gridcell', tabindex: '-1',
        testid: 'attendance-cell', 'data-row': i, 'data-col': j, 'data-session': s.id,
        'aria-disabled': !write || future ? 'true' : null,
      });
    });
    const score = h('input', {
      type: 'text', class: 'score-input input-num', testid: 'score-input', inputmode: 'numeric', maxlength: '3',
      'data-row': i, 'data-col': sessions.length, value: tr.score == null ? '' : String(tr.score), disabled: !write,
      'aria-label': t('cohort.score_for', { name: tr.name }),
    });
    score.dataset.saved = score.value;
    const row = h('tr', { testid: 'trainee-row', 'data-worker': tr.worker_id, 'data-index': i },
      h('th', { scope: 'row', class: 'col-trainee' },
        h('a', { href: `#/worker/${tr.worker_id}`, class: 'trainee-name', testid: 'trainee-name', tabindex: '-1' }, tr.name || `#${tr.worker_id}`),
        tr.name_cyrillic ? h('div', { class: 'name-cyrillic', lang: 'uz-Cyrl' }, tr.name_cyrillic) : null,
        // Namesakes are common: the birth date tells them apart.
        tr.birth_date ? h('div', { class: 'sub num trainee-birth', testid: 'trainee-birth' }, t('cohort.born', { date: formatDate(tr.birth_date) })) : null),
      cells,
      h('td', { class: 'col-pct num', testid: 'attendance-percent' }),
      h('td', { class: 'col-score' }, score),
      h('td', { class: 'col-result', testid: 'trainee-result' }),
      h('td', { class: 'col-cert', testid: 'trainee-certificate' }));
    fillRow(row, tr);
    return row;
  }

  /** Puts a trainee's values into his row (cells, %, result, certificate), in place. */
  function fillRow(row, tr) {
    const cells = row.querySelectorAll('td.cell');
    cells.forEach((cell, j) => {
      if (cell.classList.contains('is-saving')) return;
      setCell(cell, (tr.attendance || [])[j]);
    });
    const pct = row.querySelector('[data-testid="attendance-percent"]');
    const percent = tr.attendance_percent;
    // Nothing is wrong before the course is over: no red while sessions are still ahead,
    // and no percentage before the first session.
    const now = today();
    const sessions = cohort.sessions || [];
    const ahead = sessions.some((s) => s.held_on > now);
    const held = sessions.some((s) => s.held_on <= now);
    pct.textContent = percent == null || !held ? t('common.none') : `${Math.round(Number(percent) * 10) / 10}%`;
    pct.classList.toggle('is-low', tr.result === 'fail' && (tr.reasons || []).includes('attendance_low'));
    const score = row.querySelector('[data-testid="score-input"]');
    const saved = tr.score == null ? '' : String(tr.score);
    if (document.activeElement !== score || score.value === score.dataset.saved) score.value = saved;
    score.dataset.saved = saved;
    const result = row.querySelector('[data-testid="trainee-result"]');
    clear(result);
    result.append(resultBadge(tr.result, 'result-badge'));
    const reasons = (tr.reasons || []).filter((r) => !(ahead && r === 'attendance_low' && tr.result !== 'fail')).map(reasonText);
    if (reasons.length && tr.result !== 'pass') {
      result.append(h('div', { class: ['result-reasons', tr.result === 'fail' ? 'is-fail' : null], testid: 'result-reasons' }, reasons.join('; ')));
    }
    const cert = row.querySelector('[data-testid="trainee-certificate"]');
    clear(cert);
    if (tr.certificate) {
      cert.append(h('a', { class: 'mono cert-link', href: `#/certificates?q=${encodeURIComponent(tr.certificate)}`, testid: 'certificate-number', tabindex: '-1' }, tr.certificate));
    } else if (tr.eligible) {
      cert.append(h('span', { class: 'badge badge-eligible', testid: 'eligible' }, t('cohort.eligible')));
    } else {
      cert.append(h('span', { class: 'muted' }, t('common.none')));
    }
    row.dataset.result = tr.result || '';
  }

  function setCell(cell, value) {
    const state = value === true ? 'present' : value === false ? 'absent' : 'none';
    cell.dataset.state = state;
    cell.textContent = state === 'present' ? '✓' : state === 'absent' ? '✗' : '·';
    const s = (cohort.sessions || [])[Number(cell.dataset.col)];
    cell.setAttribute('aria-label', `${s ? formatDate(s.held_on) : ''}: ${t(`cohort.state_${state}`)}`);
  }

  /** Every row from a fresh view of the cohort (the grid keeps its DOM and focus). */
  function applyView(view) {
    const sameShape = cohort && view && (view.sessions || []).length === (cohort.sessions || []).length
      && (view.trainees || []).length === (cohort.trainees || []).length;
    cohort = view;
    const table = tableWrap.querySelector('table');
    if (!sameShape || !table) { renderGrid(); renderHead(); return; }
    for (const tr of view.trainees || []) {
      const row = table.querySelector(`tr[data-worker="${tr.worker_id}"]`);
      if (row) fillRow(row, tr); else { renderGrid(); break; }
    }
    renderHead();
  }

  const cellAt = (row, col) => tableWrap.querySelector(`tbody tr[data-index="${row}"] [data-col="${col}"]`);

  function moveTo(el) {
    if (!el) return;
    for (const c of tableWrap.querySelectorAll('td.cell[tabindex="0"]')) if (c !== el) c.tabIndex = -1;
    if (el.classList.contains('cell')) el.tabIndex = 0;
    el.focus();
    if (el.tagName === 'INPUT') el.select();
  }

  function onGridFocus(e) {
    const el = e.target;
    if (!el.classList || !el.classList.contains('cell')) return;
    for (const c of tableWrap.querySelectorAll('td.cell[tabindex="0"]')) if (c !== el) c.tabIndex = -1;
    el.tabIndex = 0;
  }

  function onGridClick(e) {
    const cell = e.target.closest('td.cell');
    if (!cell) return;
    moveTo(cell);
    if (write) mark(cell, cell.dataset.state !== 'present');
  }

  function onGridKey(e) {
    if (e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return;
    const el = e.target;
    const isCell = el.classList && el.classList.contains('cell');
    const isScore = el.dataset && el.dataset.testid === 'score-input';
    if (!isCell && !isScore) return;
    const row = Number(el.dataset.row);
    const col = Number(el.dataset.col);
    const rows = (cohort.trainees || []).length;
    const cols = (cohort.sessions || []).length; // the score box is column `cols`
    const go = (r, c) => { e.preventDefault(); moveTo(cellAt(Math.max(0, Math.min(rows - 1, r)), Math.max(0, Math.min(cols, c)))); };
    if (isScore) {
      if (e.key === 'Enter') { e.preventDefault(); saveScore(el, true); }
      else if (e.key === 'ArrowDown') { saveScore(el, false); go(row + 1, col); }
      else if (e.key === 'ArrowUp') { saveScore(el, false); go(row - 1, col); }
      else if (e.key === 'ArrowLeft' && el.selectionStart === 0 && el.selectionEnd === 0 && cols > 0) go(row, col - 1);
      else if (e.key === 'Escape' && el.value !== el.dataset.saved) { e.preventDefault(); e.stopPropagation(); el.value = el.dataset.saved; }
      return;
    }
    switch (e.key) {
      case 'ArrowRight': go(row, col + 1); break;
      case 'ArrowLeft': go(row, col - 1); break;
      case 'ArrowDown': go(row + 1, col); break;
      case 'ArrowUp': go(row - 1, col); break;
      case 'Home': go(row, 0); break;
      case 'End': go(row, cols - 1); break;
      case ' ': case 'Enter':
        e.preventDefault();
        if (write) mark(el, el.dataset.state !== 'present');
        break;
      case 'a': case 'A': case 'Delete': case 'Backspace':
        e.preventDefault();
        if (write) mark(el, false);
        break;
      case 'p': case 'P':
        e.preventDefault();
        if (write) mark(el, true);
        break;
      default: break;
    }
  }

  /** Marks one cell present/absent at once and saves it (in order with the others). */
  function mark(cell, present) {
    if (cell.classList.contains('is-future')) {
      showGridMessage(t('cohort.future_session'));
      return;
    }
    const before = cell.dataset.state;
    const want = present ? 'present' : 'absent';
    if (before === want && !cell.classList.contains('is-saving')) return;
    setCell(cell, present);
    cell.classList.add('is-saving');
    const row = cell.closest('tr');
    const workerId = Number(row.dataset.worker);
    const sessionId = Number(cell.dataset.session);
    pending += 1;
    gridMessage.hidden = true;
    queue = queue.then(async () => {
      let view = null;
      let failure = null;
      try {
        view = await api.trainingAttend(id, sessionId, [workerId], present);
      } catch (err) {
        failure = err;
      }
      pending -= 1;
      if (!alive) return;
      if (cell.dataset.state === want) cell.classList.remove('is-saving');
      if (failure) {
        // Put back what was saved, and say why.
        const index = Number(row.dataset.index);
        const tr = (cohort.trainees || [])[index];
        cell.classList.remove('is-saving');
        setCell(cell, tr ? (tr.attendance || [])[Number(cell.dataset.col)] : null);
        showGridMessage(errorText(failure));
        return;
      }
      cohort = view;
      if (pending === 0) applyView(view);
    });
  }

  async function allPresent(s) {
    const ids = (cohort.trainees || []).map((tr) => tr.worker_id);
    if (!ids.length) return;
    pending += 1;
    queue = queue.then(async () => {
      let view = null;
      try {
        view = await api.trainingAttend(id, s.id, ids, true);
      } catch (err) {
        pending -= 1;
        if (alive) showGridMessage(errorText(err));
        return;
      }
      pending -= 1;
      if (!alive) return;
      cohort = view;
      if (pending === 0) applyView(view);
    });
  }

  function showGridMessage(text) {
    gridMessage.textContent = text;
    gridMessage.hidden = !text;
  }

  /** Saves a changed score; `next` moves the focus to the next row's score box. */
  async function saveScore(input, next) {
    const row = input.closest('tr');
    const index = Number(row.dataset.index);
    const value = input.value.trim();
    if (next) {
      const below = cellAt(index + 1, input.dataset.col);
      if (below) moveTo(below);
    }
    if (value === input.dataset.saved) return;
    input.classList.add('is-saving');
    input.removeAttribute('aria-invalid');
    input.title = '';
    row.classList.remove('has-error');
    let trainee;
    try {
      trainee = await api.trainingScore(id, Number(row.dataset.worker), value);
    } catch (err) {
      if (!alive) return;
      input.classList.remove('is-saving');
      input.setAttribute('aria-invalid', 'true');
      row.classList.add('has-error');
      const text = errorText(err);
      input.title = text;
      const p = (err.problems || [])[0];
      showGridMessage(t('cohort.score_refused', { name: row.querySelector('.trainee-name')?.textContent || '', message: p ? (p.message || p.code) : text }));
      return;
    }
    if (!alive) return;
    input.classList.remove('is-saving');
    gridMessage.hidden = true;
    const list = cohort.trainees || [];
    const at = list.findIndex((x) => x.worker_id === trainee.worker_id);
    if (at >= 0) list[at] = { ...list[at], ...trainee };
    input.dataset.saved = trainee.score == null ? '' : String(trainee.score);
    if (document.activeElement !== input) input.value = input.dataset.saved;
    fillRow(row, at >= 0 ? list[at] : trainee);
  }

  // ================================================================ certificates

  async function issue(e) {
    const button = e.currentTarget;
    button.disabled = true;
    // Scores typed but not yet saved go first.
    for (const input of tableWrap.querySelectorAll('[data-testid="score-input"]')) {
      if (input.value.trim() !== input.dataset.saved) await saveScore(input, false);
    }
    await queue;
    let out;
    try {
      out = await api.certificatesIssue(id);
    } catch (err) {
      button.disabled = false;
      if (!alive) return;
      showIssue(null, err);
      return;
    }
    button.disabled = false;
    if (!alive) return;
    showIssue(out, null);
    await load(false);
  }

  function nameOf(workerId) {
    const tr = (cohort.trainees || []).find((x) => x.worker_id === workerId);
    return tr ? tr.name : `#${workerId}`;
  }

  function showIssue(out, err) {
    clear(issueResult);
    issueResult.hidden = false;
    if (err) {
      issueResult.append(h('p', { class: 'inline-error', role: 'alert', testid: 'issue-error' }, errorText(err)));
      return;
    }
    const issued = out.issued || [];
    const refused = out.refused || [];
    issueResult.append(h('p', { class: ['issue-summary', issued.length ? 'is-ok' : null], testid: 'issue-summary', role: 'status' },
      t('cohort.issue_summary', { issued: issued.length, refused: refused.length })));
    if (issued.length) {
      issueResult.append(h('ul', { class: 'issue-list', testid: 'issued-list' }, issued.map((c) => h('li', { testid: 'issued' },
        h('a', { class: 'mono', href: `#/certificates?q=${encodeURIComponent(c.number)}` }, c.number), ' ', c.worker_name || nameOf(c.worker_id)))));
    }
    if (refused.length) {
      issueResult.append(h('ul', { class: 'issue-list is-refused', testid: 'refused-list' }, refused.map((r) => h('li', { testid: 'refused', 'data-worker': r.worker_id, 'data-code': r.code },
        h('span', { class: 'strong' }, nameOf(r.worker_id)), ': ', r.message || r.code))));
    }
  }

  function printCohort() {
    printer.start({ cohortId: id, singleFile: singleFile.checked });
  }

  // ================================================================ enrolment

  function enrolPanel() {
    const search = h('input', {
      type: 'search', class: 'search-input', id: 'enrol-search', testid: 'enrol-search', autocomplete: 'off', spellcheck: 'false',
      placeholder: t('cohort.enrol_placeholder'), 'aria-label': t('cohort.enrol_placeholder'),
      'data-i18n-placeholder': 'cohort.enrol_placeholder', 'data-i18n-aria-label': 'cohort.enrol_placeholder',
    });
    const results = h('ul', { class: 'enrol-results', testid: 'enrol-results' });
    const chosen = new Map(); // id → name
    const chosenList = h('div', { class: 'enrol-chosen', testid: 'enrol-chosen', 'aria-live': 'polite' });
    const enrolBtn = h('button', { type: 'button', class: 'btn btn-primary', testid: 'enrol-submit', disabled: true, on: { click: submit } });
    const outcome = h('div', { class: 'enrol-outcome', testid: 'enrol-outcome', hidden: true });
    let seq = 0;
    const element = h('div', { class: 'card enrol-card', testid: 'enrol-card' },
      h('h2', { class: 'card-title', 'data-i18n': 'cohort.enrol_title' }, t('cohort.enrol_title')),
      h('div', { class: 'toolbar' }, h('div', { class: 'search-wrap' }, search)),
      results,
      h('div', { class: 'card-actions' }, enrolBtn, chosenList),
      outcome);
    renderChosen();

    const find = debounce(async () => {
      const mine = ++seq;
      const text = search.value.trim();
      if (!text) { clear(results); return; }
      let answer;
      try {
        answer = await api.workersList({ search: text, limit: 12, offset: 0, sort: 'name' });
      } catch (err) {
        if (!alive || mine !== seq) return;
        clear(results);
        results.append(h('li', { class: 'inline-error' }, errorText(err)));
        return;
      }
      if (!alive || mine !== seq) return;
      renderResults(Array.isArray(answer.items) ? answer.items : []);
    }, 200);
    search.addEventListener('input', find);
    search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); find.flush(); }
      else if (e.key === 'ArrowDown') { e.preventDefault(); results.querySelector('input')?.focus(); }
    });
    results.addEventListener('keydown', (e) => {
      const boxes = [...results.querySelectorAll('input[type="checkbox"]')];
      const i = boxes.indexOf(e.target);
      if (i < 0) return;
      if (e.key === 'ArrowDown') { e.preventDefault(); boxes[Math.min(i + 1, boxes.length - 1)].focus(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); if (i === 0) search.focus(); else boxes[i - 1].focus(); }
      else if (e.key === 'Enter') { e.preventDefault(); submit(); }
    });

    function renderResults(items) {
      clear(results);
      const enrolled = new Set((cohort.trainees || []).map((x) => x.worker_id));
      if (!items.length) { results.append(h('li', { class: 'muted', testid: 'enrol-none' }, t('cohort.enrol_none'))); return; }
      for (const w of items) {
        const name = workerName(w);
        const already = enrolled.has(w.id);
        const box = h('input', {
          type: 'checkbox', id: `enrol-${w.id}`, testid: 'enrol-pick', 'data-id': w.id,
          checked: already || chosen.has(w.id), disabled: already || w.archived,
        });
        box.addEventListener('change', () => {
          if (box.checked) chosen.set(w.id, name); else chosen.delete(w.id);
          renderChosen();
        });
        results.append(h('li', { class: ['enrol-result', already ? 'is-enrolled' : null], testid: 'enrol-result', 'data-id': w.id },
          h('label', { for: `enrol-${w.id}`, class: 'check' }, box,
            h('span', { class: 'strong' }, name),
            h('span', { class: 'sub num' }, w.pinfl || ''),
            statusBadge(w.status, w.status_name),
            w.destination_country ? h('span', { class: 'sub' }, w.country_name || w.destination_country) : null,
            already ? h('span', { class: 'sub' }, t('cohort.already_here')) : null)));
      }
    }

    function renderChosen() {
      clear(chosenList);
      enrolBtn.disabled = chosen.size === 0;
      enrolBtn.textContent = t('cohort.enrol_submit', { count: chosen.size });
      for (const [wid, name] of chosen) {
        chosenList.append(h('span', { class: 'tag chosen-tag' }, name,
          h('button', {
            type: 'button', class: 'tag-remove', 'aria-label': t('cohort.unpick', { name }), title: t('cohort.unpick', { name }),
            on: { click: () => { chosen.delete(wid); const b = results.querySelector(`input[data-id="${wid}"]`); if (b) b.checked = false; renderChosen(); } },
          }, '×')));
      }
    }

    async function submit() {
      if (!chosen.size || enrolBtn.disabled) return;
      enrolBtn.disabled = true;
      const ids = [...chosen.keys()];
      const names = new Map(chosen);
      let out;
      try {
        out = await api.trainingEnroll(id, ids);
      } catch (err) {
        if (!alive) return;
        renderChosen();
        clear(outcome);
        outcome.hidden = false;
        outcome.append(h('p', { class: 'inline-error', role: 'alert', testid: 'enrol-error' }, errorText(err)));
        return;
      }
      if (!alive) return;
      chosen.clear();
      renderChosen();
      clear(outcome);
      outcome.hidden = false;
      const enrolled = out.enrolled || [];
      const refused = out.refused || [];
      if (enrolled.length) outcome.append(h('p', { class: 'enrol-ok', testid: 'enrol-ok', role: 'status' }, t('cohort.enrolled_n', { count: enrolled.length })));
      if (refused.length) {
        outcome.append(h('ul', { class: 'issue-list is-refused', testid: 'enrol-refused' }, refused.map((r) => h('li', { testid: 'enrol-refusal', 'data-worker': r.worker_id, 'data-code': r.code },
          h('span', { class: 'strong' }, names.get(r.worker_id) || `#${r.worker_id}`), ': ', r.message || r.code))));
      }
      await load(false);
      find.flush();
      search.focus();
      search.select();
    }

    return { element, cancel: () => find.cancel(), relabel: () => { renderChosen(); find.flush(); } };
  }

  return {
    onLanguage() {
      if (cohort) renderPage();
      if (enrol) enrol.relabel();
    },
    unmount() {
      alive = false;
      if (printer) printer.stop();
      if (enrol) enrol.cancel();
    },
  };
}
