// The placement area's own words for the screens (employers, job orders, contracts,
// journeys, fees): the choice lists, badges and names, and the reasons the core writes in
// the status history. What every screen shares (forms, tables, money, dates, errors) lives
// in ui/lib/.
import { t, has } from '../i18n.js';
import { h } from '../dom.js';
import { formatDate } from '../lib/dates.js';

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

export const paidByItems = () => PAID_BY.map((v) => [v, `paid_by.${v}`]);
export const purposeItems = () => FEE_PURPOSES.map((v) => [v, `fee_purpose.${v}`]);
export const returnReasonItems = () => [['', 'journey.choose_reason'], ...RETURN_REASONS.map((v) => [v, `return_reason.${v}`])];

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
  if (m) return `${t('journey.ev_departed')}: ${formatDate(m[1])}`;
  if (RETURN_REASONS.includes(r)) return t(`return_reason.${r}`);
  return r;
}

/** The translated label of a field the core names (mismatches, placeholders). */
export const fieldName = (f) => t(`fields.${f}`);
