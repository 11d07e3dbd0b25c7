// Shared pieces of the placement screens (employers, job orders, contracts, journeys, fees):
// the choice lists, money as decimal strings (never floats), dates, badges and the keyboard
// behaviour of the small forms (Enter submits, Esc cancels); also what the list screens with
// an add form share (placement and training): loading the table, the form's frame, sending it.
import { t, has } from '../i18n.js';
import { h, clear } from '../dom.js';
import { normalizeDate } from './dates.js';
import { todayIso } from './consent.js';
import { problemsOf, generalMessage } from './fields.js';
import { formatDate } from './format.js';

export { todayIso };

export const PAID_BY = ['employer', 'worker'];
export const PAID_BY_FIELDS = ['housing_paid_by', 'insurance_paid_by', 'travel_paid_by', 'visa_paid_by'];
export const FEE_PURPOSES = ['placement', 'consulting', 'travel', 'visa', 'medical', 'other'];
export const RETURN_REASONS = ['contract_completed', 'early_return', 'deported', 'other'];
export const CONTRACT_STATUSES = ['draft', 'signed', 'registered', 'active', 'completed', 'terminated', 'cancelled'];
/**
 * The contract moves of the core (placement/service.rs CONTRACT_MOVES); `registered` is
 * reached only through the registration (number and date). The core checks them again.
 */
export const CONTRACT_MOVES = {
  draft: ['signed', 'cancelled'],
  signed: ['registered', 'cancelled'],
  registered: ['active', 'cancelled'],
  active: ['completed', 'terminated'],
  completed: [],
  terminated: [],
  cancelled: [],
};
/** Moves that need a written reason. */
export const REASON_MOVES = new Set(['terminated', 'cancelled']);
/** The currencies the core knows (src-tauri/data/currencies.tsv), offered as suggestions. */
export const CURRENCIES = ['UZS', 'USD', 'EUR', 'RUB', 'KRW', 'JPY', 'KZT', 'GBP', 'TRY', 'PLN', 'CZK', 'HUF', 'RON',
  'BGN', 'ILS', 'AED', 'SAR', 'QAR', 'KWD', 'CNY', 'CHF'];

export const paidByItems = () => PAID_BY.map((v) => [v, `paid_by.${v}`]);
export const purposeItems = () => FEE_PURPOSES.map((v) => [v, `fee_purpose.${v}`]);
export const returnReasonItems = () => [['', 'journey.choose_reason'], ...RETURN_REASONS.map((v) => [v, `return_reason.${v}`])];

/** One <datalist id="currency-list"> per document, for every currency input. */
export function currencyList() {
  let list = document.getElementById('currency-list');
  if (!list) {
    list = h('datalist', { id: 'currency-list' }, CURRENCIES.map((c) => h('option', { value: c })));
    document.body.append(list);
  }
  return list;
}

/** Makes a textField input a currency input (upper case, suggestions). */
export function asCurrency(input) {
  currencyList();
  input.setAttribute('list', 'currency-list');
  input.setAttribute('maxlength', '3');
  input.classList.add('input-mono', 'input-upper', 'input-currency');
  input.addEventListener('change', () => { input.value = input.value.trim().toUpperCase(); });
  return input;
}

/** Makes a textField input a date input (YYYY-MM-DD, typed dates normalised on leaving). */
export function asDate(input) {
  input.setAttribute('inputmode', 'numeric');
  input.setAttribute('maxlength', '10');
  input.setAttribute('placeholder', t('form.date_placeholder'));
  input.setAttribute('data-i18n-placeholder', 'form.date_placeholder');
  input.classList.add('input-date');
  input.addEventListener('focusout', () => { const v = normalizeDate(input.value); if (v !== input.value) input.value = v; });
  return input;
}

export function asNumber(input, decimal = false) {
  input.setAttribute('inputmode', decimal ? 'decimal' : 'numeric');
  input.classList.add('input-num');
  return input;
}

/** The value of a date input, normalised (and written back). */
export function dateValue(input) {
  const v = normalizeDate(input.value);
  if (v !== input.value) input.value = v;
  return v.trim();
}

/** A whole number as a JSON number; anything else as typed (the core says what is wrong). */
export function intValue(text) {
  const v = String(text ?? '').trim();
  return /^\d{1,15}$/.test(v) ? Number(v) : v;
}

// ---------------------------------------------------------------- money

