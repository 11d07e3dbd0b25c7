// The new-contract form of the worker page: choosing a job order fills in its terms (and
// the end date from the start and the order's term, while that end is untouched).
import * as api from '../api.js';
import { t } from '../i18n.js';
import { h, clear, option } from '../dom.js';
import { textField, selectField, problemsController } from './fields.js';
import { jobLabel } from './jobs.js';
import { PAID_BY_FIELDS, paidByItems } from './placement.js';
import * as reference from '../reference.js';
import { asDate, checkDates, dateValue, readDate, setDate, formatDate, termEnd, todayIso } from '../lib/dates.js';
import { asCurrency } from '../lib/money.js';
import { errorText } from '../lib/errors.js';
import { addForm, asNumber, intValue, submitForm, unprefixed } from '../lib/forms.js';

const CONTRACT_FIELDS = ['job_order_id', 'number', 'signed_on', 'starts_on', 'ends_on', 'position', 'salary_amount',
  'salary_currency', 'hours_per_week', ...PAID_BY_FIELDS];
const CONTRACT_DATES = ['signed_on', 'starts_on', 'ends_on'];

/** The form over the shared `page`; `saved(contract)` runs after a contract is added. */
export function contractForm(page, { saved }) {
  const { id, ctx, isAlive } = page;
  const fields = {};
  for (const f of CONTRACT_FIELDS) {
    const opts = { field: f, id: `contract-add-${f}`, testid: `contract-add-${f}`, label: `fields.${f}` };
    if (PAID_BY_FIELDS.includes(f)) fields[f] = selectField(opts, paidByItems(), 'employer');
    else if (f === 'job_order_id') fields[f] = textField({ ...opts, wide: true, control: h('select', { id: opts.id, name: f, testid: opts.testid }) });
    else fields[f] = textField(opts);
    fields[f].wrap.classList.add('is-required');
    if (CONTRACT_DATES.includes(f)) asDate(fields[f].input);
  }
  asNumber(fields.salary_amount.input, true);
  asNumber(fields.hours_per_week.input);
  asCurrency(fields.salary_currency.input);
  const problems = problemsController(fields, unprefixed);
  const note = h('p', { class: 'field-note', testid: 'contract-add-note', hidden: true });
  const { form: element, message, button } = addForm({
    name: 'contract', submitKey: 'contracts.add_submit', grid: CONTRACT_FIELDS.map((f) => fields[f].wrap),
    after: note, messageFirst: false, submit, cancel: () => { reset(); jobSelect.focus(); },
  });
  let autoEnd = '';   // the end date we filled in, replaced while untouched
  const jobSelect = fields.job_order_id.input;
  const selectedJob = () => page.jobs.find((j) => String(j.id) === jobSelect.value) || null;

  function fillJobs() {
    const value = jobSelect.value;
    clear(jobSelect);
    jobSelect.append(h('option', { value: '', 'data-i18n': 'contracts.choose_job' }, t('contracts.choose_job')));
    const open = page.jobs.filter((j) => !j.status || j.status === 'open' || String(j.id) === value);
    // The worker's destination first, then by employer.
    const dest = page.worker && page.worker.destination_country;
    open.sort((a, b) => (b.country === dest) - (a.country === dest) || String(a.employer_name).localeCompare(String(b.employer_name)) || a.id - b.id);
    for (const j of open) jobSelect.append(option(String(j.id), jobLabel(j)));
    if (value && ![...jobSelect.options].some((o) => o.value === value)) jobSelect.append(option(value, `#${value}`));
    jobSelect.value = value;
    if (page.errors.jobs) { note.textContent = t('placement.load_error', { message: errorText(page.errors.jobs) }); note.hidden = false; }
  }

  function fillEnd() {
    const job = selectedJob();
    const start = readDate(fields.starts_on.input);
    if (!job || !start) return;
    const end = formatDate(termEnd(start, job.term_months));
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
    for (const f of PAID_BY_FIELDS) if (reference.paidBy().includes(job[f])) fields[f].input.value = job[f];
    fillEnd();
    note.textContent = t('contracts.filled_from_job', { id: job.id, months: job.term_months ?? '' });
    note.hidden = false;
  });
  fields.starts_on.input.addEventListener('focusout', fillEnd);

  function reset() {
    for (const f of CONTRACT_FIELDS) fields[f].input.value = PAID_BY_FIELDS.includes(f) ? 'employer' : '';
    setDate(fields.signed_on.input, todayIso());
    autoEnd = '';
    note.hidden = true;
    problems.clear();
    message.hidden = true;
  }

  /** ContractInput; throws for dates that cannot be read (all of them named). */
  function read() {
    checkDates(CONTRACT_DATES.map((f) => fields[f].input));
    const input = { worker_id: id };
    for (const f of CONTRACT_FIELDS) {
      const el = fields[f].input;
      if (CONTRACT_DATES.includes(f)) input[f] = dateValue(el);
      else if (f === 'job_order_id' || f === 'hours_per_week') input[f] = intValue(el.value);
      else if (f === 'salary_currency') input[f] = el.value.trim().toUpperCase();
      else input[f] = el.value.trim();
    }
    return input;
  }

  async function submit() {
    const contract = await submitForm({
      button, message, problems, fields, alive: isAlive, focus: jobSelect,
      save: () => api.contractsAdd(read()),
    });
    if (!contract) return;
    const flagged = (contract.mismatches || []).length || (contract.placeholders || []).length;
    ctx.toast(t(flagged ? 'contracts.added_flagged' : 'contracts.added', { number: contract.number || '' }), flagged ? 'error' : 'success');
    reset();
    await saved(contract);
  }

  reset();
  fillJobs();
  return { element, fillJobs };
}
