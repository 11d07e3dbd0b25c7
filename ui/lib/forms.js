// What every form shares: Enter submits and Esc cancels, the "send" routine (button off
// while the core works, a refusal shown beside its fields and summed up, the focus on the
// first problem), the frame of an add form and of a small inline panel, number inputs.
import { t } from '../i18n.js';
import { h, clear } from '../dom.js';
import { problemsOf, generalMessage } from '../views/fields.js';
import { problemText } from './errors.js';

/**
 * Enter submits the form (not from a textarea, a button or a link), Esc cancels it; the
 * Esc does not travel on to the page (which would leave it).
 */
export function formKeys(form, { submit, cancel }) {
  form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  form.addEventListener('keydown', (e) => {
    if (e.isComposing) return;
    if (e.key === 'Escape' && cancel) {
      e.preventDefault();
      e.stopPropagation();
      cancel();
      return;
    }
    if (e.key !== 'Enter') return;
    const tag = e.target.tagName;
    if (tag === 'TEXTAREA' || tag === 'BUTTON' || tag === 'A') return;
    e.preventDefault();
    submit();
  });
}

/** A small "Enter saves · Esc cancels" line. */
export const keysHint = () => h('span', { class: 'kbd-hint', 'data-i18n': 'form.keys_hint' }, t('form.keys_hint'));

/** A field name as the core reports it, without the `input.` of the argument. */
export const unprefixed = (name) => String(name || '').replace(/^input\./, '');

/** Shows a refused save: each problem beside its field (`input.` prefixes dropped), the
 *  rest and the error's own message in `message`. */
export function showRefusal(err, fields, problems, message) {
  const all = problemsOf(err, fields, unprefixed);
  const rest = problems.show(all);
  clear(message);
  if (err.code === 'validation' && all.length) {
    // As the worker form does: one summary naming every problem (a click goes to its
    // field), instead of a generic line under the buttons.
    message.classList.add('form-message', 'is-error');
    message.classList.remove('inline-error');
    message.append(h('p', { class: 'summary-title' }, err.message || t('errors.validation')),
      h('ul', { class: 'summary-list' }, all.map((p) => {
        const f = fields[unprefixed(p.field)];
        const text = problemText(p);
        return h('li', null, f ? h('button', { type: 'button', class: 'link', on: { click: () => f.input.focus() } }, text) : text);
      })));
    message.hidden = false;
    return;
  }
  message.classList.remove('form-message', 'is-error');
  message.classList.add('inline-error');
  const text = generalMessage(err, all.length - rest.length, rest);
  message.textContent = text;
  message.hidden = !text;
}

/**
 * Sends a form: earlier problems and message cleared, the button off while `save()` runs
 * (reading the fields inside `save`, so a date that cannot be read is refused here too); a
 * refusal shown (`showRefusal`) with the focus on the first problem, else on `focus`.
 * Resolves to the saved record; null when the form was already being sent, was refused, or
 * the view is gone (`alive()` false).
 */
export async function submitForm({ button, message, problems, fields, save, focus, alive }) {
  if (button.disabled) return null;
  message.hidden = true;
  problems.clear();
  button.disabled = true;
  let saved;
  try {
    saved = await save();
  } catch (err) {
    button.disabled = false;
    if (!alive()) return null;
    showRefusal(err, fields, problems, message);
    if (!problems.focusFirst() && focus) focus.focus();
    return null;
  }
  button.disabled = false;
  return alive() ? saved : null;
}

/**
 * Sends one call from the button that confirms it (a status move, an archive): the button
 * off while it runs; refused, the button comes back and `failed(err)` says why (not once
 * the view is gone: `alive()` false). Resolves to `{value}`, or null after a refusal. On
 * success the button stays off: the screen is redrawn with what the core answered.
 */
export async function sendFrom(button, call, { failed, alive = () => true }) {
  button.disabled = true;
  try {
    return { value: await call() };
  } catch (err) {
    button.disabled = false;
    if (alive()) failed(err);
    return null;
  }
}

