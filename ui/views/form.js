// The worker form, for adding and for editing. Saving first asks the core to check the
// input (workers_check): errors block, warnings turn the button into "Save anyway".
// Whatever goes wrong, the typed input stays in the fields.
import * as api from '../api.js';
import * as reference from '../reference.js';
import { t } from '../i18n.js';
import { h, clear, option } from '../dom.js';
import { latinName } from './format.js';
import { asDate, dateValue, checkDates, formatDate } from '../lib/dates.js';
import { consentFields, CONSENT_FIELDS } from './consent.js';
import { errorText } from '../lib/errors.js';


const SECTIONS = [
  { key: 'form.section_names', hint: 'form.hint_names', fields: ['last_name', 'first_name', 'patronymic'] },
  { key: 'form.section_cyrillic', hint: 'form.hint_cyrillic', fields: ['last_name_cyrillic', 'first_name_cyrillic', 'patronymic_cyrillic'] },
  { key: 'form.section_identity', hint: 'form.hint_identity', fields: ['pinfl', 'birth_date', 'sex'] },
  { key: 'form.section_passport', fields: ['passport_number', 'passport_issued', 'passport_expiry'] },
  { key: 'form.section_contact', fields: ['phone', 'region', 'destination_country', 'notes'] },
];

export const FIELDS = SECTIONS.flatMap((s) => s.fields);
/** What the core refuses to save without (the birth date and sex come from the PINFL). */
const REQUIRED_FIELDS = new Set(['last_name', 'first_name', 'pinfl', 'passport_number', 'passport_issued', 'passport_expiry', 'region']);
const DATE_FIELDS = new Set(['birth_date', 'passport_issued', 'passport_expiry']);
// Problems of the consent come back on `consent` and `consent.given_on` and so on.
const CONSENT_PROBLEM_FIELDS = ['consent', ...CONSENT_FIELDS.map((f) => `consent.${f}`)];
/** data-testid of the error shown beside `field`: dots become hyphens. */
const errorTestid = (field) => `error-${field.replace(/\./g, '-')}`;

