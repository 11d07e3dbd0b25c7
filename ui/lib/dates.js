// Dates, one format per language everywhere (shown and typed): offices in Uzbekistan write
// 17.05.2024 (Uzbek and Russian); English reads "17 May 2024", because 05/07 is read one way
// in London and the other in New York, and a month's name cannot be misread. Every date
// field accepts the language's format, d.m.yyyy with dots, slashes or dashes (day first, as
// offices write), eight digits, and ISO pasted from elsewhere; it shows the date back in the
// language's format when left, so the clerk sees how it was read. The core gets ISO.
import { t, language, onChange } from '../i18n.js';

const pad = (n) => String(n).padStart(2, '0');
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A local Date as YYYY-MM-DD. */
export const isoOf = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** Today in local time, YYYY-MM-DD. */
export const todayIso = () => isoOf(new Date());

function dayMonthYear(y, m, d) {
  return language() === 'en' ? `${Number(d)} ${MONTHS_EN[Number(m) - 1]} ${y}` : `${d}.${m}.${y}`;
}

/** "2024-05-17" → "17.05.2024" (uz, ru) or "17 May 2024" (en); anything else as it is. */
export function formatDate(value) {
  if (value == null || value === '') return '';
  const m = ISO_DATE.exec(String(value));
  return m ? dayMonthYear(m[1], m[2], m[3]) : String(value);
}

/** "2024-05-17" → "17.05" (uz, ru) or "17 May" (en): a day in a known year. */
export function shortDate(value) {
  const m = ISO_DATE.exec(String(value || ''));
  if (!m) return String(value || '');
  return language() === 'en' ? `${Number(m[3])} ${MONTHS_EN[Number(m[2]) - 1]}` : `${m[3]}.${m[2]}`;
}

/** "2024-05-17T09:30:00Z" → "17.05.2024 14:30" in local time; anything unparsable as it is. */
export function dateTime(value) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${dayMonthYear(d.getFullYear(), pad(d.getMonth() + 1), pad(d.getDate()))} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** YYYY-MM-DD when y, m, d make a real calendar day; else null. */
function real(y, m, d) {
  const [yy, mm, dd] = [Number(y), Number(m), Number(d)];
  if (!(yy >= 1800 && yy <= 2999) || !(mm >= 1 && mm <= 12) || !(dd >= 1)) return null;
  if (dd > new Date(Date.UTC(yy, mm, 0)).getUTCDate()) return null;
  return `${yy}-${pad(mm)}-${pad(dd)}`;
}

/** An English month name or its first three letters (any case) → 1..12; else 0. */
function monthNumber(word) {
  const w = String(word).toLowerCase();
  if (w.length < 3) return 0;
  return MONTHS_EN.findIndex((m) => w.startsWith(m.toLowerCase())) + 1;
}

/**
 * A typed date as YYYY-MM-DD: '' for nothing, null when it is not a real date.
 * Accepts 02.12.2026, 2.12.2026, 02/12/2026, 02-12-2026, 2 Dec 2026, 02122026, 20261202
 * and 2026-12-02 (also 2026.12.02).
 */
export function parseDate(value) {
  const v = String(value ?? '').trim().replace(/\s+/g, ' ');
  if (!v) return '';
  let m;
  if ((m = v.match(/^(\d{1,2})[./\- ](\d{1,2})[./\- ](\d{4})$/))) return real(m[3], m[2], m[1]);
  if ((m = v.match(/^(\d{4})[./\- ](\d{1,2})[./\- ](\d{1,2})$/))) return real(m[1], m[2], m[3]);
  if ((m = v.match(/^(\d{1,2})[ .\-]?([A-Za-z]+)\.?[ .\-,]+(\d{4})$/))) return real(m[3], monthNumber(m[2]), m[1]);
  if ((m = v.match(/^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})$/))) return real(m[3], monthNumber(m[1]), m[2]);
  if ((m = v.match(/^\d{8}$/))) {
    const s = m[0];
    // 20261202 when it reads as a year first, else 02122026.
    return /^(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(s)
      ? real(s.slice(0, 4), s.slice(4, 6), s.slice(6, 8))
      : real(s.slice(4, 8), s.slice(2, 4), s.slice(0, 2));
  }
  return null;
}

