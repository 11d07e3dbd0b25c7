// Formatting helpers shared by the screens.
import { h } from '../dom.js';
import { t, has, language } from '../i18n.js';
import * as reference from '../reference.js';
import { formatDate, shortDate, dateTime } from '../lib/dates.js';

const join = (...parts) => parts.filter((p) => p && String(p).trim()).join(' ');

export const latinName = (w) => join(w.last_name, w.first_name, w.patronymic);
export const cyrillicName = (w) => join(w.last_name_cyrillic, w.first_name_cyrillic, w.patronymic_cyrillic);

/** A coloured status badge; the colour comes from the status code. */
export function statusBadge(code, name, testid) {
  return h('span', {
    class: `badge status-${/^[a-z_]+$/.test(code || '') ? code : 'unknown'}`,
    'data-status': code || '',
    testid,
  }, reference.statusName(code) || name || code || '');
}

// Dates live in lib/dates.js (one format per language, shown and typed); the screens that
// format other values take them from here too.
export { formatDate, shortDate, dateTime };

/** A value to show: a dash for nothing, a date in the language's format. */
export const dash = (value) => (value == null || value === '' ? t('common.none') : formatDate(String(value)));

// ---------------------------------------------------------------- audit entries

/** The translated name of an audit action code (`worker.update` → actions.worker.update). */
export function actionName(code) {
  if (!code) return '';
  return has(`actions.${code}`) ? t(`actions.${code}`) : code;
}

/** The label of a field named in an audit entry (`consent.given_on` → fields.consent_given_on). */
export function fieldLabel(name, action) {
  // A certificate's number is not a contract's.
  if (name === 'number' && String(action || '').startsWith('certificate.')) return t('fields.certificate_number');
  const key = `fields.${String(name).replace(/\./g, '_')}`;
  if (has(key)) return t(key);
  const last = `fields.${String(name).split('.').pop()}`;
  return has(last) ? t(last) : String(name);
}

/** A value of an audit entry as text, translated where it is a code we know. */
export function auditValue(field, value, action) {
  if (value == null || value === '') return t('common.none');
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  if (Array.isArray(value) && (field === 'mismatches' || field === 'placeholders')) {
    return value.length ? value.map((f) => fieldLabel(f)).join(', ') : t('common.none');
  }
  if (Array.isArray(value)) {
    if (!value.length) return t('common.none');
    if (field === 'modules') return value.map((m) => (has(`modules.${m}`) ? t(`modules.${m}`) : String(m))).join(', ');
    if (field === 'countries' || field === 'destinations') return value.map((c) => reference.countryName(c) || String(c)).join(', ');
    return value.map((v) => (v != null && typeof v === 'object' ? JSON.stringify(v) : auditValue(field, v, action))).join(', ');
  }
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  const coded = (section) => (has(`${section}.${text}`) ? t(`${section}.${text}`) : text);
  switch (field) {
    case 'status': case 'from': case 'to':
      return String(action || '').startsWith('contract.') ? coded('contract_status') : reference.statusName(text);
    case 'paid_by': case 'housing_paid_by': case 'insurance_paid_by': case 'travel_paid_by': case 'visa_paid_by':
      return coded('paid_by');
    case 'purpose': return coded('fee_purpose');
    case 'return_reason': return coded('return_reason');
    case 'reason_code': return has(`history_reason.${text}`) ? t(`history_reason.${text}`) : coded('return_reason');
    case 'country': return reference.countryName(text);
    case 'sex': return has(`sex.${text}`) ? t(`sex.${text}`) : text;
    case 'region': return reference.regionName(text);
    case 'destination_country': return reference.countryName(text);
    case 'role': return has(`roles.${text}`) ? t(`roles.${text}`) : text;
    case 'language': return has(`lang.${text}`) ? t(`lang.${text}`) : text;
    default: return formatDate(text);
  }
}

/**
 * The changes of an audit entry as lines: "field: before → after" for `{field: [before,
 * after]}`, "field: value" for other values; a nested object (e.g. `consent`) is flattened
 * into `consent.given_on` and so on.
 */
export function changeList(changes, action) {
  if (changes == null || changes === '') return [];
  if (typeof changes !== 'object') return [String(changes)];
  if (Array.isArray(changes)) return changes.map((v) => auditValue('', v));
  const lines = [];
  // A consent entry names its fields plainly (`given_on`): label them as consent fields.
  const base = String(action || '').startsWith('consent.') ? 'consent' : '';
  const walk = (obj, prefix) => {
    for (const [key, value] of Object.entries(obj)) {
      const name = prefix ? `${prefix}.${key}` : key;
      const pair = Array.isArray(value) && value.length === 2 && value.every((v) => v == null || typeof v !== 'object');
      if (pair && key !== 'mismatches' && key !== 'placeholders') {
        lines.push(`${fieldLabel(name, action)}: ${auditValue(key, value[0], action)} → ${auditValue(key, value[1], action)}`);
      } else if (value && typeof value === 'object' && !Array.isArray(value) && prefix === base) {
        walk(value, name);
      } else {
        lines.push(`${fieldLabel(name, action)}: ${auditValue(key, value, action)}`);
      }
    }
  };
  walk(changes, base);
  return lines;
}
