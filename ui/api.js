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

// Called (once per failing call) when the core answers `unauthenticated`: the session is
// gone, and app.js sends the user to the login screen.
let unauthenticatedHandler = null;
export function onUnauthenticated(fn) {
  unauthenticatedHandler = fn;
}

async function call(command, args) {
  const invoke = bridge();
  if (!invoke) {
    throw normalizeError({ code: 'unavailable', message: 'window.__TAURI__.core.invoke is missing' });
  }
  try {
    return await invoke(command, args);
  } catch (err) {
    const error = normalizeError(err);
    if (error.code === 'unauthenticated' && unauthenticatedHandler) {
      try { unauthenticatedHandler(error, command); } catch (e) { console.error(e); }
    }
    throw error;
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

// ---------------------------------------------------------------- accounts (docs/accounts.md)

export const authStatus = () => call('auth_status');
/** @param {object} agency AgencyInput; @param {object} admin {login, full_name, password} */
export const setupInit = (agency, admin) => call('setup_init', { agency, admin });
export const authLogin = (login, password) => call('auth_login', { login, password });
export const authLogout = () => call('auth_logout');
// Tauri maps a Rust parameter `old_password` to the key `oldPassword`; the contract table
// writes them snake_case. Both spellings are sent (Tauri ignores keys it does not read).
export const authChangePassword = (oldPassword, newPassword) => call('auth_change_password', {
  oldPassword, newPassword, old_password: oldPassword, new_password: newPassword,
});

export const usersList = () => call('users_list');
/** @param {object} input {login, full_name, role, password} */
export const usersAdd = (input) => call('users_add', { input });
export const usersDisable = (id) => call('users_disable', { id });
export const usersEnable = (id) => call('users_enable', { id });
export const usersSetRole = (id, role) => call('users_set_role', { id, role });

export const agencyGet = () => call('agency_get');
export const agencyUpdate = (version, agency) => call('agency_update', { version, agency });
export const settingsList = () => call('settings_list');
export const settingsChange = (key, value) => call('settings_change', { key, value });

/** @param {object} query {user, record_type, record_id, action, from, to, limit, offset} */
export const auditList = (query) => call('audit_list', { query });
export const auditVerify = () => call('audit_verify');

export const workersAudit = (id) => call('workers_audit', { id });
/** @param {object} consent ConsentInput {given_on, purpose, valid_until, may_transfer_abroad, data_list} */
export const workersConsentAdd = (id, consent) => call('workers_consent_add', { id, consent });
export const workersConsentWithdraw = (id, reason) => call('workers_consent_withdraw', { id, reason });
export const workersExport = (id) => call('workers_export', { id });

// ---------------------------------------------------------------- placements
// Employers, job orders, contracts, journeys and fees. Money travels as a decimal string
// ("1500.50"); optional top-level arguments are left out when empty.

const defined = (obj) => Object.fromEntries(Object.entries(obj).filter(([, v]) => v != null && v !== ''));

/** @param {object} input {name, country, city, address, registration_number, contact_person, phone, email, cooperation_number, cooperation_signed_on, cooperation_valid_until} */
export const employersAdd = (input) => call('employers_add', { input });
/** @param {object} filter {search?, archived?: bool} */
export const employersList = ({ search, archived } = {}) =>
  call('employers_list', defined({ search: search && search.trim(), archived: archived || null }));
export const employersGet = (id) => call('employers_get', { id });
export const employersArchive = (id) => call('employers_archive', { id });

/** @param {object} input JobInput (snake_case, *_paid_by "employer"|"worker") */
export const jobsAdd = (input) => call('jobs_add', { input });
export const jobsList = (employerId) => call('jobs_list', defined({ employerId }));
export const jobsGet = (id) => call('jobs_get', { id });

/** @param {object} input ContractInput (snake_case) */
export const contractsAdd = (input) => call('contracts_add', { input });
export const contractsList = ({ workerId, status } = {}) => call('contracts_list', defined({ workerId, status }));
export const contractsGet = (id) => call('contracts_get', { id });
/** status: signed|active|completed|terminated|cancelled; a reason is required for terminated/cancelled */
export const contractsSetStatus = (id, status, reason) => call('contracts_set_status', { id, status, ...defined({ reason }) });
export const contractsRegister = (id, number, date) => call('contracts_register', { id, number, date });

export const workersDepart = (id, date, route, borderCrossing) =>
  call('workers_depart', { id, date, ...defined({ route, borderCrossing }) });
/** reason: contract_completed | early_return | deported | other */
export const workersReturn = (id, date, reason) => call('workers_return', { id, date, reason });
export const workersJourneys = (id) => call('workers_journeys', { id });

/** @param {object} input {worker_id, paid_by, purpose, amount, currency, paid_on, receipt_number, reason?} */
export const feesAdd = (input) => call('fees_add', { input });
export const feesList = (workerId) => call('fees_list', { workerId });
/** [{paid_by, currency, amount}]: the worker's fee totals, summed by the core. */
export const feesTotals = (workerId) => call('fees_totals', { workerId });
export const contractsAttach = (id, name, data) => call('contracts_attach', { id, name, data });
export const contractsAttachments = (id) => call('contracts_attachments', { id });
export const attachmentsOpen = (id) => call('attachments_open', { id });
export const feesStatement = (workerId, open) => call('fees_statement', { workerId, open });

// ---------------------------------------------------------------- training and certificates
// Courses, cohorts, enrolment, attendance and scores; certificates: issue, register,
// preview, print jobs (polled), revoke, verify, the agency's public key and settings.

export const coursesList = () => call('courses_list');
/** @param {object} input {name_uz, name_uz_cyrl, name_ru, name_en, hours, pass_mark, min_attendance_percent, validity_months, modules:[], countries:[]} */
export const coursesAdd = (input) => call('courses_add', { input });
export const cohortsList = (courseId) => call('cohorts_list', defined({ courseId }));
export const cohortsGet = (id) => call('cohorts_get', { id });
/** @param {object} input {course_id, starts_on, ends_on, place, trainer, capacity, sessions:[{date, hours}]} */
export const cohortsAdd = (input) => call('cohorts_add', { input });
export const trainingEnroll = (cohortId, workerIds) => call('training_enroll', { cohortId, workerIds });
export const trainingAttend = (cohortId, sessionId, workerIds, present) =>
  call('training_attend', { cohortId, sessionId, workerIds, present });
export const trainingScore = (cohortId, workerId, score) => call('training_score', { cohortId, workerId, score: String(score) });

export const certificatesIssue = (cohortId, workerId) => call('certificates_issue', defined({ cohortId, workerId }));
/** @param {object} filter {search?, status?: 'valid'|'revoked', workerId?} */
export const certificatesList = ({ search, status, workerId } = {}) =>
  call('certificates_list', defined({ search: search && search.trim(), status, workerId }));
export const certificatesGet = (number) => call('certificates_get', { number });
export const certificatesRevoke = (number, reason) => call('certificates_revoke', { number, reason });
export const certificatesPreview = (number) => call('certificates_preview', { number });
/** Starts a print job: `{numbers}` or `{cohortId}`, one file or one per certificate. */
export const certificatesPrint = ({ numbers, cohortId, singleFile }) =>
  call('certificates_print', { ...defined({ numbers: numbers && numbers.length ? numbers : null, cohortId }), singleFile: Boolean(singleFile) });
export const certificatesPrintStatus = (job, open) => call('certificates_print_status', open ? { job, open: true } : { job });
export const certificatesPrintCancel = (job) => call('certificates_print_cancel', { job });
export const certificatesVerify = (code) => call('certificates_verify', { code });
/** @param {string} data the file's bytes as base64 */
export const certificatesVerifyFile = (data) => call('certificates_verify_file', { data });
export const certificatesPublicKey = () => call('certificates_public_key');
export const certificatesConfig = () => call('certificates_config');
export const certificatesConfigSet = (key, value) => call('certificates_config_set', { key, value });
/** Trust another agency's public key (the text of its .pub file); answers the key id. */
export const certificatesTrustKey = (text) => call('certificates_trust_key', { text });
// ---------------------------------------------------------------- import and export (docs/api.md)

/** @param {string} name file name; @param {string} data the file as base64; @param {object} options ImportOptions */
export const importPreview = (name, data, options) => call('import_preview', { name, data, options });
/** Commits the next `batch` rows of the previewed import (one transaction). */
export const importCommit = (token, batch) => call('import_commit', { token, batch });
export const importReport = (token) => call('import_report', { token });
export const importTemplate = () => call('import_template');
/** @param {object} query the roster's ListQuery; format: xlsx | csv | csv; */
export const exportWorkers = (query, format) => call('export_workers', { query, format });
/** The certificates register with the screen's search and status; format: xlsx | csv. */
export const exportCertificates = ({ search, status, format } = {}) => call('export_certificates', defined({ search, status, format }));
export const exportContracts = ({ workerId, status, format } = {}) => call('export_contracts', defined({ workerId, status, format }));
// ---------------------------------------------------------------- backups (issue 11)
/** {folder, folder_chosen, keys, last: {file, at, size, verified} | null, stale} */
export const backupStatus = () => call('backup_status');
/** "Back up now": {file, size, verified, recovery_key?, workers, pruned}. */
export const backupCreate = () => call('backup_create');
export const backupSetFolder = (folder) => call('backup_set_folder', { folder });
export const backupVerify = (file) => call('backup_verify', { file });
export const backupRestore = (file, to) => call('backup_restore', { file, to });
export const backupRecover = (file, to, key) => call('backup_recover', { file, to, key });
