// The first-run setup (agency profile + first administrator) and the login screen.
import * as api from '../api.js';
import * as reference from '../reference.js';
import * as session from '../session.js';
import { t } from '../i18n.js';
import { h, clear } from '../dom.js';
import { asDate, dateValue } from '../lib/dates.js';
import { textField, problemsController, problemsOf, generalMessage } from './fields.js';

export const AGENCY_FIELDS = ['name', 'licence_number', 'licence_date', 'address', 'director'];
const ADMIN_FIELDS = ['login', 'full_name', 'password'];

/** The agency fields (setup and agency screens): {fields, element}. */
export function agencyFields(prefix, errorTestid = (f) => `error-${f}`) {
  const fields = {};
  const spec = {
    name: { label: 'fields.agency_name', hint: 'setup.name_hint', wide: true, placeholderKey: 'setup.name_placeholder' },
    licence_number: { label: 'fields.licence_number' },
    licence_date: { label: 'fields.licence_date' },
    address: { label: 'fields.address', wide: true },
    director: { label: 'fields.director' },
  };
  const grid = h('div', { class: 'field-grid auth-grid' });
  for (const f of AGENCY_FIELDS) {
    fields[f] = textField({ field: f, id: `${prefix}-${f}`, testid: `${prefix}-${f}`, errorTestid: errorTestid(f), ...spec[f] });
    if (f === 'licence_date') asDate(fields[f].input);
    grid.append(fields[f].wrap);
  }
  return { fields, element: grid };
}

/** AgencyInput from the fields; throws `dateError` for a licence date that cannot be read. */
export function readAgency(fields) {
  const out = {};
  for (const f of AGENCY_FIELDS) out[f] = f === 'licence_date' ? dateValue(fields[f].input) : fields[f].input.value.trim();
  return out;
}

// ---------------------------------------------------------------- setup

export function setupView(root, _params, ctx) {
  let alive = true;
  let busy = false;

  const agency = agencyFields('setup');
  const admin = {};
  const adminGrid = h('div', { class: 'field-grid auth-grid' });
  const adminSpec = {
    login: { label: 'fields.login', hint: 'users.login_hint', autocomplete: 'username' },
    full_name: { label: 'fields.full_name' },
    password: { label: 'fields.password', type: 'password', autocomplete: 'new-password', hint: 'auth.password_hint', hintParams: { min: reference.passwordMin() } },
    password2: { label: 'auth.password_repeat', type: 'password', autocomplete: 'new-password' },
  };
  for (const f of [...ADMIN_FIELDS, 'password2']) {
    admin[f] = textField({ field: `admin.${f}`, id: `setup-admin-${f}`, testid: `setup-admin-${f}`, ...adminSpec[f] });
    adminGrid.append(admin[f].wrap);
  }

  const all = { ...agency.fields };
  for (const [f, v] of Object.entries(admin)) all[`admin.${f}`] = v;
  // The core names agency problems `name` … (or `agency.name`), admin ones `admin.login` ….
  const alias = (name) => {
    if (name.startsWith('agency.')) return name.slice(7);
    if (ADMIN_FIELDS.includes(name)) return `admin.${name}`;
    return name;
  };
  const problems = problemsController(all, alias);

  const message = h('div', { class: 'notice is-error', role: 'alert', testid: 'setup-error', tabindex: '-1' });
  const submitBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'setup-submit' },
    h('span', { 'data-i18n': 'setup.submit' }, t('setup.submit')));
  const form = h('form', { class: 'auth-form', testid: 'setup-form', novalidate: true, autocomplete: 'off' },
    h('fieldset', { class: 'form-section' },
      h('legend', { 'data-i18n': 'setup.section_agency' }, t('setup.section_agency')),
      agency.element),
    h('fieldset', { class: 'form-section' },
      h('legend', { 'data-i18n': 'setup.section_admin' }, t('setup.section_admin')),
      h('p', { class: 'section-hint', 'data-i18n': 'setup.admin_hint' }, t('setup.admin_hint')),
      adminGrid),
    h('div', { class: 'auth-actions' }, submitBtn));

  root.append(h('section', { class: 'auth-page' },
    h('div', { class: 'auth-card setup-card' },
      h('h1', { class: 'page-title', 'data-i18n': 'setup.title' }, t('setup.title')),
      h('p', { class: 'auth-intro', 'data-i18n': 'setup.intro' }, t('setup.intro')),
      form)));
  agency.fields.name.input.focus();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    message.remove();
    let agencyInput;
    try {
      agencyInput = readAgency(agency.fields);
    } catch (err) {
      // A licence date that cannot be read, said beside it.
      problems.show(problemsOf(err, all, alias));
      problems.focusFirst();
      return;
    }
    const adminInput = {
      login: admin.login.input.value.trim(),
      full_name: admin.full_name.input.value.trim(),
      password: admin.password.input.value,
    };
    if (admin.password.input.value !== admin.password2.input.value) {
      problems.set('admin.password2', `${t('auth.password_repeat')}: ${t('errors.password_mismatch')}`);
      admin.password2.input.focus();
      return;
    }
    problems.clear();
    busy = true;
    submitBtn.disabled = true;
    let result;
    try {
      result = await api.setupInit(agencyInput, adminInput);
    } catch (err) {
      if (!alive) return;
      busy = false;
      submitBtn.disabled = false;
      const list = problemsOf(err, all, alias);
      const rest = problems.show(list);
      const text = generalMessage(err, list.length - rest.length, rest);
      message.textContent = text;
      if (text) form.before(message);
      if (!problems.focusFirst()) message.focus();
      return;
    }
    if (!alive) return;
    ctx.toast(t('setup.done', { name: result.agency ? result.agency.name : agencyInput.name }), 'success');
    ctx.setupDone(result);
  });

  return {
    onLanguage() {},
    unmount() { alive = false; },
  };
}