/**
 * Runs `work()` from a button that starts it (an export, a print): the button off meanwhile;
 * a failure handed to `failed(err)`. Resolves to the result, or null after a failure.
 */
export async function runButton(button, work, failed) {
  if (button) button.disabled = true;
  try {
    return await work();
  } catch (err) {
    failed(err);
    return null;
  } finally {
    if (button) button.disabled = false;
  }
}

/**
 * The frame of an add form: the field grid, then Add (`submitKey`), Cancel and the keys
 * hint, then the message of a refusal. `name` makes the classes and test ids:
 * `${name}-add-form`, `${name}-add-submit`, `${name}-add-cancel`, `${name}-add-error`.
 * Enter calls `submit`, Esc and Cancel call `cancel`. `after` goes below the grid and
 * `grid` says its columns (4 unless told); `messageFirst: false` puts the message last.
 */
export function addForm({ name, submitKey, grid, submit, cancel, columns = 4, after = null, messageFirst = true }) {
  const message = h('div', { class: 'inline-error', role: 'alert', testid: `${name}-add-error`, hidden: true });
  const button = h('button', { type: 'submit', class: 'btn btn-primary', testid: `${name}-add-submit` },
    h('span', { 'data-i18n': submitKey }, t(submitKey)));
  const cancelBtn = h('button', { type: 'button', class: 'btn', testid: `${name}-add-cancel`, on: { click: cancel } },
    h('span', { 'data-i18n': 'common.cancel' }, t('common.cancel')));
  const form = h('form', { class: `placement-form ${name}-add-form`, testid: `${name}-add-form`, novalidate: true, autocomplete: 'off' },
    messageFirst ? message : null,
    h('div', { class: `field-grid grid-${columns}` }, grid),
    after,
    h('div', { class: 'card-actions' }, button, cancelBtn, keysHint()),
    messageFirst ? null : message);
  formKeys(form, { submit, cancel });
  return { form, message, button };
}

/**
 * A small form opened inside a card (register a contract, cancel it, depart, return): a
 * title, the fields, the submit and Cancel buttons, the message of a refusal. Test ids are
 * `${name}-form`, `${name}-submit`, `${name}-cancel`, `${name}-error`.
 */
export function panelForm({ name, titleKey, titleParams, grid, submitKey, danger = false, submit, cancel, attrs = {} }) {
  const message = h('div', { class: 'inline-error', role: 'alert', testid: `${name}-error`, hidden: true });
  const button = h('button', { type: 'submit', class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`, testid: `${name}-submit`, 'data-i18n': submitKey }, t(submitKey));
  const cancelBtn = h('button', { type: 'button', class: 'btn', testid: `${name}-cancel`, 'data-i18n': 'common.cancel', on: { click: cancel } }, t('common.cancel'));
  const form = h('form', { class: ['inline-panel', danger ? 'is-danger' : null], testid: `${name}-form`, novalidate: true, autocomplete: 'off', ...attrs },
    h('p', { class: 'panel-title', 'data-i18n': titleKey, 'data-i18n-params': titleParams ? JSON.stringify(titleParams) : null }, t(titleKey, titleParams)),
    grid,
    h('div', { class: 'card-actions' }, button, cancelBtn, keysHint()),
    message);
  formKeys(form, { submit, cancel });
  return { form, message, button };
}

/** Makes a text input a number input (the right keyboard, digits aligned). */
export function asNumber(input, decimal = false) {
  input.setAttribute('inputmode', decimal ? 'decimal' : 'numeric');
  input.classList.add('input-num');
  return input;
}

/** A whole number as a JSON number; anything else as typed (the core says what is wrong). */
export function intValue(text) {
  const v = String(text ?? '').trim();
  return /^\d{1,15}$/.test(v) ? Number(v) : v;
}
