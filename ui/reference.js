// Reference data from the core (regions, countries, statuses, allowed moves), with the
// names in the current language. Reloaded when the language changes.
import * as api from './api.js';
import { t, has } from './i18n.js';

let data = { regions: [], countries: [], statuses: [], transitions: {} };
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
  data = {
    regions: (result && result.regions) || [],
    countries: (result && result.countries) || [],
    statuses: (result && result.statuses) || [],
    transitions: (result && result.transitions) || {},
  };
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
