// The consent fields (ConsentInput of docs/accounts.md), shared by the new-worker form and
// the "Record new consent" form of the worker page, and the consent state badge.
import { t } from '../i18n.js';
import { h } from '../dom.js';
import { normalizeDate } from './dates.js';
import { formatDate } from './format.js';

export const CONSENT_FIELDS = ['given_on', 'valid_until', 'may_transfer_abroad', 'purpose', 'data_list'];
export const CONSENT_DATES = new Set(['given_on', 'valid_until']);
/** How long a consent runs by default, in years. */
const DEFAULT_TERM_YEARS = 2;

const pad = (n) => String(n).padStart(2, '0');
const iso = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** Today in local time, YYYY-MM-DD. */
export function todayIso() {
  return iso(new Date());
}

/** YYYY-MM-DD plus `years` (29 February becomes 28 February). */
export function addYears(value, years) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
  if (!m) return '';
  const y = Number(m[1]) + years;
  const mo = Number(m[2]);
  let d = Number(m[3]);
  const last = new Date(y, mo, 0).getDate();
  if (d > last) d = last;
  return `${y}-${pad(mo)}-${pad(d)}`;
}

export function consentDefaults() {
  const given = todayIso();
  return {
    given_on: given,
    valid_until: addYears(given, DEFAULT_TERM_YEARS),
    may_transfer_abroad: true,
    purpose: t('consent.default_purpose'),
    data_list: t('consent.default_data_list'),
  };
}

/** The translation key of a consent field's label. */
export const consentLabelKey = (field) => `fields.consent_${field}`;

/**
 * Builds the consent fields. `testid(field)` names each control, `errorTestid(field)` the
 * error beside it. Returns {element, inputs, wraps, read(), setDefaults(), relabel()}.
 */
export function consentFields({ idPrefix, testid, errorTestid, nameOf = (f) => `consent.${f}` }) {
  const inputs = {};
  const wraps = {};
  const labels = {};
  const shownDefaults = {}; // the translated defaults currently in the fields
  const grid = h('div', { class: 'field-grid consent-grid' });

  for (const field of CONSENT_FIELDS) {
    const id = `${idPrefix}-${field}`;
    const name = nameOf(field);
    let control;
    if (field === 'may_transfer_abroad') {
      control = h('input', { id, name, type: 'checkbox', testid: testid(field) });
    } else if (field === 'data_list') {
      control = h('textarea', { id, name, testid: testid(field), rows: '2', spellcheck: 'true' });
    } else {
      control = h('input', { id, name, type: 'text', testid: testid(field), autocomplete: 'off', spellcheck: field === 'purpose' ? 'true' : 'false' });
      if (CONSENT_DATES.has(field)) {
        control.setAttribute('inputmode', 'numeric');
        control.setAttribute('placeholder', t('form.date_placeholder'));
        control.setAttribute('maxlength', '10');
        control.classList.add('input-date');
      }
    }
    const errId = `${id}-error`;
    control.setAttribute('aria-describedby', errId);
    inputs[field] = control;
    labels[field] = h('label', { for: id }, t(consentLabelKey(field)));
    const slot = h('div', { class: 'error-slot', id: errId, 'data-error-testid': errorTestid(field) });
    wraps[field] = field === 'may_transfer_abroad'
      ? h('div', { class: `field field-check field-consent-${field}`, 'data-field': name },
        h('div', { class: 'check-row' }, control, labels[field]), slot)
      : h('div', { class: `field field-consent-${field}`, 'data-field': name }, labels[field], control, slot);
    grid.append(wraps[field]);
  }

  function setDefaults() {
    const d = consentDefaults();
    for (const field of CONSENT_FIELDS) {
      if (field === 'may_transfer_abroad') inputs[field].checked = d[field];
      else inputs[field].value = d[field];
    }
    shownDefaults.purpose = d.purpose;
    shownDefaults.data_list = d.data_list;
  }

  /** After a language change: new labels, and the default texts if still untouched. */
  function relabel() {
    for (const field of CONSENT_FIELDS) labels[field].textContent = t(consentLabelKey(field));
    for (const field of ['given_on', 'valid_until']) inputs[field].setAttribute('placeholder', t('form.date_placeholder'));
    const d = consentDefaults();
    for (const field of ['purpose', 'data_list']) {
      if (inputs[field].value === shownDefaults[field]) {
        inputs[field].value = d[field];
        shownDefaults[field] = d[field];
      }
    }
  }

  /** ConsentInput from the fields (dates normalised to YYYY-MM-DD). */
  function read() {
    for (const field of CONSENT_DATES) {
      const next = normalizeDate(inputs[field].value);
      if (next !== inputs[field].value) inputs[field].value = next;
    }
    const consent = {
      given_on: inputs.given_on.value.trim(),
      purpose: inputs.purpose.value.trim(),
      valid_until: inputs.valid_until.value.trim(),
      may_transfer_abroad: inputs.may_transfer_abroad.checked,
    };
    const list = inputs.data_list.value.trim();
    if (list) consent.data_list = list;
    return consent;
  }

  grid.addEventListener('focusout', (e) => {
    const field = CONSENT_FIELDS.find((f) => inputs[f] === e.target);
    if (field && CONSENT_DATES.has(field)) {
      const next = normalizeDate(e.target.value);
      if (next !== e.target.value) e.target.value = next;
    }
  });

  return { element: grid, inputs, wraps, read, setDefaults, relabel };
}

/** The consent state badge: valid / expired / withdrawn / missing. */
export function consentBadge(state, testid) {
  const known = ['valid', 'expired', 'withdrawn', 'missing'].includes(state) ? state : 'missing';
  return h('span', { class: `badge consent-${known}`, testid, 'data-state': state || '' },
    t(`consent.state_${known}`));
}

/** The sentence saying why processing is blocked (the core's own error texts). */
export function blockedReason(worker) {
  const c = worker.consent;
  switch (worker.consent_state) {
    case 'withdrawn': return t('errors.consent_withdrawn', { date: formatDate(c && c.withdrawn_on) || t('common.none') });
    case 'expired': return t('errors.consent_expired', { date: formatDate(c && c.valid_until) || t('common.none') });
    default: return t('errors.consent_missing');
  }
}