// ---------------------------------------------------------------- login

export function loginView(root, _params, ctx) {
  let alive = true;
  let busy = false;

  const login = textField({ field: 'login', id: 'login-login', testid: 'login-login', label: 'fields.login', autocomplete: 'username' });
  const password = textField({ field: 'password', id: 'login-password', testid: 'login-password', label: 'fields.password', type: 'password', autocomplete: 'current-password' });
  const error = h('div', { class: 'notice is-error', role: 'alert', testid: 'login-error' });
  const submitBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'login-submit' },
    h('span', { 'data-i18n': 'auth.sign_in' }, t('auth.sign_in')));
  const agency = session.agency();
  const form = h('form', { class: 'auth-form login-form', testid: 'login-form', novalidate: true },
    login.wrap, password.wrap,
    h('div', { class: 'auth-actions' }, submitBtn));

  root.append(h('section', { class: 'auth-page' },
    h('div', { class: 'auth-card login-card' },
      h('img', { class: 'auth-logo', src: 'img/logo.png', alt: '', width: '48', height: '48' }),
      h('h1', { class: 'page-title', 'data-i18n': 'auth.title' }, t('auth.title')),
      agency && agency.name ? h('p', { class: 'auth-agency', testid: 'login-agency' }, agency.name) : null,
      ctx.loginNotice ? h('p', { class: 'notice is-muted', testid: 'login-notice' }, ctx.loginNotice) : null,
      form,
      h('p', { class: 'auth-verify' },
        h('a', { href: '#/verify', testid: 'login-verify', 'data-i18n': 'auth.verify_link' }, t('auth.verify_link'))))));
  login.input.focus();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    error.remove();
    const name = login.input.value.trim();
    if (!name) { login.input.focus(); return; }
    if (!password.input.value) { password.input.focus(); return; }
    busy = true;
    submitBtn.disabled = true;
    let user;
    try {
      user = await api.authLogin(name, password.input.value);
    } catch (err) {
      if (!alive) return;
      busy = false;
      submitBtn.disabled = false;
      clear(error);
      error.textContent = err.message || t(`errors.${err.code}`);
      error.dataset.code = err.code;
      form.before(error);
      password.input.value = '';
      password.input.focus();
      return;
    }
    if (!alive) return;
    ctx.signedIn(user);
  });

  return {
    onLanguage() {},
    unmount() { alive = false; },
  };
}
