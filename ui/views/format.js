// Formatting helpers shared by the screens.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import * as reference from '../reference.js';

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

const pad = (n) => String(n).padStart(2, '0');

/** "2024-05-17T09:30:00Z" → "2024-05-17 14:30" in local time; anything unparsable as it is. */
export function dateTime(value) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const dash = (value) => (value == null || value === '' ? t('common.none') : String(value));