export function formView(root, params, ctx) {
  const editId = params.id;
  let alive = true;
  let worker = null;             // the stored worker when editing
  let mode = 'check';            // 'check' | 'anyway' (only warnings left)
  let busy = false;
  let lastPinflChecked = '';
  let pinflCheck = null;          // the PINFL check in flight, awaited before saving
  const autofilled = new Map();   // field → value filled from the PINFL, until the user touches it
  const inputs = {};

  const title = h('h1', { class: 'page-title' });
  // The summary is in the DOM only while it has something to say.
  const summary = h('div', { class: 'form-message', testid: 'form-message', role: 'alert', tabindex: '-1' });
  const saveBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'save-worker' },
    h('span', { 'data-i18n': 'form.save' }, t('form.save')));
  const anywayBtn = h('button', { type: 'submit', class: 'btn btn-warning', testid: 'save-anyway', hidden: true },
    h('span', { 'data-i18n': 'form.save_anyway' }, t('form.save_anyway')));
  const cancelBtn = h('button', { type: 'button', class: 'btn', testid: 'cancel-form' },
    h('span', { 'data-i18n': 'form.cancel' }, t('form.cancel')));
  const pinflNote = h('p', { class: 'field-note', hidden: true, 'data-i18n': 'form.pinfl_filled' }, t('form.pinfl_filled'));

  const form = h('form', { class: 'worker-form', testid: 'worker-form', novalidate: true, autocomplete: 'off' });
  for (const section of SECTIONS) {
    const grid = h('div', { class: 'field-grid' });
    for (const name of section.fields) grid.append(fieldBlock(name));
    form.append(h('fieldset', { class: 'form-section' },
      h('legend', { 'data-i18n': section.key }, t(section.key)),
      section.hint ? h('p', { class: 'section-hint', 'data-i18n': section.hint }, t(section.hint)) : null,
      grid,
      section.fields.includes('pinfl') ? pinflNote : null));
  }
  // A new worker needs his consent (docs/accounts.md); an existing one's is managed on
  // the worker page.
  const consent = editId == null ? consentFields({
    idPrefix: 'f-consent',
    testid: (f) => `field-consent-${f}`,
    errorTestid: (f) => errorTestid(`consent.${f}`),
  }) : null;
  if (consent) {
    consent.setDefaults();
    form.append(h('fieldset', { class: 'form-section consent-section', 'data-field': 'consent' },
      h('legend', { 'data-i18n': 'form.section_consent' }, t('form.section_consent')),
      h('p', { class: 'section-hint', 'data-i18n': 'form.hint_consent' }, t('form.hint_consent')),
      consent.element,
      h('div', { class: 'error-slot', 'data-error-testid': errorTestid('consent') })));
  }
  form.append(h('div', { class: 'form-actions' }, saveBtn, anywayBtn, cancelBtn,
    h('span', { class: 'kbd-hint', 'data-i18n': 'form.keys_hint' }, t('form.keys_hint'))));

  const head = h('div', { class: 'page-head' }, title);
  root.append(h('section', { class: 'form-page' }, head, form));
  renderTitle();
  fillOptions();

  if (editId != null) {
    form.setAttribute('aria-busy', 'true');
    loadWorker().then(() => { if (alive) inputs.last_name.focus(); });
  } else {
    inputs.last_name.focus();
  }

  // ---- field construction
  function fieldBlock(name) {
    const id = `f-${name}`;
    let control;
    if (name === 'sex' || name === 'region' || name === 'destination_country') {
      control = h('select', { id, name, testid: `field-${name}` });
    } else if (name === 'notes') {
      control = h('textarea', { id, name, testid: `field-${name}`, rows: '3', spellcheck: 'true' });
    } else {
      control = h('input', { id, name, type: 'text', testid: `field-${name}`, spellcheck: 'false', autocomplete: 'off' });
      if (DATE_FIELDS.has(name)) {
        asDate(control);
      } else if (name === 'pinfl') {
        control.setAttribute('inputmode', 'numeric');
        control.setAttribute('maxlength', '20');
        control.classList.add('input-mono');
      } else if (name === 'passport_number') {
        control.classList.add('input-mono', 'input-upper');
        control.setAttribute('maxlength', '20');
      } else if (name === 'phone') {
        control.setAttribute('type', 'tel');
        control.setAttribute('placeholder', '+998 90 123 45 67');
      } else if (name.endsWith('_cyrillic')) {
        control.setAttribute('lang', 'uz-Cyrl');
      }
    }
    control.setAttribute('aria-describedby', `e-${name}`);
    inputs[name] = control;
    if (REQUIRED_FIELDS.has(name)) control.setAttribute('aria-required', 'true');
    return h('div', { class: ['field', `field-${name}`, REQUIRED_FIELDS.has(name) ? 'is-required' : null], 'data-field': name },
      h('label', { for: id, 'data-i18n': `fields.${name}` }, t(`fields.${name}`)),
      control,
      h('div', { class: 'error-slot', id: `e-${name}` }));
  }

  function fillOptions() {
    const keep = (name) => inputs[name].value;
    const sex = keep('sex');
    clear(inputs.sex);
    inputs.sex.append(option('', t('form.choose')), option('M', t('sex.M')), option('F', t('sex.F')));
    inputs.sex.value = sex;

    fillRef(inputs.region, reference.regions(), keep('region'), 'form.choose_region');
    fillRef(inputs.destination_country, reference.countries(), keep('destination_country'), 'form.choose_country');
  }

  function fillRef(select, items, value, placeholderKey) {
    clear(select);
    select.append(option('', t(placeholderKey)));
    for (const item of items) select.append(option(item.code, item.name));
    if (value && !items.some((i) => i.code === value)) select.append(option(value, value));
    select.value = value || '';
  }

  function renderTitle() {
    if (editId == null) title.textContent = t('form.title_new');
    else title.textContent = t('form.title_edit', { id: editId, name: worker ? latinName(worker) : '' });
  }

  // ---- loading and values
  /** Load the stored worker into the fields; false (and the error shown) when it failed. */
  async function loadWorker() {
    try {
      worker = await api.workersGet(editId);
    } catch (err) {
      if (!alive) return false;
      showSummary({ kind: 'error', text: errorText(err) });
      return false;
    } finally {
      form.removeAttribute('aria-busy');
    }
    if (!alive) return false;
    setValues(worker);
    renderTitle();
    return true;
  }

  function setValues(w) {
    for (const name of FIELDS) {
      const value = w[name] == null ? '' : String(w[name]);
      const el = inputs[name];
      if (el.tagName === 'SELECT' && value && ![...el.options].some((o) => o.value === value)) {
        el.append(option(value, value));
      }
      el.value = DATE_FIELDS.has(name) ? formatDate(value) : value;
    }
    lastPinflChecked = digits(inputs.pinfl.value);
  }

  function collect() {
    const input = {};
    // Dates go as YYYY-MM-DD; those that cannot be read throw (said like the core's problems).
    checkDates([...DATE_FIELDS].map((name) => inputs[name]).concat(consent ? [consent.inputs.given_on, consent.inputs.valid_until] : []));
    for (const name of FIELDS) input[name] = DATE_FIELDS.has(name) ? dateValue(inputs[name]) : inputs[name].value;
    if (consent) input.consent = consent.read();
    return input;
  }

  /** The control a problem on `field` belongs to (for `consent`: its first field). */
  function controlOf(field) {
    if (inputs[field]) return inputs[field];
    if (!consent || !field) return null;
    if (field === 'consent') return consent.inputs.given_on;
    const m = /^consent\.(\w+)$/.exec(field);
    return m ? consent.inputs[m[1]] || null : null;
  }

  /** The element holding `field` and its error slot. */
  function wrapOf(field) {
    if (!field || !(inputs[field] || controlOf(field))) return null;
    return [...form.querySelectorAll('[data-field]')].find((el) => el.dataset.field === field) || null;
  }

  // ---- problems
  function clearProblems() {
    for (const slot of form.querySelectorAll('.error-slot')) clear(slot);
    for (const f of form.querySelectorAll('.has-error, .has-warning')) f.classList.remove('has-error', 'has-warning');
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  }

  function showFieldProblems(name, problems) {
    const wrap = wrapOf(name);
    const slot = wrap && wrap.querySelector(':scope > .error-slot');
    if (!slot) return false;
    const control = name === 'consent' ? null : controlOf(name);
    clear(slot);
    wrap.classList.remove('has-error', 'has-warning');
    if (control) control.removeAttribute('aria-invalid');
    if (!problems.length) return true;
    const isError = problems.some((p) => p.severity !== 'warning');
    wrap.classList.add(isError ? 'has-error' : 'has-warning');
    if (isError && control) control.setAttribute('aria-invalid', 'true');
    slot.append(h('div', { class: `field-error ${isError ? 'is-error' : 'is-warning'}`, testid: slot.dataset.errorTestid || errorTestid(name) },
      problems.map((p) => h('div', { class: 'problem-line' }, p.message || p.code))));
    return true;
  }

  /** Show problems beside their fields (the summary lists them all, those without a field too). */
  function showProblems(problems) {
    clearProblems();
    const byField = new Map();
    for (const p of problems) {
      if (!wrapOf(p.field)) continue;
      if (!byField.has(p.field)) byField.set(p.field, []);
      byField.get(p.field).push(p);
    }
    for (const [name, list] of byField) showFieldProblems(name, list);
  }

  function showSummary({ kind, text, problems = [], links = [], actions = [] }) {
    clear(summary);
    summary.className = `form-message is-${kind}`;
    summary.append(h('p', { class: 'summary-title' }, text));
    if (problems.length) {
      const list = h('ul', { class: 'summary-list' });
      for (const p of problems) {
        const item = h('li', { class: p.severity === 'warning' ? 'is-warning' : 'is-error' });
        if (controlOf(p.field)) {
          item.append(h('button', { type: 'button', class: 'link', 'data-focus': p.field }, p.message || p.code));
        } else item.append(p.message || p.code);
        list.append(item);
      }
      summary.append(list);
    }
    if (links.length || actions.length) {
      summary.append(h('div', { class: 'summary-actions' },
        links.map((l) => h('a', { class: 'link', href: `#/worker/${l.id}`, testid: l.testid || 'open-existing', 'data-id': l.id }, l.label)),
        actions));
    }
    if (!summary.isConnected) head.after(summary);
  }

  function hideSummary() {
    clear(summary);
    summary.remove();
  }

  summary.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-focus]');
    if (b && controlOf(b.dataset.focus)) controlOf(b.dataset.focus).focus();
  });

  function setMode(next) {
    mode = next;
    saveBtn.hidden = next === 'anyway';
    anywayBtn.hidden = next !== 'anyway';
  }

  /**
   * Links to the workers the problems point at: the holder of a PINFL or passport
   * (`existing_id`, testid `open-existing`), then each possible duplicate (testid
   * `duplicate-candidate`). The duplicates come from the `possible_duplicate` problem's own
   * `candidates`, else from the top-level `candidates` of the check result or error (`top`).
   * Each worker once, never the one being edited.
   */
  function workerLinks(problems, top) {
    const links = [];
    const seen = new Set();
    const add = (id, label, testid) => {
      if (id == null || Number(id) === editId || seen.has(Number(id))) return;
      seen.add(Number(id));
      links.push({ id, label, testid });
    };
    const holders = (problems || []).map((p) => p && p.existing_id);
    if (top) holders.push(top.existing_id);
    for (const id of holders) if (id != null) add(id, t('form.open_worker', { id }), 'open-existing');
    const own = (problems || []).flatMap((p) => (p && Array.isArray(p.candidates) ? p.candidates : []));
    const candidates = own.length ? own : (top && Array.isArray(top.candidates) ? top.candidates : []);
    for (const c of candidates) {
      if (!c || c.id == null) continue;
      add(c.id, t('form.candidate', { id: c.id, name: c.name || '', birth_date: formatDate(c.birth_date) || '' }), 'duplicate-candidate');
    }
    return links;
  }

  // ---- saving
  async function submit() {
    if (busy) return;
    busy = true;
    form.setAttribute('aria-busy', 'true');
    if (pinflCheck) await pinflCheck;
    if (!alive) return;
    try {
      let input;
      try { input = collect(); } catch (err) { showFailure(err); return; }
      if (mode === 'anyway') {
        await save(input, true);
        return;
      }
      let check;
      try {
        check = await api.workersCheck(input, editId ?? undefined);
      } catch (err) {
        if (alive) showFailure(err);
        return;
      }
      if (!alive) return;
      const problems = check.problems || [];
      const errors = problems.filter((p) => p.severity !== 'warning');
      showProblems(problems);
      if (errors.length) {
        setMode('check');
        showSummary({ kind: 'error', text: t('form.has_errors', { count: errors.length }), problems, links: workerLinks(problems, check) });
        focusFirstProblem(errors);
        return;
      }
      if (problems.length) {
        setMode('anyway');
        showSummary({ kind: 'warning', text: t('form.has_warnings'), problems, links: workerLinks(problems, check) });
        anywayBtn.focus();
        return;
      }
      await save(input, false);
    } finally {
      busy = false;
      if (alive) form.removeAttribute('aria-busy');
    }
  }

  /** Create or update; `acknowledged` means the user has seen the warnings already. */
  async function save(input, acknowledged) {
    let result;
    try {
      result = editId == null
        ? await api.workersCreate(input)
        : await api.workersUpdate(editId, worker ? worker.version : 0, input);
    } catch (err) {
      if (alive) showFailure(err);
      return;
    }
    const saved = result.worker || result;
    const warnings = acknowledged ? [] : (result.warnings || []).map((w) => w.message || w.code);
    const msg = editId == null
      ? t('form.created', { id: saved.id, name: latinName(saved) })
      : t('form.saved', { id: saved.id });
    ctx.toast(warnings.length ? `${msg} ${t('form.saved_with_warnings', { warnings: warnings.join('; ') })}` : msg, 'success');
    ctx.navigate(`#/worker/${saved.id}`);
  }

  function showFailure(err) {
    setMode('check');
    const problems = err.problems || [];
    if (err.field && wrapOf(err.field) && !problems.some((p) => p.field === err.field)) {
      problems.push({ field: err.field, code: err.code, severity: 'error', message: err.message });
    }
    showProblems(problems);
    const links = workerLinks(problems, err);
    const actions = [];
    if (err.code === 'conflict') {
      actions.push(h('button', { type: 'button', class: 'btn btn-small', testid: 'reload-worker', on: { click: reloadAfterConflict } },
        t('form.reload')));
    }
    const text = err.code === 'validation' && problems.length
      ? (err.message || t('errors.validation'))
      : (err.message || t(`errors.${err.code}`));
    showSummary({ kind: 'error', text, problems: problems.filter((p) => p.message !== text), links, actions });
    if (problems.length) focusFirstProblem(problems); else summary.focus();
  }

  async function reloadAfterConflict() {
    hideSummary();
    clearProblems();
    if (await loadWorker()) ctx.toast(t('form.reloaded'), 'success');
    else if (alive) summary.focus();
  }

  function focusFirstProblem(problems) {
    const order = consent ? [...FIELDS, ...CONSENT_PROBLEM_FIELDS] : FIELDS;
    const first = order.find((name) => controlOf(name) && problems.some((p) => p.field === name));
    if (first) controlOf(first).focus(); else summary.focus();
  }

  // ---- PINFL: fill birth date and sex from it
  function pinflTyped() {
    const d = digits(inputs.pinfl.value);
    if (d.length !== 14 || d === lastPinflChecked) return;
    lastPinflChecked = d;
    const mine = fillFromPinfl(d).finally(() => { if (pinflCheck === mine) pinflCheck = null; });
    pinflCheck = mine;
  }

  async function fillFromPinfl(d) {
    let check;
    try {
      check = await api.workersCheck(collect(), editId ?? undefined);
    } catch (err) {
      // Saving checks again (and shows its own failure); say now why nothing was filled.
      if (alive && digits(inputs.pinfl.value) === d && err.code !== 'unauthenticated') {
        ctx.toast(t('form.pinfl_check_failed', { message: errorText(err) }), 'error');
      }
      if (lastPinflChecked === d) lastPinflChecked = ''; // the same PINFL may be checked again
      return;
    }
    if (!alive || digits(inputs.pinfl.value) !== d) return;
    showFieldProblems('pinfl', (check.problems || []).filter((p) => p.field === 'pinfl'));
    const derived = check.derived;
    if (!derived) return;
    let filled = false;
    // Fill a field that is empty, or still holds what an earlier PINFL filled in.
    const fillable = (name) => !inputs[name].value.trim() || inputs[name].value === autofilled.get(name);
    for (const name of ['birth_date', 'sex']) {
      if (!derived[name] || !fillable(name)) continue;
      const shown = name === 'birth_date' ? formatDate(derived[name]) : derived[name];
      inputs[name].value = shown;
      autofilled.set(name, shown);
      showFieldProblems(name, []);
      filled = true;
    }
    pinflNote.hidden = !filled;
  }

  // ---- events
  form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  form.addEventListener('keydown', (e) => {
    overtypeAutofilled(e);
    if (e.key !== 'Enter' || e.isComposing) return;
    const tag = e.target.tagName;
    if (tag === 'TEXTAREA' && !(e.ctrlKey || e.metaKey)) return;
    if (tag === 'BUTTON' || tag === 'A') return;
    e.preventDefault();
    submit();
  });
  form.addEventListener('input', (e) => {
    const name = e.target.name;
    if (mode === 'anyway') setMode('check');
    if (name === 'sex') autofilled.delete('sex');
    if (name === 'pinfl') { pinflNote.hidden = true; pinflTyped(); }
  });
  cancelBtn.addEventListener('click', cancel);
  summary.addEventListener('click', (e) => {
    const a = e.target.closest('a[href^="#/worker/"]');
    if (a) { e.preventDefault(); ctx.navigate(a.getAttribute('href')); }
  });

  // A value filled from the PINFL is a suggestion: typing a character into the untouched
  // field replaces it instead of appending to it; any other key keeps it for editing.
  function overtypeAutofilled(e) {
    const name = e.target.name;
    if (e.target.tagName !== 'INPUT' || !autofilled.has(name)) return;
    if (['Tab', 'Shift', 'Enter', 'Escape'].includes(e.key)) return;
    const printable = e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey;
    if (printable && e.target.value === autofilled.get(name)) e.target.value = '';
    autofilled.delete(name);
  }

  function cancel() {
    ctx.navigate(editId == null ? '#/' : `#/worker/${editId}`);
  }

  return {
    onLanguage() {
      renderTitle();
      fillOptions();
      if (consent) consent.relabel();
    },
    onEscape() { cancel(); return true; },
    unmount() { alive = false; },
  };
}

function digits(s) {
  return String(s || '').replace(/\D/g, '');
}
