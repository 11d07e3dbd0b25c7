// Over 600 lines: the worker page's placement parts (contracts, journeys, fees, scans); issue 10 splits it into its parts.
// The placement sections of the worker page: his contracts (with the moves a contract
// allows and a warning when its terms differ from the job order), his journey (a timeline
// of status changes, contracts, departures and returns, with Depart / Return), and his
// fees (the ledger with totals). The cards and their forms are built once, so typed input
// survives the page being redrawn; a viewer gets no controls that change anything.
import * as api from '../api.js';
import * as session from '../session.js';
import { t } from '../i18n.js';
import { h, clear, option } from '../dom.js';
import { textField, selectField, problemsController } from './fields.js';
import { dash, formatDate } from './format.js';
import { jobLabel } from './jobs.js';
import {
  PAID_BY_FIELDS, CONTRACT_MOVES, REASON_MOVES, paidByItems, purposeItems, returnReasonItems, paidByName,
  purposeName, returnReasonName, fieldName, asCurrency, asDate, asNumber, dateValue, intValue, money, sumAmounts,
  termEnd, todayIso, contractStatusBadge, formKeys, keysHint, errorText, PAID_BY, showRefusal,
} from './placement.js';

const CONTRACT_FIELDS = ['job_order_id', 'number', 'signed_on', 'starts_on', 'ends_on', 'position', 'salary_amount',
  'salary_currency', 'hours_per_week', ...PAID_BY_FIELDS];
const CONTRACT_DATES = new Set(['signed_on', 'starts_on', 'ends_on']);
const FEE_FIELDS = ['paid_by', 'purpose', 'amount', 'currency', 'paid_on', 'receipt_number', 'reason'];
/** The button of each contract move. */
const MOVE_TESTID = {
  signed: 'contract-sign',
  registered: 'contract-register',
  active: 'contract-activate',
  completed: 'contract-complete',
  terminated: 'contract-terminate',
  cancelled: 'contract-cancel',
};
const MOVE_LABEL = {
  signed: 'contracts.sign',
  registered: 'contracts.register',
  active: 'contracts.activate',
  completed: 'contracts.complete',
  terminated: 'contracts.terminate',
  cancelled: 'contracts.cancel',
};

const alias = (name) => String(name || '').replace(/^input\./, '');

/** A promise's outcome as {value} or {error}. */
const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error }));

/**
 * `changed()` reloads the worker (his status may have moved) and redraws the page;
 * `isAlive()` is false once the page is left.
 */
