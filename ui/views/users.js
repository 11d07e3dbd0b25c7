// Users (admin only): the accounts with their roles, add a user, change a role, disable or
// enable an account.
import * as api from '../api.js';
import * as reference from '../reference.js';
import * as session from '../session.js';
import { ROLES } from '../session.js';
import { t } from '../i18n.js';
import { h, clear } from '../dom.js';
import { dateTime } from './format.js';
import { textField, selectField, problemsController, problemsOf, generalMessage } from './fields.js';
import { errorText } from '../lib/errors.js';

const roleItems = () => ROLES.map((r) => [r, `roles.${r}`]);

export function usersView(root, _params, ctx) {
  let alive = true;
  let users = [];

  const tbody = h('tbody');
  const table = h('table', { class: 'data-table users-table', testid: 'users-table' },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', 'data-i18n': 'fields.login' }, t('fields.login')),
      h('th', { scope: 'col', 'data-i18n': 'fields.full_name' }, t('fields.full_name')),
      h('th', { scope: 'col', 'data-i18n': 'fields.role' }, t('fields.role')),
      h('th', { scope: 'col', 'data-i18n': 'users.col_state' }, t('users.col_state')),
      h('th', { scope: 'col', 'data-i18n': 'users.col_created' }, t('users.col_created')),
      h('th', { scope: 'col', class: 'col-actions' }, h('span', { class: 'sr-only', 'data-i18n': 'users.col_actions' }, t('users.col_actions'))))),
    tbody);
  const listError = h('p', { class: 'notice is-error', role: 'alert', testid: 'users-error', hidden: true });

  // ---- add form
  const fields = {
    login: textField({ field: 'login', id: 'user-add-login', testid: 'user-add-login', label: 'fields.login', hint: 'users.login_hint' }),
    full_name: textField({ field: 'full_name', id: 'user-add-full_name', testid: 'user-add-full_name', label: 'fields.full_name' }),
    role: selectField({ field: 'role', id: 'user-add-role', testid: 'user-add-role', label: 'fields.role' }, roleItems(), 'staff'),
    password: textField({
      field: 'password', id: 'user-add-password', testid: 'user-add-password', label: 'fields.password',
      type: 'password', autocomplete: 'new-password', hint: 'auth.password_hint', hintParams: { min: reference.passwordMin() },
    }),
  };
  const problems = problemsController(fields, (name) => name.replace(/^input\./, ''));
  const addMessage = h('p', { class: 'inline-error', role: 'alert', testid: 'user-add-error', hidden: true });
  const addBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'user-add-submit' },
    h('span', { 'data-i18n': 'users.add_submit' }, t('users.add_submit')));
  const addForm = h('form', { class: 'user-add-form', testid: 'user-add-form', novalidate: true, autocomplete: 'off' },
    h('div', { class: 'field-grid user-add-grid' }, fields.login.wrap, fields.full_name.wrap, fields.role.wrap, fields.password.wrap),
    h('div', { class: 'card-actions' }, addBtn),
    addMessage);

  root.append(h('section', { class: 'page users-screen', testid: 'users-screen' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title', 'data-i18n': 'users.title' }, t('users.title'))),
    listError,
    h('div', { class: 'table-wrap' }, table),
    h('div', { class: 'card' },
      h('h2', { class: 'card-title', 'data-i18n': 'users.add_title' }, t('users.add_title')),
      addForm)));

  load();

  async function load() {
    table.setAttribute('aria-busy', 'true');
    try {
      users = await api.usersList();
    } catch (err) {
      if (!alive) return;
      showListError(err);
      return;
    } finally {
      table.removeAttribute('aria-busy');
    }
    if (!alive) return;
    listError.hidden = true;
    renderRows();
  }

  function showListError(err) {
    listError.textContent = errorText(err);
    listError.hidden = false;
  }

  function renderRows() {
    clear(tbody);
    const me = session.user();
    for (const u of users) tbody.append(row(u, me && me.id === u.id));
  }

  function row(u, isMe) {
    const roleSelect = h('select', { testid: 'user-role-select', 'aria-label': t('users.role_of', { login: u.login }) });
    for (const [value, key] of roleItems()) roleSelect.append(h('option', { value, selected: value === u.role }, t(key)));
    if (!ROLES.includes(u.role)) roleSelect.append(h('option', { value: u.role, selected: true }, u.role));
    roleSelect.addEventListener('change', () => setRole(u, roleSelect));
    const toggle = u.disabled
      ? h('button', { type: 'button', class: 'btn btn-small', testid: 'user-enable', on: { click: () => setDisabled(u, false) } }, t('users.enable'))
      : h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', testid: 'user-disable', on: { click: () => setDisabled(u, true) } }, t('users.disable'));
    return h('tr', { testid: 'user-row', 'data-id': u.id, 'data-login': u.login, class: u.disabled ? 'is-disabled' : null },
      h('td', { class: 'col-login' }, h('span', { class: 'mono' }, u.login),
        isMe ? h('span', { class: 'badge badge-me' }, t('users.me')) : null),
      h('td', null, u.full_name || t('common.none')),
      h('td', { class: 'col-role' }, roleSelect),
      h('td', { testid: 'user-state', 'data-disabled': String(Boolean(u.disabled)) },
        h('span', { class: `badge ${u.disabled ? 'user-disabled' : 'user-active'}` }, t(u.disabled ? 'users.disabled' : 'users.active'))),
      h('td', { class: 'num muted' }, dateTime(u.created_at)),
      h('td', { class: 'col-actions' }, toggle));
  }

  function replace(updated) {
    users = users.map((u) => (u.id === updated.id ? updated : u));
    const me = session.user();
    if (me && me.id === updated.id) session.set({ user: { ...me, ...updated } });
    renderRows();
  }

  async function setRole(u, select) {
    const role = select.value;
    select.disabled = true;
    let updated;
    try {
      updated = await api.usersSetRole(u.id, role);
    } catch (err) {
      if (!alive) return;
      select.disabled = false;
      select.value = u.role;
      ctx.toast(errorText(err), 'error');
      return;
    }
    if (!alive) return;
    replace(updated);
    ctx.toast(t('users.role_changed', { login: updated.login, role: t(`roles.${updated.role}`) }), 'success');
    tbody.querySelector(`tr[data-id="${updated.id}"] [data-testid="user-role-select"]`)?.focus();
  }

  async function setDisabled(u, disable) {
    let updated;
    try {
      updated = disable ? await api.usersDisable(u.id) : await api.usersEnable(u.id);
    } catch (err) {
      if (alive) ctx.toast(errorText(err), 'error');
      return;
    }
    if (!alive) return;
    replace(updated);
    ctx.toast(t(disable ? 'users.disabled_done' : 'users.enabled_done', { login: updated.login }), 'success');
    tbody.querySelector(`tr[data-id="${updated.id}"] [data-testid="${disable ? 'user-enable' : 'user-disable'}"]`)?.focus();
  }

  addForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    addMessage.hidden = true;
    problems.clear();
    const input = {
      login: fields.login.input.value.trim(),
      full_name: fields.full_name.input.value.trim(),
      role: fields.role.input.value,
      password: fields.password.input.value,
    };
    addBtn.disabled = true;
    let user;
    try {
      user = await api.usersAdd(input);
    } catch (err) {
      addBtn.disabled = false;
      if (!alive) return;
      const all = problemsOf(err, fields, (name) => name.replace(/^input\./, ''));
      const rest = problems.show(all);
      const text = generalMessage(err, all.length - rest.length, rest);
      addMessage.textContent = text;
      addMessage.hidden = !text;
      if (!problems.focusFirst()) fields.login.input.focus();
      return;
    }
    addBtn.disabled = false;
    if (!alive) return;
    ctx.toast(t('users.added', { login: user.login, role: t(`roles.${user.role}`) }), 'success');
    for (const f of ['login', 'full_name', 'password']) fields[f].input.value = '';
    fields.role.input.value = 'staff';
    users = [...users.filter((u) => u.id !== user.id), user].sort((a, b) => a.login.localeCompare(b.login));
    renderRows();
    fields.login.input.focus();
  });

  return {
    onLanguage() { renderRows(); },
    unmount() { alive = false; },
  };
}
