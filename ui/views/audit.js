// The audit trail (admin only): filters, a page of entries newest first, and "Verify
// chain". The filters survive navigation until the app is locked.
import * as api from '../api.js';
import { t, has } from '../i18n.js';
import { h, clear, option, debounce } from '../dom.js';
import { parseDate, tidyDate, formatDate, invalidReason } from '../lib/dates.js';
import { errorText } from '../lib/errors.js';
import { dateTime, actionName, changeList } from './format.js';

const PAGE = 50;
/** Changes shown in a row before "more". */
const LINES = 3;

export const ACTIONS = [
  'worker.create', 'worker.update', 'worker.status', 'worker.archive', 'worker.restore', 'worker.export',
  'consent.add', 'consent.withdraw', 'login', 'login_failed', 'logout', 'user.add', 'user.disable',
  'user.enable', 'user.role', 'user.password', 'agency.init', 'agency.update', 'settings.language', 'demo',
  'employer.add', 'employer.archive', 'job.add', 'contract.add', 'contract.status', 'contract.register',
  'worker.depart', 'worker.return', 'fee.add', 'fee.statement', 'contract.attach', 'settings.change',
  'course.add', 'cohort.add', 'training.enroll', 'training.attend', 'training.score', 'certificate.issue',
  'certificate.revoke', 'key.trust', 'import', 'export', 'audit.baseline', 'backup.create',
];

const INITIAL = { user: '', record: '', action: '', from: '', to: '', offset: 0 };
const state = { ...INITIAL };

/** Forget the filters and the page (on "Lock"). */
export function resetAuditState() {
  Object.assign(state, INITIAL);
}

/** "12", "#12", "worker 12" → a worker; "user 3" → a user; null when unreadable. */
export function parseRecord(text) {
  const v = String(text || '').trim();
  if (!v) return {};
  const m = /^(?:([a-z_]+)\s*)?#?\s*(\d+)$/i.exec(v);
  if (!m) return null;
  return { record_type: (m[1] || 'worker').toLowerCase(), record_id: Number(m[2]) };
}