export function placementSections({ id, ctx, isAlive, changed }) {
  const write = session.canWrite();
  let worker = null;
  let history = [];
  let contractFormOpen = false;
  let historyError = null;
  let contracts = [];
  let journeys = [];
  let fees = [];
  let jobs = [];
  const errors = { contracts: null, journeys: null, fees: null, jobs: null };
  let contractPanel = null;  // {contractId, status, element, focus()} while a register / reason form is open
  let journeyPanel = null;   // {kind: 'depart'|'return', element, focus()}

  const contractsCard = h('section', { class: 'card placement-card contracts-card', testid: 'worker-contracts' });
  const journeyCard = h('section', { class: 'card placement-card journey-card', testid: 'worker-journey' });
  const feesCard = h('section', { class: 'card placement-card fees-card', testid: 'worker-fees' });
  const contractForm = write ? buildContractForm() : null;
  const feeForm = write ? buildFeeForm() : null;

  async function load() {
    const [c, j, f, jb] = await Promise.all([
      settle(api.contractsList({ workerId: id })),
      settle(api.workersJourneys(id)),
      settle(api.feesList(id)),
      write ? settle(api.jobsList()) : Promise.resolve({ value: [] }),
    ]);
    if (!isAlive()) return;
    const take = (r, key, keep) => {
      if (r.error) { errors[key] = r.error; return keep; }
      errors[key] = null;
      return Array.isArray(r.value) ? r.value : [];
    };
    contracts = take(c, 'contracts', contracts);
    journeys = take(j, 'journeys', journeys);
    fees = take(f, 'fees', fees);
    jobs = take(jb, 'jobs', jobs);
    if (contractForm) contractForm.fillJobs();
  }

  /** Redraw the three cards for `w` (and his status history, for the timeline). */
  function render(w, hist, histError) {
    worker = w;
    history = Array.isArray(hist) ? hist : [];
    historyError = histError || null;
    renderContracts();
    renderJourney();
    renderFees();
  }

  const canChange = () => write && worker && !worker.archived;

  async function retry(button) {
    button.disabled = true;
    await load();
    if (!isAlive()) return;
    render(worker, history, historyError);
  }

  function loadError(err, testid) {
    return h('div', { class: 'inline-error trail-error', role: 'alert', testid },
      h('span', null, t('placement.load_error', { message: errorText(err) })), ' ',
      h('button', { type: 'button', class: 'btn btn-small', testid: `${testid}-retry`, on: { click: (e) => retry(e.currentTarget) } },
        t('auth.retry')));
  }

  // ================================================================ contracts

  function renderContracts() {
    clear(contractsCard);
    contractsCard.append(h('div', { class: 'card-head' },
      h('h2', { class: 'card-title' }, t('contracts.title')),
      contracts.length ? h('span', { class: 'muted card-count' }, String(contracts.length)) : null,
      // This worker's contracts as a register file (every role may export; it is audited).
      contracts.length ? h('button', {
        type: 'button', class: 'btn btn-small', testid: 'export-worker-contracts',
        on: { click: () => api.exportContracts({ workerId: id, format: 'xlsx' })
          .then((d) => ctx.toast(t('import.saved_to', { path: d.path }), 'success'))
          .catch((err) => ctx.toast(err && err.message ? err.message : String(err), 'error')) },
      }, t('import.export_xlsx')) : null));
    if (errors.contracts) contractsCard.append(loadError(errors.contracts, 'contracts-error'));
    const list = h('ol', { class: 'contract-list', testid: 'contract-list' });
    const sorted = [...contracts].sort((a, b) => String(b.signed_on || '').localeCompare(String(a.signed_on || '')) || b.id - a.id);
    for (const c of sorted) list.append(contractRow(c));
    if (sorted.length) contractsCard.append(list);
    else if (!errors.contracts) contractsCard.append(h('p', { class: 'muted', testid: 'contracts-empty' }, t('contracts.empty')));
    if (contractForm && canChange()) {
      // With a contract under way, a new one waits behind a button instead of a form.
      const underWay = contracts.some((c) => ['signed', 'registered', 'active'].includes(c.status));
      if (underWay && !contractFormOpen) {
        contractsCard.append(h('div', { class: 'card-actions' }, h('button', {
          type: 'button', class: 'btn btn-small', testid: 'contract-add-open',
          on: { click: () => { contractFormOpen = true; renderContracts(); contractsCard.querySelector('[data-testid="contract-add-job_order_id"]')?.focus(); } },
        }, t('contracts.add_open'))));
      } else {
        contractsCard.append(h('div', { class: 'subform' },
          h('h3', { class: 'subform-title' }, t('contracts.add_title')),
          contractForm.element));
      }
    }
  }

  function contractRow(c) {
    const flags = [...(c.mismatches || [])];
    const placeholders = [...(c.placeholders || [])];
    const row = h('li', { class: ['contract-row', flags.length || placeholders.length ? 'has-flags' : null], testid: 'contract-row', 'data-id': c.id, 'data-status': c.status || '' },
      h('div', { class: 'contract-head' },
        h('span', { class: 'contract-number', testid: 'contract-number' }, t('contracts.number', { number: c.number || '' })),
        contractStatusBadge(c.status, 'contract-status'),
        h('span', { class: 'contract-what' }, [c.employer_name, c.position].filter(Boolean).join(' · '))),
      h('dl', { class: 'field-list contract-terms' },
        term('fields.signed_on', dash(c.signed_on), 'num'),
        term('contracts.term', t('contracts.term_value', { from: formatDate(c.starts_on), to: formatDate(c.ends_on) }), 'num'),
        term('fields.salary_amount', money(c.salary_amount, c.salary_currency), 'num', 'contract-salary'),
        term('fields.hours_per_week', dash(c.hours_per_week), 'num'),
        term('contracts.paid_by', PAID_BY_FIELDS.map((f) => `${t(`jobs.short_${f}`)}: ${paidByName(c[f])}`).join(' · '), 'dl-wide-2'),
        term('contracts.registration', c.registration_number
          ? t('contracts.registration_value', { number: c.registration_number, date: formatDate(c.registered_on) })
          : t('contracts.not_registered'), null, 'contract-registration')),
      c.status_reason ? h('p', { class: 'entry-reason' }, `${t('fields.reason')}: ${c.status_reason}`) : null,
      flags.length || placeholders.length ? h('div', { class: 'contract-flags', role: 'note', testid: 'contract-flags' },
        h('span', { class: 'flag-icon', 'aria-hidden': 'true' }, '!'),
        h('div', null,
          flags.length ? h('p', null, t('contracts.mismatches'), ' ', fieldChips(flags)) : null,
          placeholders.length ? h('p', null, t('contracts.placeholders'), ' ', fieldChips(placeholders)) : null)) : null);
    if (canChange()) {
      const moves = CONTRACT_MOVES[c.status] || [];
      if (moves.length) {
        row.append(h('div', { class: 'card-actions contract-actions' }, moves.map((to) => h('button', {
          type: 'button',
          class: ['btn', 'btn-small', REASON_MOVES.has(to) ? 'btn-danger-outline' : (to === 'signed' || to === 'registered' ? 'btn-primary' : null)],
          testid: MOVE_TESTID[to],
          'aria-expanded': to === 'registered' || REASON_MOVES.has(to) ? String(Boolean(contractPanel && contractPanel.contractId === c.id && contractPanel.status === to)) : null,
          on: { click: (e) => moveClicked(c, to, e.currentTarget) },
        }, t(MOVE_LABEL[to])))));
      }
      if (contractPanel && contractPanel.contractId === c.id) row.append(contractPanel.element);
    }
    row.append(attachmentsBox(c));
    return row;
  }

  /** Scanned documents of a contract: the list (each opens in the system viewer) and,
   *  for admin and staff, a file picker; the core checks type and size by content. */
  function attachmentsBox(c) {
    const list = h('ul', { class: 'attachment-list', testid: 'attachment-list' });
    const note = h('p', { class: 'inline-error', role: 'alert', testid: 'attachment-error', hidden: true });
    const show = (items) => {
      clear(list);
      for (const a of items) {
        list.append(h('li', { testid: 'attachment', 'data-id': a.id },
          h('button', {
            type: 'button', class: 'btn-link', testid: 'attachment-open',
            on: { click: () => api.attachmentsOpen(a.id).catch((err) => ctx.toast(err && err.message ? err.message : String(err), 'error')) },
          }, a.original_name),
          h('span', { class: 'sub' }, ` ${String(a.kind).toUpperCase()} · ${Math.ceil(Number(a.size) / 1024)} KB`)));
      }
    };
    api.contractsAttachments(c.id).then(show).catch((err) => { note.textContent = err && err.message ? err.message : String(err); note.hidden = false; });
    const box = h('div', { class: 'attachments' }, h('h4', { class: 'subform-title' }, t('attachments.title')), list, note);
    if (canChange()) {
      const input = h('input', { type: 'file', accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png', testid: 'attachment-file' });
      input.addEventListener('change', () => {
        const file = input.files && input.files[0];
        if (!file) return;
        const reader = new FileReader();
        reader.onload = async () => {
          const data = String(reader.result).replace(/^data:[^,]*,/, '');
          note.hidden = true;
          try {
            await api.contractsAttach(c.id, file.name, data);
            show(await api.contractsAttachments(c.id));
            ctx.toast(t('attachments.added', { name: file.name }), 'success');
          } catch (err) {
            note.textContent = err && err.message ? err.message : String(err);
            note.hidden = false;
          }
          input.value = '';
        };
        reader.onerror = () => { note.textContent = t('attachments.unreadable'); note.hidden = false; };
        reader.readAsDataURL(file);
      });
      box.append(h('label', { class: 'btn btn-small attach-label' }, t('attachments.add'), input));
    }
    return box;
  }

  function term(key, value, cls, testid) {
    return h('div', { class: ['dl-row', cls === 'dl-wide-2' ? 'dl-wide-2' : null] },
      h('dt', null, t(key)), h('dd', { class: cls === 'num' ? 'num' : null, testid }, value));
  }

  function fieldChips(list) {
    return list.map((f, i) => [i ? ', ' : '', h('span', { class: 'flag-field', 'data-field': f }, fieldName(f))]);
  }

  function moveClicked(c, to, button) {
    if (to === 'registered') { openContractPanel(c, to, registerForm(c)); return; }
    if (REASON_MOVES.has(to)) { openContractPanel(c, to, reasonForm(c, to)); return; }
    setStatus(c, to, '', button);
  }

  function openContractPanel(c, to, panel) {
    if (contractPanel && contractPanel.contractId === c.id && contractPanel.status === to) { closeContractPanel(); return; }
    contractPanel = { contractId: c.id, status: to, ...panel };
    renderContracts();
    contractPanel.focus();
  }

  function closeContractPanel() {
    const was = contractPanel;
    contractPanel = null;
    renderContracts();
    if (was) contractsCard.querySelector(`[data-testid="contract-row"][data-id="${was.contractId}"] [data-testid="${MOVE_TESTID[was.status]}"]`)?.focus();
  }

  async function setStatus(c, to, reason, button) {
    if (button) button.disabled = true;
    let updated;
    try {
      updated = await api.contractsSetStatus(c.id, to, reason || undefined);
    } catch (err) {
      if (button) button.disabled = false;
      if (isAlive()) ctx.toast(errorText(err), 'error');
      return false;
    }
    if (!isAlive()) return true;
    contractPanel = null;
    ctx.toast(t('contracts.moved', { number: updated.number || c.number, status: t(`contract_status.${updated.status || to}`) }), 'success');
    await changed();
    focusContract(c.id);
    return true;
  }

  function focusContract(contractId) {
    const row = contractsCard.querySelector(`[data-testid="contract-row"][data-id="${contractId}"]`);
    if (!row) return;
    const button = row.querySelector('.contract-actions button');
    if (button) { button.focus(); return; }
    row.setAttribute('tabindex', '-1');
    row.focus();
  }

  /** The Labor-migration registration: number and date. */
  function registerForm(c) {
    const fields = {
      registration_number: textField({ field: 'registration_number', id: `contract-register-number-${c.id}`, testid: 'contract-register-number', label: 'contracts.register_number' }),
      registered_on: textField({ field: 'registered_on', id: `contract-register-date-${c.id}`, testid: 'contract-register-date', label: 'fields.registered_on' }),
    };
    asDate(fields.registered_on.input);
    fields.registered_on.input.value = todayIso();
    const problems = problemsController(fields, alias);
    const message = h('div', { class: 'inline-error', role: 'alert', testid: 'contract-register-error', hidden: true });
    const submitBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'contract-register-submit', 'data-i18n': 'contracts.register_submit' }, t('contracts.register_submit'));
    const cancelBtn = h('button', { type: 'button', class: 'btn', testid: 'contract-register-cancel', 'data-i18n': 'common.cancel', on: { click: closeContractPanel } }, t('common.cancel'));
    const form = h('form', { class: 'inline-panel', testid: 'contract-register-form', novalidate: true, autocomplete: 'off' },
      h('p', { class: 'panel-title', 'data-i18n': 'contracts.register_title', 'data-i18n-params': JSON.stringify({ number: c.number || '' }) }, t('contracts.register_title', { number: c.number || '' })),
      h('div', { class: 'field-grid grid-3' }, fields.registration_number.wrap, fields.registered_on.wrap),
      h('div', { class: 'card-actions' }, submitBtn, cancelBtn, keysHint()),
      message);
    const submit = async () => {
      if (submitBtn.disabled) return;
      problems.clear();
      message.hidden = true;
      const number = fields.registration_number.input.value.trim();
      const date = dateValue(fields.registered_on.input);
      submitBtn.disabled = true;
      let updated;
      try {
        updated = await api.contractsRegister(c.id, number, date);
      } catch (err) {
        submitBtn.disabled = false;
        if (!isAlive()) return;
        showRefusal(err, fields, problems, message);
        if (!problems.focusFirst()) fields.registration_number.input.focus();
        return;
      }
      if (!isAlive()) return;
      contractPanel = null;
      ctx.toast(t('contracts.registered_done', { number: updated.number || c.number }), 'success');
      await changed();
      focusContract(c.id);
    };
    formKeys(form, { submit, cancel: closeContractPanel });
    return { element: form, focus: () => fields.registration_number.input.focus() };
  }

  /** Cancel or terminate: the reason is required. */
  function reasonForm(c, to) {
    const field = textField({ field: 'reason', id: `contract-reason-${c.id}`, testid: 'contract-reason', label: 'fields.reason', errorTestid: 'error-contract-reason', wide: true });
    field.input.setAttribute('placeholder', t('detail.reason_placeholder'));
    field.input.setAttribute('data-i18n-placeholder', 'detail.reason_placeholder');
    const fields = { reason: field };
    const problems = problemsController(fields, alias);
    const message = h('div', { class: 'inline-error', role: 'alert', testid: 'contract-reason-error', hidden: true });
    const submitBtn = h('button', { type: 'submit', class: 'btn btn-danger', testid: 'contract-reason-submit', 'data-i18n': MOVE_LABEL[to] }, t(MOVE_LABEL[to]));
    const cancelBtn = h('button', { type: 'button', class: 'btn', testid: 'contract-reason-cancel', 'data-i18n': 'common.cancel', on: { click: closeContractPanel } }, t('common.cancel'));
    const form = h('form', { class: 'inline-panel is-danger', testid: 'contract-reason-form', 'data-status': to, novalidate: true, autocomplete: 'off' },
      h('p', { class: 'panel-title', 'data-i18n': `contracts.question_${to}`, 'data-i18n-params': JSON.stringify({ number: c.number || '' }) }, t(`contracts.question_${to}`, { number: c.number || '' })),
      field.wrap,
      h('div', { class: 'card-actions' }, submitBtn, cancelBtn, keysHint()),
      message);
    const submit = async () => {
      if (submitBtn.disabled) return;
      problems.clear();
      message.hidden = true;
      const reason = field.input.value.trim();
      if (!reason) { problems.set('reason', t('detail.reason_needed')); field.input.focus(); return; }
      submitBtn.disabled = true;
      let updated;
      try {
        updated = await api.contractsSetStatus(c.id, to, reason);
      } catch (err) {
        submitBtn.disabled = false;
        if (!isAlive()) return;
        showRefusal(err, fields, problems, message);
        field.input.focus();
        return;
      }
      if (!isAlive()) return;
      contractPanel = null;
      ctx.toast(t('contracts.moved', { number: updated.number || c.number, status: t(`contract_status.${updated.status || to}`) }), 'success');
      await changed();
      focusContract(c.id);
    };
    formKeys(form, { submit, cancel: closeContractPanel });
    return { element: form, focus: () => field.input.focus() };
  }

  /** The new-contract form; choosing a job order fills in its terms. */
  function buildContractForm() {
    const fields = {};
    for (const f of CONTRACT_FIELDS) {
      const opts = { field: f, id: `contract-add-${f}`, testid: `contract-add-${f}`, label: `fields.${f}` };
      if (PAID_BY_FIELDS.includes(f)) fields[f] = selectField(opts, paidByItems(), 'employer');
      else if (f === 'job_order_id') fields[f] = textField({ ...opts, wide: true, control: h('select', { id: opts.id, name: f, testid: opts.testid }) });
      else fields[f] = textField(opts);
      fields[f].wrap.classList.add('is-required');
      if (CONTRACT_DATES.has(f)) asDate(fields[f].input);
    }
    asNumber(fields.salary_amount.input, true);
    asNumber(fields.hours_per_week.input);
    asCurrency(fields.salary_currency.input);
    const problems = problemsController(fields, alias);
    const note = h('p', { class: 'field-note', testid: 'contract-add-note', hidden: true });
    const message = h('div', { class: 'inline-error', role: 'alert', testid: 'contract-add-error', hidden: true });
    const submitBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'contract-add-submit' }, h('span', { 'data-i18n': 'contracts.add_submit' }, t('contracts.add_submit')));
    const cancelBtn = h('button', { type: 'button', class: 'btn', testid: 'contract-add-cancel' }, h('span', { 'data-i18n': 'common.cancel' }, t('common.cancel')));
    const element = h('form', { class: 'placement-form contract-add-form', testid: 'contract-add-form', novalidate: true, autocomplete: 'off' },
      h('div', { class: 'field-grid grid-4' }, CONTRACT_FIELDS.map((f) => fields[f].wrap)),
      note,
      h('div', { class: 'card-actions' }, submitBtn, cancelBtn, keysHint()),
      message);
    let autoEnd = '';   // the end date we filled in, replaced while untouched
    const jobSelect = fields.job_order_id.input;
    const selectedJob = () => jobs.find((j) => String(j.id) === jobSelect.value) || null;

    function fillJobs() {
      const value = jobSelect.value;
      clear(jobSelect);
      jobSelect.append(h('option', { value: '', 'data-i18n': 'contracts.choose_job' }, t('contracts.choose_job')));
      const open = jobs.filter((j) => !j.status || j.status === 'open' || String(j.id) === value);
      // The worker's destination first, then by employer.
      const dest = worker && worker.destination_country;
      open.sort((a, b) => (b.country === dest) - (a.country === dest) || String(a.employer_name).localeCompare(String(b.employer_name)) || a.id - b.id);
      for (const j of open) jobSelect.append(option(String(j.id), jobLabel(j)));
      if (value && ![...jobSelect.options].some((o) => o.value === value)) jobSelect.append(option(value, `#${value}`));
      jobSelect.value = value;
      if (errors.jobs) { note.textContent = t('placement.load_error', { message: errorText(errors.jobs) }); note.hidden = false; }
    }

    function fillEnd() {
      const job = selectedJob();
      const start = dateValue(fields.starts_on.input);
      if (!job || !start) return;
      const end = termEnd(start, job.term_months);
      if (end && (!fields.ends_on.input.value.trim() || fields.ends_on.input.value === autoEnd)) {
        fields.ends_on.input.value = end;
        autoEnd = end;
      }
    }

    jobSelect.addEventListener('change', () => {
      const job = selectedJob();
      if (!job) { note.hidden = true; return; }
      fields.position.input.value = job.position || '';
      fields.salary_amount.input.value = job.salary_amount ?? '';
      fields.salary_currency.input.value = job.salary_currency || '';
      fields.hours_per_week.input.value = job.hours_per_week ?? '';
      for (const f of PAID_BY_FIELDS) if (PAID_BY.includes(job[f])) fields[f].input.value = job[f];
      fillEnd();
      note.textContent = t('contracts.filled_from_job', { id: job.id, months: job.term_months ?? '' });
      note.hidden = false;
    });
    fields.starts_on.input.addEventListener('focusout', fillEnd);

    function reset() {
      for (const f of CONTRACT_FIELDS) {
        const el = fields[f].input;
        el.value = PAID_BY_FIELDS.includes(f) ? 'employer' : '';
      }
      fields.signed_on.input.value = todayIso();
      autoEnd = '';
      note.hidden = true;
      problems.clear();
      message.hidden = true;
    }

    function read() {
      const input = { worker_id: id };
      for (const f of CONTRACT_FIELDS) {
        const el = fields[f].input;
        if (CONTRACT_DATES.has(f)) input[f] = dateValue(el);
        else if (f === 'job_order_id' || f === 'hours_per_week') input[f] = intValue(el.value);
        else if (f === 'salary_currency') input[f] = el.value.trim().toUpperCase();
        else input[f] = el.value.trim();
      }
      return input;
    }

    async function submit() {
      if (submitBtn.disabled) return;
      problems.clear();
      message.hidden = true;
      submitBtn.disabled = true;
      let saved;
      try {
        saved = await api.contractsAdd(read());
      } catch (err) {
        submitBtn.disabled = false;
        if (!isAlive()) return;
        showRefusal(err, fields, problems, message);
        if (!problems.focusFirst()) jobSelect.focus();
        return;
      }
      submitBtn.disabled = false;
      if (!isAlive()) return;
      const flagged = (saved.mismatches || []).length || (saved.placeholders || []).length;
      ctx.toast(t(flagged ? 'contracts.added_flagged' : 'contracts.added', { number: saved.number || '' }), flagged ? 'error' : 'success');
      reset();
      contractFormOpen = false;
      await changed();
      focusContract(saved.id);
    }

    formKeys(element, { submit, cancel: () => { reset(); jobSelect.focus(); } });
    cancelBtn.addEventListener('click', () => { reset(); jobSelect.focus(); });
    reset();
    fillJobs();
    return { element, fillJobs };
  }

  // ================================================================ journey

  function openJourney() {
    return [...journeys].reverse().find((j) => !j.returned_on) || null;
  }

  function renderJourney() {
    clear(journeyCard);
    const open = openJourney();
    const buttons = [];
    if (canChange() && !journeyPanel) {
      if (!open && worker.status !== 'departed') {
        buttons.push(h('button', { type: 'button', class: 'btn btn-small btn-primary', testid: 'depart-open', on: { click: () => openJourneyPanel('depart') } }, t('journey.depart')));
      }
      if (open || worker.status === 'departed' || errors.journeys) {
        buttons.push(h('button', { type: 'button', class: 'btn btn-small', testid: 'return-open', on: { click: () => openJourneyPanel('return') } }, t('journey.return')));
      }
    }
    journeyCard.append(h('div', { class: 'card-head' },
      h('h2', { class: 'card-title' }, t('journey.title')),
      buttons.length ? h('div', { class: 'card-head-actions' }, buttons) : null));
    if (open) {
      journeyCard.append(h('p', { class: 'journey-now', testid: 'journey-abroad' },
        t('journey.abroad_since', { date: open.departed_on || '' })));
    }
    if (canChange() && journeyPanel) journeyCard.append(journeyPanel.element);
    if (errors.journeys) journeyCard.append(loadError(errors.journeys, 'journeys-error'));
    if (historyError) journeyCard.append(h('p', { class: 'inline-error' }, t('detail.history_error', { message: errorText(historyError) })));
    const events = timeline();
    if (!events.length) {
      journeyCard.append(h('p', { class: 'muted', testid: 'journey-empty' }, t('journey.empty')));
      return;
    }
    const list = h('ol', { class: 'timeline journey-timeline', testid: 'journey-timeline' });
    for (const e of events) list.append(e.node);
    journeyCard.append(list);
  }

  /** Every dated step, newest first: status changes, contracts signed and registered, departures and returns. */
  function timeline() {
    const events = [];
    const RANK = { status: 0, contract_signed: 1, contract_registered: 2, departed: 3, returned: 4 };
    const entry = (kind, when, timeText, head, ...body) => events.push({
      kind, when,
      node: h('li', { class: `history-entry journey-entry kind-${kind}`, testid: 'journey-entry', 'data-kind': kind, 'data-date': when.slice(0, 10) },
        h('div', { class: 'entry-head' }, h('span', { class: 'entry-move' }, head),
          h('time', { class: 'entry-at', datetime: when }, formatDate(timeText))),
        body),
    });
    // The status moves are the history card's; the journey is the placement's own steps.
    for (const c of contracts) {
      const what = [c.employer_name, c.position].filter(Boolean).join(' · ');
      if (c.signed_on) {
        entry('contract_signed', c.signed_on, c.signed_on,
          h('span', { class: 'event-label' }, t('journey.ev_signed', { number: c.number || '' })),
          what ? h('p', { class: 'entry-reason' }, what) : null,
          h('p', { class: 'entry-actor' }, contractStatusBadge(c.status)));
      }
      if (c.registered_on) {
        entry('contract_registered', c.registered_on, c.registered_on,
          h('span', { class: 'event-label' }, t('journey.ev_registered', { number: c.number || '' })),
          c.registration_number ? h('p', { class: 'entry-reason' }, t('journey.reg_number', { number: c.registration_number })) : null);
      }
    }
    for (const j of journeys) {
      if (j.departed_on) {
        entry('departed', j.departed_on, j.departed_on,
          h('span', { class: 'event-label' }, t('journey.ev_departed')),
          j.route ? h('p', { class: 'entry-reason' }, `${t('fields.route')}: ${j.route}`) : null,
          j.border_crossing ? h('p', { class: 'entry-reason' }, `${t('fields.border_crossing')}: ${j.border_crossing}`) : null);
      }
      if (j.returned_on) {
        entry('returned', j.returned_on, j.returned_on,
          h('span', { class: 'event-label' }, t('journey.ev_returned')),
          j.return_reason ? h('p', { class: 'entry-reason' }, returnReasonName(j.return_reason)) : null);
      }
    }
    events.sort((a, b) => b.when.localeCompare(a.when) || RANK[b.kind] - RANK[a.kind]);
    return events;
  }

  function openJourneyPanel(kind) {
    journeyPanel = { kind, ...(kind === 'depart' ? departForm() : returnForm()) };
    renderJourney();
    journeyPanel.focus();
  }

  function closeJourneyPanel() {
    const was = journeyPanel && journeyPanel.kind;
    journeyPanel = null;
    renderJourney();
    journeyCard.querySelector(`[data-testid="${was === 'return' ? 'return-open' : 'depart-open'}"]`)?.focus();
  }

  function departForm() {
    const fields = {
      departed_on: textField({ field: 'departed_on', id: 'depart-date', testid: 'depart-date', label: 'fields.departed_on' }),
      route: textField({ field: 'route', id: 'depart-route', testid: 'depart-route', label: 'fields.route', placeholderKey: 'journey.route_placeholder' }),
      border_crossing: textField({ field: 'border_crossing', id: 'depart-border', testid: 'depart-border', label: 'fields.border_crossing' }),
    };
    asDate(fields.departed_on.input);
    fields.departed_on.input.value = todayIso();
    const problems = problemsController(fields, alias);
    const message = h('div', { class: 'inline-error', role: 'alert', testid: 'depart-error', hidden: true });
    const submitBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'depart-submit', 'data-i18n': 'journey.depart_submit' }, t('journey.depart_submit'));
    const cancelBtn = h('button', { type: 'button', class: 'btn', testid: 'depart-cancel', 'data-i18n': 'common.cancel', on: { click: closeJourneyPanel } }, t('common.cancel'));
    const form = h('form', { class: 'inline-panel', testid: 'depart-form', novalidate: true, autocomplete: 'off' },
      h('p', { class: 'panel-title', 'data-i18n': 'journey.depart_title' }, t('journey.depart_title')),
      h('div', { class: 'field-grid grid-3' }, fields.departed_on.wrap, fields.route.wrap, fields.border_crossing.wrap),
      h('div', { class: 'card-actions' }, submitBtn, cancelBtn, keysHint()),
      message);
    const submit = async () => {
      if (submitBtn.disabled) return;
      problems.clear();
      message.hidden = true;
      submitBtn.disabled = true;
      try {
        await api.workersDepart(id, dateValue(fields.departed_on.input), fields.route.input.value.trim(), fields.border_crossing.input.value.trim());
      } catch (err) {
        submitBtn.disabled = false;
        if (!isAlive()) return;
        showRefusal(err, fields, problems, message);
        if (!problems.focusFirst()) fields.departed_on.input.focus();
        return;
      }
      if (!isAlive()) return;
      journeyPanel = null;
      ctx.toast(t('journey.departed_done', { id }), 'success');
      await changed();
      journeyCard.querySelector('[data-testid="return-open"]')?.focus();
    };
    formKeys(form, { submit, cancel: closeJourneyPanel });
    return { element: form, focus: () => fields.departed_on.input.focus() };
  }

  function returnForm() {
    const fields = {
      returned_on: textField({ field: 'returned_on', id: 'return-date', testid: 'return-date', label: 'fields.returned_on' }),
      return_reason: selectField({ field: 'return_reason', id: 'return-reason', testid: 'return-reason', label: 'fields.return_reason' }, returnReasonItems(), ''),
    };
    asDate(fields.returned_on.input);
    fields.returned_on.input.value = todayIso();
    const problems = problemsController(fields, alias);
    const message = h('div', { class: 'inline-error', role: 'alert', testid: 'return-error', hidden: true });
    const submitBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'return-submit', 'data-i18n': 'journey.return_submit' }, t('journey.return_submit'));
    const cancelBtn = h('button', { type: 'button', class: 'btn', testid: 'return-cancel', 'data-i18n': 'common.cancel', on: { click: closeJourneyPanel } }, t('common.cancel'));
    const form = h('form', { class: 'inline-panel', testid: 'return-form', novalidate: true, autocomplete: 'off' },
      h('p', { class: 'panel-title', 'data-i18n': 'journey.return_title' }, t('journey.return_title')),
      h('div', { class: 'field-grid grid-3' }, fields.returned_on.wrap, fields.return_reason.wrap),
      h('div', { class: 'card-actions' }, submitBtn, cancelBtn, keysHint()),
      message);
    const submit = async () => {
      if (submitBtn.disabled) return;
      problems.clear();
      message.hidden = true;
      submitBtn.disabled = true;
      try {
        await api.workersReturn(id, dateValue(fields.returned_on.input), fields.return_reason.input.value);
      } catch (err) {
        submitBtn.disabled = false;
        if (!isAlive()) return;
        showRefusal(err, fields, problems, message);
        if (!problems.focusFirst()) fields.returned_on.input.focus();
        return;
      }
      if (!isAlive()) return;
      journeyPanel = null;
      ctx.toast(t('journey.returned_done', { id }), 'success');
      await changed();
      journeyCard.querySelector('[data-testid="depart-open"]')?.focus();
    };
    formKeys(form, { submit, cancel: closeJourneyPanel });
    return { element: form, focus: () => fields.returned_on.input.focus() };
  }

  // ================================================================ fees

  function renderFees() {
    clear(feesCard);
    // The printable cost statement (a PDF opened in the system viewer) for admin and staff.
    const statementBtn = canChange()
      ? h('button', {
        type: 'button', class: 'btn btn-small', testid: 'fees-statement',
        on: {
          click: async () => {
            try {
              const done = await api.feesStatement(id, true);
              ctx.toast(t('statement.printed', { path: done.path }), 'success');
            } catch (err) {
              ctx.toast(err && err.message ? err.message : String(err), 'error');
            }
          },
        },
      }, t('statement.print'))
      : null;
    feesCard.append(h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('fees.title')), statementBtn));
    if (errors.fees) feesCard.append(loadError(errors.fees, 'fees-error'));
    if (fees.length) {
      const tbody = h('tbody');
      const sorted = [...fees].sort((a, b) => String(b.paid_on || '').localeCompare(String(a.paid_on || '')) || b.id - a.id);
      for (const f of sorted) {
        tbody.append(h('tr', { testid: 'fee-row', 'data-id': f.id, 'data-paid-by': f.paid_by || '', 'data-purpose': f.purpose || '' },
          h('td', { class: 'num nowrap' }, dash(f.paid_on)),
          h('td', null, purposeName(f.purpose),
            f.reason ? h('div', { class: 'sub' }, f.reason) : null),
          h('td', null, h('span', { class: `badge payer-${PAID_BY.includes(f.paid_by) ? f.paid_by : 'unknown'}` }, paidByName(f.paid_by))),
          h('td', { class: 'num nowrap amount', testid: 'fee-amount' }, money(f.amount, f.currency)),
          h('td', { class: 'mono' }, dash(f.receipt_number),
            f.created_by ? h('div', { class: 'sub' }, t('detail.history_by', { actor: f.created_by })) : null)));
      }
      const heads = ['fields.paid_on', 'fields.purpose', 'fields.paid_by', 'fields.amount', 'fields.receipt_number'];
      feesCard.append(h('div', { class: 'table-wrap fees-table-wrap' },
        h('table', { class: 'data-table fees-table', testid: 'fees-table' },
          h('thead', null, h('tr', null, heads.map((k) => h('th', { scope: 'col', class: k === 'fields.amount' ? 'amount' : null }, t(k))))),
          tbody)));
      feesCard.append(totals());
    } else if (!errors.fees) {
      feesCard.append(h('p', { class: 'muted', testid: 'fees-empty' }, t('fees.empty')));
    }
    if (feeForm && canChange()) {
      feesCard.append(h('div', { class: 'subform' },
        h('h3', { class: 'subform-title' }, t('fees.add_title')),
        feeForm.element));
    }
  }

  /** Totals per payer and currency (amounts are summed exactly, as decimal strings). */
  function totals() {
    const groups = new Map();
    for (const f of fees) {
      const key = `${f.paid_by}\u0000${f.currency}`;
      if (!groups.has(key)) groups.set(key, { paid_by: f.paid_by, currency: f.currency, amounts: [] });
      groups.get(key).amounts.push(f.amount);
    }
    const order = (g) => (PAID_BY.indexOf(g.paid_by) + 1 || 9);
    const list = [...groups.values()].sort((a, b) => order(a) - order(b) || String(a.currency).localeCompare(String(b.currency)));
    return h('div', { class: 'fee-totals', testid: 'fee-totals' },
      h('span', { class: 'totals-label' }, t('fees.totals')),
      list.map((g) => {
        const sum = sumAmounts(g.amounts);
        return h('span', { class: `fee-total payer-${PAID_BY.includes(g.paid_by) ? g.paid_by : 'unknown'}`, testid: 'fee-total', 'data-paid-by': g.paid_by || '', 'data-currency': g.currency || '', 'data-amount': sum ?? '' },
          h('span', { class: 'total-payer' }, paidByName(g.paid_by)), ' ',
          h('span', { class: 'num total-amount' }, sum == null ? '?' : money(sum, g.currency)));
      }));
  }

  function buildFeeForm() {
    const fields = {};
    for (const f of FEE_FIELDS) {
      const opts = { field: f, id: `fee-add-${f}`, testid: `fee-add-${f}`, label: `fields.${f}` };
      if (f === 'paid_by') fields[f] = selectField(opts, paidByItems(), 'worker');
      else if (f === 'purpose') fields[f] = selectField(opts, [['', 'fees.choose_purpose'], ...purposeItems()], '');
      else if (f === 'reason') fields[f] = textField({ ...opts, wide: true, hint: 'fees.reason_hint' });
      else fields[f] = textField(opts);
      if (f !== 'reason') fields[f].wrap.classList.add('is-required');
    }
    asNumber(fields.amount.input, true);
    asCurrency(fields.currency.input);
    asDate(fields.paid_on.input);
    const problems = problemsController(fields, alias);
    const message = h('div', { class: 'inline-error', role: 'alert', testid: 'fee-add-error', hidden: true });
    const warn = h('p', { class: 'field-note is-warning', testid: 'fee-add-warning', hidden: true });
    const submitBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'fee-add-submit' }, h('span', { 'data-i18n': 'fees.add_submit' }, t('fees.add_submit')));
    const cancelBtn = h('button', { type: 'button', class: 'btn', testid: 'fee-add-cancel' }, h('span', { 'data-i18n': 'common.cancel' }, t('common.cancel')));
    const element = h('form', { class: 'placement-form fee-add-form', testid: 'fee-add-form', novalidate: true, autocomplete: 'off' },
      h('div', { class: 'field-grid grid-3' }, FEE_FIELDS.map((f) => fields[f].wrap)),
      warn,
      h('div', { class: 'card-actions' }, submitBtn, cancelBtn, keysHint()),
      message);

    // Say before saving what the core will refuse: a worker never pays for placement.
    const checkPlacement = () => {
      const bad = fields.paid_by.input.value === 'worker' && fields.purpose.input.value === 'placement';
      warn.textContent = bad ? t('errors.placement_fee_by_worker') : '';
      warn.hidden = !bad;
    };
    fields.paid_by.input.addEventListener('change', checkPlacement);
    fields.purpose.input.addEventListener('change', checkPlacement);

    function reset() {
      fields.paid_by.input.value = 'worker';
      fields.purpose.input.value = '';
      fields.amount.input.value = '';
      fields.currency.input.value = 'UZS';
      fields.paid_on.input.value = todayIso();
      fields.receipt_number.input.value = '';
      fields.reason.input.value = '';
      problems.clear();
      message.hidden = true;
      checkPlacement();
    }

    function read() {
      const input = { worker_id: id };
      for (const f of FEE_FIELDS) {
        const el = fields[f].input;
        if (f === 'paid_on') input[f] = dateValue(el);
        else if (f === 'currency') input[f] = el.value.trim().toUpperCase();
        else input[f] = el.value.trim();
      }
      if (!input.reason) delete input.reason;
      return input;
    }

    async function submit() {
      if (submitBtn.disabled) return;
      problems.clear();
      message.hidden = true;
      submitBtn.disabled = true;
      let saved;
      try {
        saved = await api.feesAdd(read());
      } catch (err) {
        submitBtn.disabled = false;
        if (!isAlive()) return;
        showRefusal(err, fields, problems, message);
        if (!problems.focusFirst()) fields.amount.input.focus();
        return;
      }
      submitBtn.disabled = false;
      if (!isAlive()) return;
      ctx.toast(t('fees.added', { amount: money(saved.amount, saved.currency), purpose: purposeName(saved.purpose) }), 'success');
      reset();
      await changed();
      fields.purpose.input.focus();
    }

    formKeys(element, { submit, cancel: () => { reset(); fields.paid_by.input.focus(); } });
    cancelBtn.addEventListener('click', () => { reset(); fields.paid_by.input.focus(); });
    reset();
    return { element };
  }

  /** Esc outside the forms: close an open panel (true when one was open). */
  function onEscape() {
    if (contractPanel) { closeContractPanel(); return true; }
    if (journeyPanel) { closeJourneyPanel(); return true; }
    return false;
  }

  return { contractsCard, journeyCard, feesCard, load, render, onEscape };
}

/** Problems beside their fields; what has no field here (or the message) below the form. */

