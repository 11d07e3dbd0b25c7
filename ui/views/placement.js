// The placement area's own words for the screens (employers, job orders, contracts,
// journeys, fees): the choice lists, badges and names, and the reasons the core writes in
// the status history. What every screen shares (forms, tables, money, dates, errors) lives
// in ui/lib/.
import { t, has } from '../i18n.js';
import { h } from '../dom.js';
import { formatDate } from '../lib/dates.js';
import * as reference from '../reference.js';

// The lists themselves (payers, purposes, return reasons, contract statuses and moves) come
// from the core through reference.js; these are the screens' fields and words for them.
export const PAID_BY_FIELDS = ['housing_paid_by', 'insurance_paid_by', 'travel_paid_by', 'visa_paid_by'];
/** Moves that need a written reason (the buttons open a reason form). */
export const REASON_MOVES = new Set(['terminated', 'cancelled']);

export const paidByItems = () => reference.paidBy().map((v) => [v, `paid_by.${v}`]);
export const purposeItems = () => reference.feePurposes().map((v) => [v, `fee_purpose.${v}`]);
export const returnReasonItems = () => [['', 'journey.choose_reason'], ...reference.returnReasons().map((v) => [v, `return_reason.${v}`])];
/** The payer's code for a CSS class: a known one, else `unknown`. */
export const payerClass = (v) => (reference.paidBy().includes(v) ? v : 'unknown');

// ---------------------------------------------------------------- badges and names

const known = (list, code) => (list.includes(code) ? code : 'unknown');

export function contractStatusBadge(code, testid) {
  const statuses = reference.contractStatuses();
  return h('span', { class: `badge cstatus-${known(statuses, code)}`, testid, 'data-status': code || '' },
    statuses.includes(code) ? t(`contract_status.${code}`) : (code || ''));
}

export function jobStatusBadge(code, testid) {
  const codes = ['open', 'filled', 'closed'];
  return h('span', { class: `badge jstatus-${known(codes, code)}`, testid, 'data-status': code || '' },
    codes.includes(code) ? t(`job_status.${code}`) : (code || ''));
}

export const paidByName = (v) => (reference.paidBy().includes(v) ? t(`paid_by.${v}`) : (v || t('common.none')));
export const purposeName = (v) => (reference.feePurposes().includes(v) ? t(`fee_purpose.${v}`) : (v || t('common.none')));
export const returnReasonName = (v) => (reference.returnReasons().includes(v) ? t(`return_reason.${v}`) : (v || t('common.none')));

/**
 * The reason of a status-history entry in the reader's language: a move the software made
 * carries a code (with the date or the clerk's words that go with it); older entries and a
 * clerk's own reason are text.
 */
export function historyReason(e) {
  const code = e && e.reason_code;
  if (!code) return e && e.reason ? systemReason(e.reason) : '';
  const key = reference.returnReasons().includes(code) ? `return_reason.${code}` : `history_reason.${code}`;
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
  if (m) return `${t('journey.ev_departed')}: ${formatDate(m[1])}`;
  if (reference.returnReasons().includes(r)) return t(`return_reason.${r}`);
  return r;
}

/** The translated label of a field the core names (mismatches, placeholders). */
export const fieldName = (f) => t(`fields.${f}`);