export function auditView(root, _params, ctx) {
  let alive = true;
  let seq = 0;
  let lastResult = null;
  let verdict = null;

  // ---- filters
  const usersList = h('datalist', { id: 'audit-users' });
  const userInput = h('input', {
    type: 'text', id: 'audit-filter-user', testid: 'audit-filter-user', list: 'audit-users', autocomplete: 'off',
    spellcheck: 'false', value: state.user, class: 'filter',
  });
  const recordInput = h('input', {
    type: 'text', id: 'audit-filter-record', testid: 'audit-filter-record', autocomplete: 'off', spellcheck: 'false',
    value: state.record, class: 'filter filter-narrow', placeholder: '12',
  });
  const actionSelect = h('select', { id: 'audit-filter-action', testid: 'audit-filter-action', class: 'filter' });
  const fromInput = h('input', {
    type: 'text', id: 'audit-filter-from', testid: 'audit-filter-from', autocomplete: 'off', inputmode: 'numeric',
    maxlength: '20', value: formatDate(state.from), class: 'filter filter-date', placeholder: t('form.date_placeholder'),
    'data-i18n-placeholder': 'form.date_placeholder',
  });
  const toInput = h('input', {
    type: 'text', id: 'audit-filter-to', testid: 'audit-filter-to', autocomplete: 'off', inputmode: 'numeric',
    maxlength: '20', value: formatDate(state.to), class: 'filter filter-date', placeholder: t('form.date_placeholder'),
    'data-i18n-placeholder': 'form.date_placeholder',
  });
  const resetBtn = h('button', { type: 'button', class: 'btn', testid: 'audit-filter-reset' },
    h('span', { 'data-i18n': 'audit.reset' }, t('audit.reset')));
  const filterField = (labelKey, control) => h('div', { class: 'filter-field' },
    h('label', { for: control.id, 'data-i18n': labelKey }, t(labelKey)), control);

  // ---- table
  const tbody = h('tbody');
  const table = h('table', { class: 'data-table audit-table', testid: 'audit-table' },
    h('thead', null, h('tr', null,
      ['audit.col_id', 'audit.col_at', 'audit.col_user', 'audit.col_action', 'audit.col_record', 'audit.col_changes']
        .map((key) => h('th', { scope: 'col', 'data-i18n': key }, t(key))))),
    tbody);
  const empty = h('div', { class: 'roster-empty', testid: 'audit-empty', role: 'status' });
  const failure = h('p', { class: 'notice is-error', role: 'alert', testid: 'audit-error', hidden: true });
  const count = h('span', { class: 'roster-count', testid: 'audit-count', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', class: 'btn', testid: 'audit-prev' }, h('span', { 'data-i18n': 'roster.prev' }, t('roster.prev')));
  const next = h('button', { type: 'button', class: 'btn', testid: 'audit-next' }, h('span', { 'data-i18n': 'roster.next' }, t('roster.next')));

  // ---- verify
  const verifyBtn = h('button', { type: 'button', class: 'btn', testid: 'audit-verify' },
    h('span', { 'data-i18n': 'audit.verify' }, t('audit.verify')));
  const verifyResult = h('span', { class: 'verify-result', testid: 'audit-verify-result', role: 'status', hidden: true });

  root.append(h('section', { class: 'page audit-screen', testid: 'audit-screen' },
    h('div', { class: 'page-head' },
      h('h1', { class: 'page-title', 'data-i18n': 'audit.title' }, t('audit.title')),
      count,
      h('div', { class: 'page-head-end' }, verifyResult, verifyBtn)),
    h('div', { class: 'toolbar audit-filters', role: 'search' },
      filterField('audit.filter_user', userInput), usersList,
      filterField('audit.filter_record', recordInput),
      filterField('audit.filter_action', actionSelect),
      filterField('audit.filter_from', fromInput),
      filterField('audit.filter_to', toInput),
      h('div', { class: 'filter-field filter-reset' }, resetBtn)),
    failure,
    h('div', { class: 'table-wrap' }, table),
    h('div', { class: 'pager' }, prev, next)));

  fillActions();
  loadUsers();
  load();

  // ---- events
  const textChanged = debounce(() => applyFilters(), 300);
  for (const el of [userInput, recordInput]) {
    el.addEventListener('input', textChanged);
    el.addEventListener('change', () => textChanged.flush());
    el.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); textChanged.flush(); } });
  }
  actionSelect.addEventListener('change', applyFilters);
  for (const el of [fromInput, toInput]) {
    el.addEventListener('change', () => { el.value = tidyDate(el.value); applyFilters(); });
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); el.value = tidyDate(el.value); applyFilters(); }
    });
  }
  resetBtn.addEventListener('click', () => {
    userInput.value = ''; recordInput.value = ''; actionSelect.value = ''; fromInput.value = ''; toInput.value = '';
    applyFilters();
    userInput.focus();
  });
  prev.addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); load(); });
  next.addEventListener('click', () => { state.offset += PAGE; load(); });
  verifyBtn.addEventListener('click', verify);

  // ---- behaviour
  function fillActions() {
    const keep = actionSelect.value || state.action;
    clear(actionSelect);
    actionSelect.append(option('', t('audit.all_actions')));
    for (const code of ACTIONS) actionSelect.append(option(code, actionName(code)));
    if (keep && !ACTIONS.includes(keep)) actionSelect.append(option(keep, keep));
    actionSelect.value = keep;
  }

  async function loadUsers() {
    let users = [];
    try {
      users = await api.usersList();
    } catch (err) {
      // Only the suggestions of the user filter are missing; typing a login still works.
      if (alive && err.code !== 'unauthenticated') {
        ctx.toast(t('audit.users_failed', { message: errorText(err) }), 'error');
      }
      return;
    }
    if (!alive) return;
    clear(usersList);
    for (const u of users) usersList.append(h('option', { value: u.login }, u.full_name || u.login));
  }

  function markInvalid(el, bad, reason) {
    el.classList.toggle('is-invalid', bad);
    if (bad) el.setAttribute('aria-invalid', 'true'); else el.removeAttribute('aria-invalid');
    if (reason && bad) el.title = reason; else if (reason) el.removeAttribute('title');
  }

  function applyFilters() {
    const record = parseRecord(recordInput.value);
    markInvalid(recordInput, record === null);
    // A date filter that cannot be read is marked and says why; the list ignores it.
    markInvalid(fromInput, parseDate(fromInput.value) === null, invalidReason());
    markInvalid(toInput, parseDate(toInput.value) === null, invalidReason());
    const nextState = {
      user: userInput.value.trim(),
      record: recordInput.value.trim(),
      action: actionSelect.value,
      from: parseDate(fromInput.value) || '',
      to: parseDate(toInput.value) || '',
    };
    if (['user', 'record', 'action', 'from', 'to'].every((k) => state[k] === nextState[k])) return;
    Object.assign(state, nextState, { offset: 0 });
    load();
  }

  function query() {
    const q = { limit: PAGE, offset: state.offset };
    if (state.user) q.user = state.user;
    const record = parseRecord(state.record);
    if (record && record.record_id != null) { q.record_type = record.record_type; q.record_id = record.record_id; }
    if (state.action) q.action = state.action;
    if (state.from) q.from = state.from;
    if (state.to) q.to = state.to;
    return q;
  }

  async function load() {
    const mine = ++seq;
    table.setAttribute('aria-busy', 'true');
    let result;
    try {
      result = await api.auditList(query());
    } catch (err) {
      if (!alive || mine !== seq) return;
      table.removeAttribute('aria-busy');
      failure.textContent = errorText(err);
      failure.hidden = false;
      return;
    }
    if (!alive || mine !== seq) return;
    table.removeAttribute('aria-busy');
    failure.hidden = true;
    const items = (result && result.items) || [];
    if (!items.length && state.offset > 0) {
      state.offset = Math.max(0, state.offset - PAGE);
      load();
      return;
    }
    lastResult = { items, has_more: Boolean(result && result.has_more) };
    renderRows();
  }

  function recordCell(e) {
    if (!e.record_type && e.record_id == null) return t('common.none');
    if (e.record_type === 'worker' && e.record_id != null) {
      return h('a', { class: 'link', href: `#/worker/${e.record_id}`, testid: 'audit-record-link' },
        t('audit.record_worker', { id: e.record_id }));
    }
    const key = `audit.record_${e.record_type}`;
    if (has(key)) return t(key, { id: e.record_id ?? '' });
    return `${e.record_type || ''}${e.record_id != null ? ` #${e.record_id}` : ''}`;
  }

  function changesCell(changes, action) {
    const lines = changeList(changes, action);
    if (!lines.length) return h('span', { class: 'muted' }, t('common.none'));
    const shown = lines.slice(0, LINES);
    const more = lines.slice(LINES);
    return h('div', { class: 'changes-compact' },
      shown.map((line) => h('div', { class: 'change-line' }, line)),
      more.length ? h('details', { class: 'changes-more' },
        h('summary', null, t('audit.more', { count: more.length })),
        more.map((line) => h('div', { class: 'change-line' }, line))) : null);
  }

  function renderRows() {
    if (!lastResult) return;
    clear(tbody);
    const { items } = lastResult;
    for (const e of items) {
      tbody.append(h('tr', { testid: 'audit-row', 'data-id': e.id ?? '', 'data-action': e.action || '' },
        h('td', { class: 'num muted col-id' }, e.id != null ? `#${e.id}` : ''),
        h('td', { class: 'num col-at' }, h('time', { datetime: e.at || '' }, dateTime(e.at))),
        h('td', { class: 'col-user' }, e.user || t('common.none')),
        h('td', { class: 'col-action' }, h('span', { class: `action-tag action-${String(e.action || '').split('.')[0].replace(/[^a-z_]/g, '')}` }, actionName(e.action))),
        h('td', { class: 'col-record' }, recordCell(e)),
        h('td', { class: 'col-changes' }, changesCell(e.changes, e.action))));
    }
    if (items.length) empty.remove();
    else {
      empty.textContent = t('audit.empty');
      table.after(empty);
    }
    count.textContent = items.length
      ? t('roster.count_open', { from: state.offset + 1, to: state.offset + items.length })
      : '';
    prev.disabled = state.offset === 0;
    next.disabled = !lastResult.has_more;
  }

  async function verify() {
    verifyBtn.disabled = true;
    verifyResult.hidden = true;
    try {
      verdict = await api.auditVerify();
    } catch (err) {
      verifyBtn.disabled = false;
      if (!alive) return;
      verdict = { error: errorText(err) };
      renderVerdict();
      return;
    }
    verifyBtn.disabled = false;
    if (alive) renderVerdict();
  }

  function renderVerdict() {
    if (!verdict) return;
    let text;
    let ok = false;
    if (verdict.error) text = verdict.error;
    else if (verdict.ok) {
      ok = true;
      text = t('audit.verify_ok', { count: verdict.entries ?? 0 });
      if (verdict.signatures_checked === false) text += ` ${t('audit.signatures_unchecked')}`;
    } else {
      const reason = verdict.reason && has(`audit.reason_${verdict.reason}`)
        ? t(`audit.reason_${verdict.reason}`, { record: verdict.record ?? '' }) : (verdict.reason || '');
      text = t('audit.verify_broken', { id: verdict.first_broken ?? '?', reason });
    }
    verifyResult.textContent = `${ok ? '✓' : '✗'} ${text}`;
    verifyResult.className = `verify-result ${ok ? 'verify-ok' : 'verify-broken'}`;
    verifyResult.dataset.ok = String(ok);
    verifyResult.setAttribute('role', ok ? 'status' : 'alert');
    verifyResult.hidden = false;
  }

  return {
    onLanguage() {
      fillActions();
      renderRows();
      renderVerdict();
    },
    unmount() { alive = false; textChanged.cancel(); },
  };
}