/** "1500.5" → "1 500.50"-style grouping (no-break spaces); anything unusual as it is. */
export function formatAmount(amount) {
  const s = String(amount ?? '');
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return s;
  const int = m[2].replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${m[1]}${int}${m[3] ? `.${m[3]}` : ''}`;
}

export const money = (amount, currency) => (amount == null || amount === ''
  ? t('common.none')
  : `${formatAmount(amount)}\u00a0${currency || ''}`.trim());

/**
 * Sums decimal strings exactly (BigInt in the smallest unit seen). Returns the total as a
 * decimal string, or null when an amount is not a plain decimal.
 */
export function sumAmounts(amounts) {
  const parts = [];
  let scale = 0;
  for (const a of amounts) {
    const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(a ?? '').trim());
    if (!m) return null;
    parts.push(m);
    scale = Math.max(scale, (m[3] || '').length);
  }
  let total = 0n;
  for (const m of parts) {
    const v = BigInt(m[2] + (m[3] || '').padEnd(scale, '0'));
    total += m[1] ? -v : v;
  }
  const neg = total < 0n;
  let digits = (neg ? -total : total).toString().padStart(scale + 1, '0');
  if (scale) digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return (neg ? '-' : '') + digits;
}

// ---------------------------------------------------------------- dates

const pad = (n) => String(n).padStart(2, '0');

/**
 * The last day of a term of `months` starting on `start` (YYYY-MM-DD): the day before the
 * same date `months` later, as the core counts whole months. '' when unreadable.
 */
export function termEnd(start, months) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start || '');
  const n = Number(months);
  if (!m || !Number.isInteger(n) || n < 1) return '';
  const total = Number(m[1]) * 12 + Number(m[2]) - 1 + n;
  const y = Math.floor(total / 12);
  const mo = (total % 12) + 1;
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  const d = new Date(Date.UTC(y, mo - 1, Math.min(Number(m[3]), last)));
  d.setUTCDate(d.getUTCDate() - 1);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

// ---------------------------------------------------------------- badges and names

const known = (list, code) => (list.includes(code) ? code : 'unknown');

export function contractStatusBadge(code, testid) {
  return h('span', { class: `badge cstatus-${known(CONTRACT_STATUSES, code)}`, testid, 'data-status': code || '' },
    CONTRACT_STATUSES.includes(code) ? t(`contract_status.${code}`) : (code || ''));
}

export function jobStatusBadge(code, testid) {
  const codes = ['open', 'filled', 'closed'];
  return h('span', { class: `badge jstatus-${known(codes, code)}`, testid, 'data-status': code || '' },
    codes.includes(code) ? t(`job_status.${code}`) : (code || ''));
}

export const paidByName = (v) => (PAID_BY.includes(v) ? t(`paid_by.${v}`) : (v || t('common.none')));
export const purposeName = (v) => (FEE_PURPOSES.includes(v) ? t(`fee_purpose.${v}`) : (v || t('common.none')));
export const returnReasonName = (v) => (RETURN_REASONS.includes(v) ? t(`return_reason.${v}`) : (v || t('common.none')));

/**
 * The reason the core writes itself when a contract or journey moves the worker
 * ("contract signed", "departed 2025-05-02", a return reason code), in the UI language;
 * any other reason as it was typed.
 */
/**
 * The reason of a status-history entry in the reader's language: a move the software made
 * carries a code (with the date or the clerk's words that go with it); older entries and a
 * clerk's own reason are text.
 */
export function historyReason(e) {
  const code = e && e.reason_code;
  if (!code) return e && e.reason ? systemReason(e.reason) : '';
  const key = RETURN_REASONS.includes(code) ? `return_reason.${code}` : `history_reason.${code}`;
  const name = has(key) ? t(key) : code;
  if (!e.reason) return name;
  return `${name}: ${code === 'departed' ? formatDate(e.reason) : e.reason}`;
}

export function systemReason(reason) {
  const r = String(reason ?? '');
  if (r === 'contract signed') return t('status.contract_signed');
  if (r === 'contract registered') return t('status.contract_registered');
  if (r === 'enrolled' || r === 'enrolled in the pre-departure course') return t('training.history_enrolled');
  if (r === 'certified' || r === 'passed the course') return t('training.history_certified');
  const m = /^departed (\d{4}-\d{2}-\d{2})$/.exec(r);
  if (m) return `${t('journey.ev_departed')}: ${m[1]}`;
  if (RETURN_REASONS.includes(r)) return t(`return_reason.${r}`);
  return r;
}

/** The translated label of a field the core names (mismatches, placeholders). */
export const fieldName = (f) => t(`fields.${f}`);

/** The text of a rejected call. */
export function errorText(err) {
  return (err && err.message) || t('common.unexpected', { detail: (err && err.code) || '' });
}

// ---------------------------------------------------------------- keyboard

/**
 * Enter submits the form (not from a textarea, a button or a link), Esc cancels it; the
 * Esc does not travel on to the page (which would leave it).
 */
export function formKeys(form, { submit, cancel }) {
  form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  form.addEventListener('keydown', (e) => {
    if (e.isComposing) return;
    if (e.key === 'Escape' && cancel) {
      e.preventDefault();
      e.stopPropagation();
      cancel();
      return;
    }
    if (e.key !== 'Enter') return;
    const tag = e.target.tagName;
    if (tag === 'TEXTAREA' || tag === 'BUTTON' || tag === 'A') return;
    e.preventDefault();
    submit();
  });
}

/** A small "Enter saves · Esc cancels" line. */
export const keysHint = () => h('span', { class: 'kbd-hint', 'data-i18n': 'form.keys_hint' }, t('form.keys_hint'));

/** Shows a refused save: each problem beside its field (`input.` prefixes dropped), the
 *  rest and the error's own message in `message`. */
export function showRefusal(err, fields, problems, message) {
  const alias = (name) => String(name || '').replace(/^input\./, '');
  const all = problemsOf(err, fields, alias);
  const rest = problems.show(all);
  clear(message);
  if (err.code === 'validation' && all.length) {
    // As the worker form does: one summary naming every problem (a click goes to its
    // field), instead of a generic line under the buttons.
    message.classList.add('form-message', 'is-error');
    message.classList.remove('inline-error');
    message.append(h('p', { class: 'summary-title' }, err.message || t('errors.validation')),
      h('ul', { class: 'summary-list' }, all.map((p) => {
        const f = fields[alias(p.field)];
        const text = p.message || t('common.unexpected', { detail: p.code });
        return h('li', null, f ? h('button', { type: 'button', class: 'link', on: { click: () => f.input.focus() } }, text) : text);
      })));
    message.hidden = false;
    return;
  }
  message.classList.remove('form-message', 'is-error');
  message.classList.add('inline-error');
  const text = generalMessage(err, all.length - rest.length, rest);
  message.textContent = text;
  message.hidden = !text;
}

/**
 * Sends an add form: earlier problems and message cleared, the button off while `save()`
 * runs; a refusal shown (`showRefusal`) with the focus on the first problem, else on
 * `focus`. Resolves to the saved record; null when the form was already being sent, was
 * refused, or the view is gone (`alive()` false).
 */
export async function submitForm({ button, message, problems, fields, save, focus, alive }) {
  if (button.disabled) return null;
  message.hidden = true;
  problems.clear();
  button.disabled = true;
  let saved;
  try {
    saved = await save();
  } catch (err) {
    button.disabled = false;
    if (!alive()) return null;
    showRefusal(err, fields, problems, message);
    if (!problems.focusFirst()) focus.focus();
    return null;
  }
  button.disabled = false;
  return alive() ? saved : null;
}

/**
 * The frame of an add form: the field grid, then Add (`submitKey`), Cancel and the keys
 * hint, then the message of a refusal. `name` makes the classes and test ids:
 * `${name}-add-form`, `${name}-add-submit`, `${name}-add-cancel`, `${name}-add-error`.
 * Enter calls `submit`, Esc and Cancel call `cancel`.
 */
export function addForm({ name, submitKey, grid, submit, cancel }) {
  const message = h('div', { class: 'inline-error', role: 'alert', testid: `${name}-add-error`, hidden: true });
  const button = h('button', { type: 'submit', class: 'btn btn-primary', testid: `${name}-add-submit` },
    h('span', { 'data-i18n': submitKey }, t(submitKey)));
  const cancelBtn = h('button', { type: 'button', class: 'btn', testid: `${name}-add-cancel`, on: { click: cancel } },
    h('span', { 'data-i18n': 'common.cancel' }, t('common.cancel')));
  const form = h('form', { class: `placement-form ${name}-add-form`, testid: `${name}-add-form`, novalidate: true, autocomplete: 'off' },
    message,
    h('div', { class: 'field-grid grid-4' }, grid),
    h('div', { class: 'card-actions' }, button, cancelBtn, keysHint()));
  formKeys(form, { submit, cancel });
  return { form, message, button };
}

/**
 * Loads the rows of a list screen: the table busy while `fetch()` runs; a failure said in
 * `failure` (the rows shown before stay), else `failure` hidden and the answer handed to
 * `show`. Nothing is touched after the call once `current()` is false (the view is gone or
 * a newer load has started).
 */
export async function loadTable({ table, failure, fetch, current, show }) {
  table.setAttribute('aria-busy', 'true');
  let answer;
  try {
    answer = await fetch();
  } catch (err) {
    if (!current()) return;
    table.removeAttribute('aria-busy');
    failure.textContent = errorText(err);
    failure.hidden = false;
    return;
  }
  if (!current()) return;
  table.removeAttribute('aria-busy');
  failure.hidden = true;
  show(answer);
}
