// Reference data from the core (regions, countries, statuses, allowed moves), with the
// names in the current language. Reloaded when the language changes.
import * as api from './api.js';
import { t, has } from './i18n.js';

let data = { regions: [], countries: [], statuses: [], transitions: {} };
let regionNames = new Map();
let countryNames = new Map();
let statusNames = new Map();

export async function load() {
  try {
    const result = await api.referenceData();
    data = {
      regions: result.regions || [],
      countries: result.countries || [],
      statuses: result.statuses || [],
      transitions: result.transitions || {},
    };
  } catch (err) {
    console.error('reference_data failed:', err);
  }
  regionNames = new Map(data.regions.map((r) => [r.code, r.name]));
  countryNames = new Map(data.countries.map((c) => [c.code, c.name]));
  statusNames = new Map(data.statuses.map((s) => [s.code, s.name]));
  return data;
}

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
