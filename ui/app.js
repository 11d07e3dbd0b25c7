// Safar UI entry point: loads the language and reference data, routes between the
// screens (hash routes), and owns the global header, keyboard shortcuts and toasts.
import * as i18n from './i18n.js';
import * as reference from './reference.js';
import { t } from './i18n.js';
import { clear, isTyping } from './dom.js';
import { rosterView } from './views/roster.js';
import { formView } from './views/form.js';
import { detailView } from './views/detail.js';

const viewEl = document.getElementById('view');
const languageSelect = document.querySelector('[data-testid="language-select"]');
const addButton = document.querySelector('[data-testid="add-worker"]');
const toastEl = document.querySelector('[data-testid="toast"]');

let current = null; // {name, instance}
let routeSeq = 0;
let pendingSearchFocus = false;

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
  return { name: 'roster', params: {} };
}

const VIEWS = { roster: rosterView, form: formView, detail: detailView };

function route() {
  const { name, params } = parseRoute();
  const seq = ++routeSeq;
  if (current && current.instance.unmount) current.instance.unmount();
  clear(viewEl);
  viewEl.dataset.view = name;
  addButton.hidden = name === 'form';
  const ctx = { navigate, toast, isCurrent: () => seq === routeSeq };
  current = { name, instance: VIEWS[name](viewEl, params, ctx) };
  if (name === 'roster' && pendingSearchFocus) current.instance.focusSearch();
  pendingSearchFocus = false;
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
toastEl.addEventListener('click', () => { clearTimeout(toastTimer); toastEl.hidden = true; });

// ---------------------------------------------------------------- language

async function onLanguageSelected() {
  const lang = languageSelect.value;
  const previous = i18n.language();
  try {
    await i18n.change(lang);
  } catch (err) {
    languageSelect.value = previous;
    toast(err.message || t('common.unexpected', { detail: err.code }), 'error');
    return;
  }
  await reference.load();
  updateDocumentTitle();
  if (current && current.instance.onLanguage) current.instance.onLanguage();
}

function updateDocumentTitle() {
  document.title = t('app.name');
}

// ---------------------------------------------------------------- keyboard

function onGlobalKey(event) {
  if (event.defaultPrevented) return;
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
    if (!current || current.name !== 'form') navigate('#/new');
    return;
  }
  if (event.key === 'Escape' && current && current.instance.onEscape) {
    if (current.instance.onEscape(event)) event.preventDefault();
  }
}

// ---------------------------------------------------------------- start

async function start() {
  const lang = await i18n.init();
  languageSelect.value = lang;
  await reference.load();
  updateDocumentTitle();
  languageSelect.addEventListener('change', onLanguageSelected);
  addButton.addEventListener('click', () => navigate('#/new'));
  document.addEventListener('keydown', onGlobalKey);
  window.addEventListener('hashchange', route);
  route();
}

start();
