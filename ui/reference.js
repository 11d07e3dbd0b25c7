// Reference data from the core (regions, countries, statuses, allowed moves; the contract
// moves, payers, fee purposes, return reasons, currencies, course modules and the password
// minimum), with the names in the current language. Reloaded when the language changes.
// The window keeps no copy of these tables: what the core changes, the screens follow.
import * as api from './api.js';
import { t, has } from './i18n.js';

const EMPTY = {
  regions: [], countries: [], statuses: [], transitions: {}, contract_statuses: [], contract_moves: {},
  contract_registered_from: '', paid_by: [], fee_purposes: [], return_reasons: [], currencies: [], modules: [],
  password_min: null,
};
let data = { ...EMPTY };
let regionNames = new Map();
let countryNames = new Map();
let statusNames = new Map();
let ready = false;     // the last reference_data call succeeded

/**
 * Ask the core for the reference data. A failure rejects with the core's error (the caller
 * tells the user) and keeps whatever was loaded before; `loaded()` is then false, so the
 * app asks again on the next screen.
 */
export async function load() {
  let result;
  try {
    result = await api.referenceData();
  } catch (err) {
    ready = false;
    throw err;
  }
  data = { ...EMPTY };
  for (const key of Object.keys(EMPTY)) if (result && result[key] != null) data[key] = result[key];
  regionNames = new Map(data.regions.map((r) => [r.code, r.name]));
  countryNames = new Map(data.countries.map((c) => [c.code, c.name]));
  statusNames = new Map(data.statuses.map((s) => [s.code, s.name]));
  ready = true;
  return data;
}

/** True once reference_data has answered (and its last call did not fail). */
export const loaded = () => ready;

export const regions = () => data.regions;
export const countries = () => data.countries;
export const statuses = () => data.statuses;
export const nextStatuses = (status) => data.transitions[status] || [];

/** The status name in the UI language: our own translation first, then the core's. */
export function statusName(code) {
  if (!code) return '';
  if (has(`status.${code}`)) return t(`status.${code}`);
  return statusNames.get(code) || code;
}
export const regionName = (code) => (code ? regionNames.get(code) || code : '');
export const countryName = (code) => (code ? countryNames.get(code) || code : '');

/** Contract statuses in the core's order. */
export const contractStatuses = () => data.contract_statuses;
/** The moves a contract in `status` offers: registration (its own form) from the status the
 *  core registers from, then the plain status changes. */
export function contractMoves(status) {
  const moves = data.contract_moves[status] || [];
  return status && status === data.contract_registered_from ? ['registered', ...moves] : [...moves];
}
export const paidBy = () => data.paid_by;
export const feePurposes = () => data.fee_purposes;
export const returnReasons = () => data.return_reasons;
export const currencies = () => data.currencies;
export const modules = () => data.modules;
/** The shortest password the core accepts ('' before the reference data has arrived). */
export const passwordMin = () => data.password_min ?? '';
