// Safar UI entry point: loads the language and reference data, asks the core who is
// signed in (first run → setup, no session → login), routes between the screens (hash
// routes), and owns the global header, navigation, keyboard shortcuts and toasts.
import * as api from './api.js';
import * as i18n from './i18n.js';
import * as reference from './reference.js';
import * as session from './session.js';
import { t } from './i18n.js';
import { h, clear, isTyping } from './dom.js';
import { errorText } from './lib/errors.js';
import { rosterView, resetRosterState } from './views/roster.js';
import { formView } from './views/form.js';
import { detailView } from './views/detail.js';
import { setupView, loginView } from './views/auth.js';
import { usersView } from './views/users.js';
import { auditView, resetAuditState } from './views/audit.js';
import { agencyView } from './views/agency.js';
import { passwordView } from './views/password.js';
import { employersView, resetEmployersState } from './views/employers.js';
import { jobsView, resetJobsState } from './views/jobs.js';
import { coursesView } from './views/courses.js';
import { cohortsView } from './views/cohorts.js';
import { cohortView } from './views/cohort.js';
import { certificatesView, resetCertificatesState } from './views/certificates.js';
import { verifyView } from './views/verify.js';
import { importView } from './views/import.js';
import { aboutView } from './views/about.js';
import { backupBanner } from './views/backup.js';

const viewEl = document.getElementById('view');
const languageSelect = document.querySelector('[data-testid="language-select"]');
const toastEl = document.querySelector('[data-testid="toast"]');
const brandSub = document.querySelector('[data-testid="brand-sub"]');
const sessionSlot = document.getElementById('session-slot');
const navEl = document.getElementById('app-nav');

let current = null; // {name, instance}
let routeSeq = 0;
let pendingSearchFocus = false;
let loginNotice = '';    // shown on the login screen after the session was lost
let referenceTriedFor = 0; // the screen (routeSeq) the reference data was last asked for
let referenceLoading = null;

