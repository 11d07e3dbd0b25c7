// Shared pieces of the training and certificate screens: course names in the UI language,
// the module codes, result and certificate badges, SVG previews as data URLs (CSP allows
// `img-src data:` only) and the print-job panel (start, poll every 250 ms, cancel, open).
import * as api from '../api.js';
import * as reference from '../reference.js';
import { t, language, has } from '../i18n.js';
import { h, clear } from '../dom.js';
import { errorText } from '../lib/errors.js';


const NAME_FIELD = { 'uz-Latn': 'name_uz', 'uz-Cyrl': 'name_uz_cyrl', ru: 'name_ru', en: 'name_en' };

/** A course's name in the UI language (Uzbek Latin when that one is empty). */
export function courseName(course) {
  if (!course) return '';
  return course[NAME_FIELD[language()] || 'name_uz'] || course.name_uz || course.name_en || `#${course.id}`;
}

/** A certificate's course name in the UI language (the register carries all four). */
export function certificateCourse(c) {
  return courseName({
    id: c.cohort_id,
    name_uz: c.course_name,
    name_uz_cyrl: c.course_name_uz_cyrl,
    name_ru: c.course_name_ru,
    name_en: c.course_name_en,
  });
}

export const moduleName = (code) => (reference.modules().includes(code) ? t(`modules.${code}`) : code);

/** The codes of a course's modules / countries (the list, else the comma text). */
export const listOf = (list, text) => (Array.isArray(list) ? list : String(text || '').split(',').map((s) => s.trim()).filter(Boolean));

/** "pass" / "fail" / "pending" as a coloured badge. */
export function resultBadge(result, testid) {
  const code = ['pass', 'fail', 'pending'].includes(result) ? result : 'pending';
  return h('span', { class: `badge result-${code}`, testid, 'data-result': code }, t(`cohort.result_${code}`));
}

/** The translated reason of a fail (`attendance_low`, `score_low`, `score_missing`). */
export const reasonText = (code) => (has(`training.reason_${code}`) ? t(`training.reason_${code}`) : code);

/** "valid" / "revoked" as a badge. */
export function certStatusBadge(status, testid) {
  const code = status === 'revoked' ? 'revoked' : status === 'valid' ? 'valid' : 'unknown';
  return h('span', { class: `badge cert-${code}`, testid, 'data-status': status || '' },
    code === 'unknown' ? String(status || '') : t(`certs.status_${code}`));
}

/** An SVG text as a `data:image/svg+xml;base64,…` URL (the UTF-8 bytes, base64). */
export function svgDataUrl(svg) {
  const bytes = new TextEncoder().encode(String(svg || ''));
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** A worker's full Latin name from a workers_list item. */
export const workerName = (w) => [w.last_name, w.first_name, w.patronymic].filter(Boolean).join(' ');

/**
 * The print panel: `start({numbers} | {cohortId}, singleFile)` asks the core for a print
 * job, then polls its status every 250 ms (each poll is an async call: the window stays
 * usable), showing a <progress>, a Cancel button, and when done the file(s) and "Open".
 * `stop()` ends the polling (on leaving the screen); the job itself goes on in the core.
 */
export function printPanel({ ctx, isAlive, testid = 'print' }) {
  let job = null;
  let timer = null;
  let busy = false;
  const progress = h('progress', { class: 'print-progress', testid: `${testid}-progress`, max: '1', value: '0' });
  const count = h('span', { class: 'print-count num', testid: `${testid}-count` });
  const state = h('span', { class: 'print-state', testid: `${testid}-state`, role: 'status' });
  const cancel = h('button', { type: 'button', class: 'btn btn-small', testid: `${testid}-cancel`, 'data-i18n': 'common.cancel', on: { click: cancelJob } }, t('common.cancel'));
  const open = h('button', { type: 'button', class: 'btn btn-small btn-primary', testid: `${testid}-open`, hidden: true, 'data-i18n': 'print.open', on: { click: openFile } }, t('print.open'));
  const paths = h('ul', { class: 'print-paths', testid: `${testid}-paths` });
  const error = h('p', { class: 'inline-error', role: 'alert', testid: `${testid}-error`, hidden: true });
  const element = h('div', { class: 'print-panel', testid: `${testid}-panel`, hidden: true },
    h('div', { class: 'print-line' }, h('span', { class: 'print-title', 'data-i18n': 'print.title' }, t('print.title')), progress, count, state, cancel, open),
    paths, error);

  async function start(args) {
    if (busy || (job && job.state === 'running')) return;
    busy = true;
    error.hidden = true;
    clear(paths);
    let answer;
    try {
      answer = await api.certificatesPrint(args);
    } catch (err) {
      busy = false;
      if (!isAlive()) return;
      element.hidden = false;
      job = null;
      render(null);
      error.textContent = errorText(err);
      error.hidden = false;
      return;
    }
    busy = false;
    if (!isAlive()) return;
    job = answer;
    element.hidden = false;
    render(job);
    element.scrollIntoView({ block: 'nearest' });
    schedule();
  }

  function schedule() {
    clearTimeout(timer);
    if (!job || job.state !== 'running') return;
    timer = setTimeout(poll, 250);
  }

  async function poll() {
    if (!job) return;
    try {
      job = await api.certificatesPrintStatus(job.id);
    } catch (err) {
      if (!isAlive()) return;
      error.textContent = errorText(err);
      error.hidden = false;
      schedule();
      return;
    }
    if (!isAlive()) return;
    render(job);
    schedule();
  }

  function render(j) {
    const total = j ? Number(j.total) || 0 : 0;
    const done = j ? Number(j.done) || 0 : 0;
    progress.max = Math.max(total, 1);
    progress.value = Math.min(done, progress.max);
    count.textContent = j ? t('print.count', { done, total }) : '';
    const code = j ? j.state : '';
    element.dataset.state = code || '';
    state.textContent = code && has(`print.state_${code}`) ? t(`print.state_${code}`) : (code || '');
    cancel.hidden = !j || code !== 'running';
    open.hidden = !j || code !== 'done' || !(j.paths || []).length;
    clear(paths);
    if (j && code === 'done') {
      for (const p of j.paths || []) paths.append(h('li', { class: 'mono', testid: `${testid}-path` }, p));
    }
    if (j && code === 'failed' && j.error) {
      error.textContent = j.error;
      error.hidden = false;
    }
  }

  async function cancelJob() {
    if (!job) return;
    cancel.disabled = true;
    try {
      job = await api.certificatesPrintCancel(job.id);
    } catch (err) {
      if (isAlive()) ctx.toast(errorText(err), 'error');
    }
    cancel.disabled = false;
    if (!isAlive()) return;
    render(job);
    schedule();
  }

  async function openFile() {
    if (!job) return;
    try {
      await api.certificatesPrintStatus(job.id, true);
    } catch (err) {
      if (isAlive()) ctx.toast(errorText(err), 'error');
    }
  }

  return {
    element,
    start,
    running: () => Boolean(job && job.state === 'running'),
    stop() { clearTimeout(timer); timer = null; },
  };
}

/** The tabs above the training screens: cohorts and courses. */
export function trainingTabs(active) {
  const tab = (id, href, key) => h('a', {
    class: 'tab', href, testid: `tab-${id}`, 'aria-current': active === id ? 'page' : null,
  }, h('span', { 'data-i18n': key }, t(key)));
  return h('nav', { class: 'tabs', 'data-i18n-aria-label': 'nav.training', 'aria-label': t('nav.training') },
    tab('cohorts', '#/cohorts', 'cohorts.title'), tab('courses', '#/courses', 'courses.title'));
}