/** A typed date in the language's format when it can be read; else as typed. */
export const tidyDate = (value) => {
  const iso = parseDate(value);
  return iso ? formatDate(iso) : String(value ?? '').trim();
};

/** The words of a date that cannot be read: "is not a date; write it as 02.12.2026". */
export const invalidReason = () => t('screens.date_invalid', { example: formatDate(todayIso()) });

/** The visible label of an input (its <label>, else its aria-label). */
function labelOf(input) {
  const label = input.labels && input.labels[0];
  return ((label && label.textContent) || input.getAttribute('aria-label') || '').trim();
}

/**
 * A refusal in the core's shape ({code: 'validation', problems}) for a date field that
 * cannot be read: the forms show it as they show the core's, beside the field, and the
 * summary names the field.
 */
export function dateError(input) {
  const field = input.getAttribute('data-field') || input.name || '';
  const reason = invalidReason();
  const label = labelOf(input);
  const message = label ? `${label}: ${reason}` : reason;
  return {
    code: 'validation', message: t('errors.validation'), field: null, existing_id: null, candidates: [],
    problems: [{ field, code: 'date_invalid', severity: 'error', reason, message }],
  };
}

/** Throws one `dateError` naming every date input among `inputs` that cannot be read, so a
 *  form with several dates says all of them at once. */
export function checkDates(inputs) {
  const problems = inputs.filter((i) => i && parseDate(i.value) === null).flatMap((i) => dateError(i).problems);
  if (problems.length) throw { ...dateError(inputs.find((i) => i && parseDate(i.value) === null)), problems };
}

/**
 * The value of a date input as YYYY-MM-DD ('' when empty), shown back in the language's
 * format. Throws `dateError` when it cannot be read: call it where a refusal is shown.
 */
export function dateValue(input) {
  const iso = parseDate(input.value);
  if (iso === null) throw dateError(input);
  if (iso) input.value = formatDate(iso);
  return iso;
}

/** YYYY-MM-DD of a date input, or '' when empty or unreadable (for suggestions, never sent). */
export const readDate = (input) => parseDate(input.value) || '';

/** Puts a YYYY-MM-DD date into an input, as the language writes it. */
export function setDate(input, iso) {
  input.value = formatDate(iso || '');
}

/**
 * Makes a text input a date input: the language's placeholder, the typed date shown back in
 * the language's format when the field is left (not on `change`: the value typed stays
 * while it is being typed), and again after a language change.
 */
export function asDate(input) {
  input.setAttribute('inputmode', 'text');
  input.setAttribute('maxlength', '20');
  input.setAttribute('placeholder', t('form.date_placeholder'));
  input.setAttribute('data-i18n-placeholder', 'form.date_placeholder');
  input.setAttribute('spellcheck', 'false');
  input.classList.add('input-date');
  input.addEventListener('focusout', () => {
    const next = tidyDate(input.value);
    if (next !== input.value) input.value = next;
  });
  return input;
}

// The language changes under a form: every readable date is rewritten in the new format.
// The old format is still parsed (dots or a month name), so nothing typed is lost.
onChange(() => {
  for (const input of document.querySelectorAll('input.input-date')) {
    const next = tidyDate(input.value);
    if (next !== input.value) input.value = next;
  }
});

/**
 * The last day of a term of `months` starting on `start` (YYYY-MM-DD): the day before the
 * same date `months` later, as the core counts whole months. '' when unreadable.
 */
export function termEnd(start, months) {
  const m = ISO_DATE.exec(start || '');
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

/** YYYY-MM-DD plus `years` (29 February becomes 28 February). */
export function addYears(value, years) {
  const m = ISO_DATE.exec(value || '');
  if (!m) return '';
  const y = Number(m[1]) + years;
  const mo = Number(m[2]);
  let d = Number(m[3]);
  const last = new Date(y, mo, 0).getDate();
  if (d > last) d = last;
  return `${y}-${pad(mo)}-${pad(d)}`;
}