// ---------------------------------------------------------------- navigation

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function parseRoute() {
  const hash = location.hash.replace(/^#/, '') || '/';
  let m;
  if (hash === '/' || hash === '') return { name: 'roster', params: {} };
  if (hash === '/new') return { name: 'form', params: { id: null } };
  if ((m = hash.match(/^\/worker\/(\d+)\/edit$/))) return { name: 'form', params: { id: Number(m[1]) } };
  if ((m = hash.match(/^\/worker\/(\d+)$/))) return { name: 'detail', params: { id: Number(m[1]) } };
  if (hash === '/users') return { name: 'users', params: {} };
  if (hash === '/audit') return { name: 'audit', params: {} };
  if (hash === '/agency') return { name: 'agency', params: {} };
  if (hash === '/password') return { name: 'password', params: {} };
  if (hash === '/employers') return { name: 'employers', params: {} };
  if (hash === '/import') return { name: 'import', params: {} };
  if ((m = hash.match(/^\/jobs(?:\?employer=(\d+))?$/))) return { name: 'jobs', params: { employer: m[1] ? Number(m[1]) : null } };
  if (hash === '/courses') return { name: 'courses', params: {} };
  if (hash === '/cohorts') return { name: 'cohorts', params: {} };
  if ((m = hash.match(/^\/cohort\/(\d+)$/))) return { name: 'cohort', params: { id: Number(m[1]) } };
  if ((m = hash.match(/^\/certificates(?:\?q=([^&]*))?$/))) return { name: 'certificates', params: { q: m[1] != null ? safeDecode(m[1]) : null } };
  if (hash === '/verify') return { name: 'verify', params: {} };
  if (hash === '/about') return { name: 'about', params: {} };
  return { name: 'roster', params: {} };
}

function safeDecode(text) {
  try { return decodeURIComponent(text); } catch (e) { return text; }
}

/** Where a role may not go, the screen it lands on instead (null: allowed). */
function redirectFor(name, params) {
  if (name === 'users' && !session.can('users_list')) return '#/';
  if (name === 'audit' && !session.can('audit_list')) return '#/';
  if (name === 'form' && !session.can('workers_update')) return params.id == null ? '#/' : `#/worker/${params.id}`;
  return null;
}

const VIEWS = {
  roster: rosterView,
  form: formView,
  detail: detailView,
  users: usersView,
  audit: auditView,
  agency: agencyView,
  password: passwordView,
  employers: employersView,
  jobs: jobsView,
  courses: coursesView,
  cohorts: cohortsView,
  cohort: cohortView,
  certificates: certificatesView,
  verify: verifyView,
  import: importView,
  about: aboutView,
  setup: setupView,
  login: loginView,
};

function route() {
  let name;
  let params = {};
  // About is for everyone, before the first run and before signing in too: support asks
  // for the version and the data folder precisely when something does not open.
  if (parseRoute().name === 'about') name = 'about';
  else if (!session.initialized()) name = 'setup';
  // Anyone may verify a certificate (a visitor at the desk, without signing in).
  else if (!session.signedIn()) name = parseRoute().name === 'verify' ? 'verify' : 'login';
  else {
    ({ name, params } = parseRoute());
    const redirect = redirectFor(name, params);
    if (redirect) {
      history.replaceState(null, '', redirect);
      ({ name, params } = parseRoute());
    }
  }
  const seq = ++routeSeq;
  if (current && current.instance.unmount) current.instance.unmount();
  clear(viewEl);
  viewEl.dataset.view = name;
  const ctx = {
    navigate,
    toast,
    isCurrent: () => seq === routeSeq,
    signedIn,
    setupDone,
    agencyChanged,
    loginNotice: name === 'login' ? loginNotice : '',
  };
  if (name === 'login') loginNotice = '';
  current = { name, instance: VIEWS[name](viewEl, params, ctx) };
  renderChrome();
  // The reference data failed earlier: ask again once for this screen, and let the screen
  // refill its lists when it arrives.
  if (!reference.loaded() && !referenceLoading && referenceTriedFor !== seq) {
    referenceTriedFor = seq;
    loadReference().then((ok) => {
      if (ok && seq === routeSeq && current && current.instance.onLanguage) current.instance.onLanguage();
    });
  }
  if (name === 'roster' && pendingSearchFocus) current.instance.focusSearch();
  pendingSearchFocus = false;
}

// ---------------------------------------------------------------- session

function setupDone(result) {
  history.replaceState(null, '', '#/');
  session.set({ initialized: true, agency: result.agency });
  // The status names what the new admin may call.
  signedIn(result.user);
}

async function signedIn(user) {
  session.set({ user });
  try {
    const status = await api.authStatus();
    session.set({ initialized: status.initialized, agency: status.agency, commands: status.commands });
  } catch (err) {
    // Signed in all the same; the agency shown is the one we had.
    route();
    if (err.code !== 'unauthenticated') toast(errorText(err), 'error');
    return;
  }
  route();
}

function agencyChanged(agency) {
  session.set({ agency });
  renderChrome();
}

/** Forget everything the screens kept (searches, filters, pages) and the toast. */
function clearScreenState() {
  resetRosterState();
  resetAuditState();
  resetEmployersState();
  resetJobsState();
  resetCertificatesState();
  hideToast();
  pendingSearchFocus = false;
}

async function lock() {
  let failure = null;
  try { await api.authLogout(); } catch (err) { failure = err; }
  // The window forgets the session in any case; a refusal of the core is still told.
  session.clearUser();
  clearScreenState();
  history.replaceState(null, '', '#/');
  route();
  languageSelect.focus();
  if (failure && failure.code !== 'unauthenticated') toast(t('app.logout_failed', { message: errorText(failure) }), 'error');
}

// Any command answering `unauthenticated`: back to the login screen (once, however many
// calls were in flight).
let bouncing = false;
api.onUnauthenticated((error, command) => {
  if (command === 'auth_login' || command === 'auth_status' || command === 'setup_init') return;
  if (!session.signedIn() || bouncing) return;
  bouncing = true;
  session.clearUser();
  clearScreenState();
  loginNotice = error.message || t('errors.unauthenticated');
  queueMicrotask(() => { bouncing = false; route(); });
});

// ---------------------------------------------------------------- header and navigation

const NAV = [
  { id: 'roster', href: '#/', label: 'nav.roster', views: ['roster', 'detail', 'form'] },
  { id: 'employers', href: '#/employers', label: 'nav.employers', views: ['employers'] },
  { id: 'jobs', href: '#/jobs', label: 'nav.jobs', views: ['jobs'] },
  { id: 'training', href: '#/cohorts', label: 'nav.training', views: ['cohorts', 'cohort', 'courses'] },
  { id: 'certificates', href: '#/certificates', label: 'nav.certificates', views: ['certificates'] },
  { id: 'verify', href: '#/verify', label: 'nav.verify', views: ['verify'] },
  { id: 'import', href: '#/import', label: 'nav.import', views: ['import'] },
  { id: 'users', href: '#/users', label: 'nav.users', views: ['users'], command: 'users_list' },
  { id: 'audit', href: '#/audit', label: 'nav.audit', views: ['audit'], command: 'audit_list' },
  { id: 'agency', href: '#/agency', label: 'nav.agency', views: ['agency'] },
];

function renderChrome() {
  const user = session.user();
  const agency = session.agency();
  brandSub.textContent = agency && agency.name ? agency.name : t('app.subtitle');
  brandSub.title = brandSub.textContent;

  clear(sessionSlot);
  clear(navEl);
  navEl.hidden = !user;
  document.body.classList.toggle('signed-in', Boolean(user));
  backupBanner(Boolean(user));
  if (!user) return;

  const role = session.role();
  const viewName = current ? current.name : '';
  sessionSlot.append(
    h('span', { class: 'current-user', testid: 'current-user', 'data-role': role, title: user.login },
      h('span', { class: 'current-user-name' }, user.full_name || user.login),
      h('span', { class: `badge role-badge role-${/^[a-z]+$/.test(role) ? role : 'unknown'}`, testid: 'current-role', 'data-i18n': `roles.${role}` },
        t(`roles.${role}`))),
    h('a', {
      class: 'btn btn-quiet', href: '#/password', testid: 'nav-password',
      'aria-current': viewName === 'password' ? 'page' : null,
    }, h('span', { 'data-i18n': 'nav.password' }, t('nav.password'))),
    h('button', { type: 'button', class: 'btn', testid: 'lock-button', 'data-i18n-title': 'nav.lock_title', title: t('nav.lock_title'), on: { click: lock } },
      lockIcon(),
      h('span', { 'data-i18n': 'nav.lock' }, t('nav.lock'))));

  const links = h('div', { class: 'nav-links' });
  for (const item of NAV) {
    if (item.command && !session.can(item.command)) continue;
    links.append(h('a', {
      class: 'nav-link', href: item.href, testid: `nav-${item.id}`,
      'aria-current': item.views.includes(viewName) ? 'page' : null,
    }, h('span', { 'data-i18n': item.label }, t(item.label))));
  }
  navEl.append(links);
  // "Add worker" sits in the header, so the ten sections have the whole width of the bar.
  if (session.canWrite()) {
    sessionSlot.prepend(h('button', {
      type: 'button', class: 'btn btn-primary', testid: 'add-worker',
      'data-i18n-title': 'app.add_shortcut', title: t('app.add_shortcut'),
      hidden: viewName === 'form', on: { click: () => navigate('#/new') },
    },
    h('span', { 'aria-hidden': 'true', class: 'btn-plus' }, '+'),
    h('span', { 'data-i18n': 'roster.add' }, t('roster.add'))));
  }
}

/** A small padlock, drawn (no emoji font needed, no image request). */
function lockIcon() {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', 'lock-icon');
  svg.setAttribute('aria-hidden', 'true');
  const body = document.createElementNS(NS, 'rect');
  for (const [k, v] of Object.entries({ x: '3', y: '7', width: '10', height: '8', rx: '1.5', fill: 'currentColor' })) body.setAttribute(k, v);
  const shackle = document.createElementNS(NS, 'path');
  for (const [k, v] of Object.entries({ d: 'M5 7V5a3 3 0 0 1 6 0v2', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.6' })) shackle.setAttribute(k, v);
  svg.append(shackle, body);
  return svg;
}

// ---------------------------------------------------------------- toasts

let toastTimer = null;
/** Show a transient message; kind is 'success' or 'error'. */
export function toast(message, kind = 'success') {
  clearTimeout(toastTimer);
  toastEl.textContent = message;
  toastEl.className = `toast toast-${kind}`;
  toastEl.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  toastEl.hidden = false;
  toastTimer = setTimeout(() => { toastEl.hidden = true; }, kind === 'error' ? 9000 : 5000);
}
function hideToast() {
  clearTimeout(toastTimer);
  toastEl.hidden = true;
  toastEl.textContent = '';
}
toastEl.addEventListener('click', hideToast);

// ---------------------------------------------------------------- language

async function onLanguageSelected() {
  const lang = languageSelect.value;
  const previous = i18n.language();
  try {
    await i18n.change(lang);
  } catch (err) {
    languageSelect.value = previous;
    toast(errorText(err), 'error');
    return;
  }
  referenceTriedFor = routeSeq;
  await loadReference();
  updateDocumentTitle();
  renderChrome();
  if (current && current.instance.onLanguage) current.instance.onLanguage();
}

/**
 * Load the reference data (regions, countries, statuses); a failure is told in the toast
 * and leaves `reference.loaded()` false, so the next screen asks again. True on success.
 */
function loadReference() {
  if (!referenceLoading) {
    referenceLoading = reference.load().then(() => true, (err) => {
      toast(t('app.reference_failed', { message: errorText(err) }), 'error');
      return false;
    }).finally(() => { referenceLoading = null; });
  }
  return referenceLoading;
}

function updateDocumentTitle() {
  document.title = t('app.name');
}

// ---------------------------------------------------------------- keyboard

function onGlobalKey(event) {
  if (event.defaultPrevented) return;
  if (!session.signedIn()) return;
  const typing = isTyping(event.target);
  const ctrl = event.ctrlKey || event.metaKey;
  if ((event.key === '/' && !typing && !ctrl && !event.altKey) || (ctrl && !event.shiftKey && event.key.toLowerCase() === 'f')) {
    event.preventDefault();
    // From the worker page the search key goes back to the roster (whose search box takes
    // the focus); in the form it does nothing, so typed input is never thrown away.
    if (current && current.name === 'roster') current.instance.focusSearch();
    else if (current && current.name === 'detail') { pendingSearchFocus = true; navigate('#/'); }
    return;
  }
  if (ctrl && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'n') {
    event.preventDefault();
    if (session.canWrite() && (!current || current.name !== 'form')) navigate('#/new');
    return;
  }
  if (event.key === 'Escape' && current && current.instance.onEscape) {
    if (current.instance.onEscape(event)) event.preventDefault();
  }
}

// ---------------------------------------------------------------- start

function renderStartFailure(err) {
  clear(viewEl);
  viewEl.dataset.view = 'failure';
  const retry = h('button', { type: 'button', class: 'btn btn-primary', testid: 'retry-start' }, t('auth.retry'));
  retry.addEventListener('click', async () => {
    retry.disabled = true;
    if (await loadStatus()) route();
    else retry.disabled = false;
  });
  viewEl.append(h('section', { class: 'auth-page' },
    h('div', { class: 'auth-card' },
      h('p', { class: 'notice is-error', role: 'alert', testid: 'start-error' },
        errorText(err)),
      h('div', { class: 'actions' }, retry))));
}

async function loadStatus() {
  try {
    const status = await api.authStatus();
    session.set({ initialized: status.initialized, agency: status.agency, user: status.user, commands: status.commands });
    return true;
  } catch (err) {
    renderStartFailure(err);
    return false;
  }
}

async function start() {
  const lang = await i18n.init((err) => toast(t('app.settings_failed', { message: errorText(err) }), 'error'));
  languageSelect.value = lang;
  referenceTriedFor = routeSeq + 1; // covers the first screen
  await loadReference();
  updateDocumentTitle();
  renderChrome();
  languageSelect.addEventListener('change', onLanguageSelected);
  document.addEventListener('keydown', onGlobalKey);
  window.addEventListener('hashchange', () => {
    const anonymousVerify = session.initialized() && (parseRoute().name === 'verify' || (current && current.name === 'verify'));
    // About opens for anyone, and leaving it returns to the screen the route decides.
    const about = parseRoute().name === 'about' || (current && current.name === 'about');
    if (session.signedIn() || anonymousVerify || about) route();
  });
  if (await loadStatus()) route();
}

start();
