// The consent fields (ConsentInput of docs/accounts.md), shared by the new-worker form and
// the "Record new consent" form of the worker page, and the consent state badge.
import { t } from '../i18n.js';
import { h } from '../dom.js';
import { formatDate, todayIso, addYears, asDate, dateValue, setDate } from '../lib/dates.js';

export const CONSENT_FIELDS = ['given_on', 'valid_until', 'may_transfer_abroad', 'purpose', 'data_list'];
export const CONSENT_DATES = new Set(['given_on', 'valid_until']);
/** How long a consent runs by default, in years. */
const DEFAULT_TERM_YEARS = 2;

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
      if (CONSENT_DATES.has(field)) asDate(control);
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
      else if (CONSENT_DATES.has(field)) setDate(inputs[field], d[field]);
      else inputs[field].value = d[field];
    }
    shownDefaults.purpose = d.purpose;
    shownDefaults.data_list = d.data_list;
  }

  /** After a language change: new labels, and the default texts if still untouched. */
  function relabel() {
    for (const field of CONSENT_FIELDS) labels[field].textContent = t(consentLabelKey(field));
    const d = consentDefaults();
    for (const field of ['purpose', 'data_list']) {
      if (inputs[field].value === shownDefaults[field]) {
        inputs[field].value = d[field];
        shownDefaults[field] = d[field];
      }
    }
  }

  /** ConsentInput from the fields (dates as YYYY-MM-DD); throws `dateError` for a date
   *  that cannot be read. */
  function read() {
    const consent = {
      given_on: dateValue(inputs.given_on),
      purpose: inputs.purpose.value.trim(),
      valid_until: dateValue(inputs.valid_until),
      may_transfer_abroad: inputs.may_transfer_abroad.checked,
    };
    const list = inputs.data_list.value.trim();
    if (list) consent.data_list = list;
    return consent;
  }

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
