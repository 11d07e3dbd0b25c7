// Translations: ui/i18n/<lang>.json, fetched from the app's own origin. t() looks a key
// up in the current language, then in Uzbek Latin (the default), then returns the key.
import * as api from './api.js';

export const LANGUAGES = ['uz-Latn', 'uz-Cyrl', 'ru', 'en'];
export const DEFAULT_LANGUAGE = 'uz-Latn';

const dictionaries = new Map();
let current = DEFAULT_LANGUAGE;
const listeners = new Set();

async function load(lang) {
  if (dictionaries.has(lang)) return dictionaries.get(lang);
  let dict = {};
  try {
    const response = await fetch(`i18n/${lang}.json`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    dict = await response.json();
  } catch (err) {
    console.error(`i18n: cannot load ${lang}:`, err);
  }
  dictionaries.set(lang, dict);
  return dict;
}

function lookup(dict, key) {
  let node = dict;
  for (const part of key.split('.')) {
    if (node == null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, part)) {
      return undefined;
    }
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** True when the key exists in the current language or in the fallback. */
export function has(key) {
  return lookup(dictionaries.get(current) || {}, key) !== undefined
    || lookup(dictionaries.get(DEFAULT_LANGUAGE) || {}, key) !== undefined;
}

/** Translate `key`, replacing every `{name}` with params[name]. */
export function t(key, params) {
  let text = lookup(dictionaries.get(current) || {}, key);
  if (text === undefined) text = lookup(dictionaries.get(DEFAULT_LANGUAGE) || {}, key);
  if (text === undefined) text = key;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (whole, name) =>
      Object.prototype.hasOwnProperty.call(params, name) && params[name] != null ? String(params[name]) : whole);
  }
  return text;
}

export function language() {
  return current;
}

/**
 * Set textContent / placeholder / title / aria-label of every element under root that asks
 * for it (`data-i18n-params` holds the JSON parameters of a `data-i18n` text).
 */
export function apply(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    let params;
    if (el.dataset.i18nParams) {
      try { params = JSON.parse(el.dataset.i18nParams); } catch (err) { params = undefined; }
    }
    el.textContent = t(el.dataset.i18n, params);
  }
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  }
}

/** Switch the UI to `lang` (without persisting it). */
export async function use(lang) {
  if (!LANGUAGES.includes(lang)) lang = DEFAULT_LANGUAGE;
  await Promise.all([load(DEFAULT_LANGUAGE), load(lang)]);
  current = lang;
  document.documentElement.lang = lang;
  apply(document);
  for (const fn of listeners) fn(lang);
}

/**
 * Read the persisted language from the core and switch to it. When the core cannot say,
 * the default language is used and `onError(err)` is called once the texts are loaded
 * (so it can tell the user in that language).
 */
export async function init(onError) {
  let lang = DEFAULT_LANGUAGE;
  let failure = null;
  try {
    const settings = await api.settingsGet();
    if (settings && LANGUAGES.includes(settings.language)) lang = settings.language;
  } catch (err) {
    console.error('settings_get failed:', err);
    failure = err;
  }
  await use(lang);
  if (failure && onError) onError(failure);
  return lang;
}

/** Persist `lang` in the core (so its messages follow) and switch the UI to it. */
export async function change(lang) {
  let saved = lang;
  const result = await api.settingsSetLanguage(lang);
  if (result && LANGUAGES.includes(result.language)) saved = result.language;
  await use(saved);
  return saved;
}

export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
