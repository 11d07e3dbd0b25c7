// Change my password: the old one, the new one twice (the UI checks they match, the core
// checks the old one and the strength of the new one).
import * as api from '../api.js';
import * as reference from '../reference.js';
import { t } from '../i18n.js';
import { h } from '../dom.js';
import { textField, problemsController, problemsOf, generalMessage } from './fields.js';

export function passwordView(root, _params, ctx) {
  let alive = true;
  const fields = {
    old_password: textField({ field: 'old_password', id: 'password-old', testid: 'password-old', label: 'auth.old_password', type: 'password', autocomplete: 'current-password' }),
    new_password: textField({
      field: 'new_password', id: 'password-new', testid: 'password-new', label: 'fields.new_password', type: 'password',
      autocomplete: 'new-password', hint: 'auth.password_hint', hintParams: { min: reference.passwordMin() },
    }),
    new_password2: textField({ field: 'new_password2', id: 'password-new2', testid: 'password-new2', label: 'auth.password_repeat', type: 'password', autocomplete: 'new-password' }),
  };
  // A wrong old password comes back as `login_failed` without a field.
  const problems = problemsController(fields);
  const message = h('div', { class: 'inline-error', role: 'alert', testid: 'password-error', hidden: true });
  const submitBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'password-submit' },
    h('span', { 'data-i18n': 'auth.change_password_submit' }, t('auth.change_password_submit')));
  const cancelBtn = h('button', { type: 'button', class: 'btn', testid: 'password-cancel', on: { click: () => history.back() } },
    h('span', { 'data-i18n': 'common.cancel' }, t('common.cancel')));
  const form = h('form', { class: 'password-form', testid: 'password-form', novalidate: true },
    fields.old_password.wrap, fields.new_password.wrap, fields.new_password2.wrap,
    h('div', { class: 'card-actions' }, submitBtn, cancelBtn),
    message);

  root.append(h('section', { class: 'page password-screen', testid: 'password-screen' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title', 'data-i18n': 'auth.change_password' }, t('auth.change_password'))),
    h('div', { class: 'card password-card' }, form)));
  fields.old_password.input.focus();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message.hidden = true;
    problems.clear();
    const oldPassword = fields.old_password.input.value;
    const newPassword = fields.new_password.input.value;
    if (!oldPassword) { fields.old_password.input.focus(); return; }
    if (newPassword !== fields.new_password2.input.value) {
      problems.set('new_password2', `${t('auth.password_repeat')}: ${t('errors.password_mismatch')}`);
      fields.new_password2.input.focus();
      return;
    }
    submitBtn.disabled = true;
    try {
      await api.authChangePassword(oldPassword, newPassword);
    } catch (err) {
      submitBtn.disabled = false;
      if (!alive) return;
      const list = problemsOf(err, fields);
      if (err.code === 'login_failed' && !list.length) list.push({ field: 'old_password', code: err.code, message: err.message });
      const rest = problems.show(list);
      const text = generalMessage(err, list.length - rest.length, rest);
      message.textContent = text;
      message.hidden = !text;
      if (!problems.focusFirst()) submitBtn.focus();
      return;
    }
    if (!alive) return;
    ctx.toast(t('auth.password_changed'), 'success');
    ctx.navigate('#/');
  });

  return {
    onLanguage() {},
    onEscape() { history.back(); return true; },
    unmount() { alive = false; },
  };
}
