// The one module that talks to the Rust core. Every function maps to one command of
// docs/api.md; argument keys at the top level are camelCase (Tauri's convention), the
// payloads inside them stay snake_case.
//
// Every function returns a Promise. A failed call rejects with the contract's error shape
// {code, message, field, problems, existing_id, candidates}; anything else thrown by the
// bridge (a string, an Error) is turned into that shape with code "internal" or
// "unavailable", so callers handle one kind of error.

function bridge() {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri.core || typeof tauri.core.invoke !== 'function') return null;
  return tauri.core.invoke;
}

export function normalizeError(err) {
  if (err && typeof err === 'object' && typeof err.code === 'string') {
    return {
      code: err.code,
      message: typeof err.message === 'string' ? err.message : '',
      field: err.field ?? null,
      problems: Array.isArray(err.problems) ? err.problems : [],
      existing_id: err.existing_id ?? null,
      candidates: Array.isArray(err.candidates) ? err.candidates : [],
    };
  }
  const text = typeof err === 'string' ? err : (err && err.message) || String(err);
  return { code: 'internal', message: text, field: null, problems: [], existing_id: null, candidates: [] };
}

async function call(command, args) {
  const invoke = bridge();
  if (!invoke) {
    throw normalizeError({ code: 'unavailable', message: 'window.__TAURI__.core.invoke is missing' });
  }
  try {
    return await invoke(command, args);
  } catch (err) {
    throw normalizeError(err);
  }
}

export const appInfo = () => call('app_info');
export const settingsGet = () => call('settings_get');
export const settingsSetLanguage = (language) => call('settings_set_language', { language });
export const referenceData = () => call('reference_data');

/** @param {object} query ListQuery: {search, status, region, destination, archived, sort, desc, limit, offset, with_total} */
export const workersList = (query) => call('workers_list', { query });
export const workersGet = (id) => call('workers_get', { id });

/** @param {object} input WorkerInput; @param {number=} id the worker being edited */
export const workersCheck = (input, id) =>
  call('workers_check', id == null ? { input } : { input, id });
export const workersCreate = (input) => call('workers_create', { input });
export const workersUpdate = (id, version, input) => call('workers_update', { id, version, input });
export const workersSetStatus = (id, status, reason) => call('workers_set_status', { id, status, reason });
export const workersArchive = (id, reason) =>
  call('workers_archive', reason ? { id, reason } : { id });
export const workersRestore = (id, reason) =>
  call('workers_restore', reason ? { id, reason } : { id });
export const workersHistory = (id) => call('workers_history', { id });
