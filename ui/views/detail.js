// The worker page: every field, the status with its allowed moves, the status history,
// the consent (with withdraw / record new), the worker's audit trail, and Edit / Archive /
// Restore / Export; below them his contracts, journey and fees (worker_placement.js).
// A viewer gets no controls that change anything (absent, not hidden).
import * as api from '../api.js';
import * as reference from '../reference.js';
import * as session from '../session.js';
import { t } from '../i18n.js';
import { h, append, clear, option } from '../dom.js';
import { latinName, cyrillicName, statusBadge, dateTime, dash, actionName, changeList } from './format.js';
import { consentFields, consentBadge, blockedReason } from './consent.js';
import { placementSections } from './worker_placement.js';
import { workerCertificates } from './worker_certificates.js';
import { historyReason } from './placement.js';
import { errorText } from '../lib/errors.js';
import { runButton, sendFrom } from '../lib/forms.js';

/** Moves made with their own dated forms (Journey), not with the status select. */
const JOURNEY_STATUSES = new Set(['departed', 'returned']);

const GROUPS = [
  { key: 'form.section_names', fields: ['last_name', 'first_name', 'patronymic'] },
  { key: 'form.section_cyrillic', fields: ['last_name_cyrillic', 'first_name_cyrillic', 'patronymic_cyrillic'] },
  { key: 'form.section_identity', fields: ['pinfl', 'birth_date', 'sex'] },
  { key: 'form.section_passport', fields: ['passport_number', 'passport_issued', 'passport_expiry'] },
  { key: 'form.section_contact', fields: ['phone', 'region', 'destination_country', 'notes'] },
];

export function detailView(root, params, ctx) {
  const id = params.id;
  let alive = true;
  let worker = null;
  let history = [];
  let audit = [];
  let historyError = null;         // the error of the last workers_history call, if it failed
  let auditError = null;           // the same for workers_audit
  let archiveOpen = false;
  let consentMode = null;          // null | 'withdraw' | 'add'
  let consentForm = null;          // the "record new consent" fields while open

  const container = h('section', { class: 'detail', testid: 'worker-detail', 'aria-busy': 'true' });
  root.append(container);
  const placement = placementSections({ id, ctx, isAlive: () => alive, changed: reloadAll });
  const certificates = workerCertificates({ id, isAlive: () => alive });
  load(true);

  async function load(initial) {
    let w; let hist; let trail;
    try {
      // The worker decides whether the page can be shown; a failed history or audit trail
      // is shown inline in its own card (never as "no history"), and so are the contracts,
      // journeys and fees.
      [w, hist, trail] = await Promise.all([api.workersGet(id), settle(api.workersHistory(id)), settle(api.workersAudit(id)), placement.load(), certificates.load()]);
    } catch (err) {
      if (!alive) return;
      renderFailure(err);
      return;
    }
    if (!alive) return;
    worker = w;
    takeTrails(hist, trail);
    render();
    if (initial) {
      (container.querySelector('[data-testid="status-select"], [data-testid="edit-worker"]')
        || container.querySelector('[data-testid="back-to-roster"]'))?.focus();
    }
  }

  /**
   * After a contract, journey or fee was saved: the worker (his status may have moved), his
   * trails and the placement data again, then the page.
   */
  async function reloadAll() {
    const [w] = await Promise.all([settle(api.workersGet(id)), refreshTrails(), placement.load(), certificates.load()]);
    if (!alive) return;
    if (w.error) ctx.toast(errorText(w.error), 'error');
    else worker = w.value;
    render();
  }

  /** Status history and audit trail again, after a change. */
  async function refreshTrails() {
    const [hist, trail] = await Promise.all([settle(api.workersHistory(id)), settle(api.workersAudit(id))]);
    if (alive) takeTrails(hist, trail);
  }

  /** Keep what came back; on a failure keep the entries shown so far and the error. */
  function takeTrails(hist, trail) {
    if (hist.error) historyError = hist.error;
    else { historyError = null; history = Array.isArray(hist.value) ? hist.value : []; }
    if (trail.error) auditError = trail.error;
    else { auditError = null; audit = Array.isArray(trail.value) ? trail.value : []; }
  }

  /** Retry a failed history / audit trail from its card. */
  async function retryTrails(testid) {
    await refreshTrails();
    if (!alive || !worker) return;
    render();
    // Still failing: back on the retry button; loaded: where the page starts.
    (container.querySelector(`[data-testid="${testid}"]`)
      || container.querySelector('[data-testid="status-select"], [data-testid="edit-worker"], [data-testid="back-to-roster"]'))?.focus();
  }

  /** An inline error for a card whose data could not be loaded, with a retry button. */
  function trailError(err, key, testid, retryTestid) {
    return h('div', { class: 'inline-error trail-error', role: 'alert', testid },
      h('span', { class: 'trail-error-text' }, t(key, { message: errorText(err) })), ' ',
      h('button', {
        type: 'button', class: 'btn btn-small', testid: retryTestid,
        on: { click: (e) => { e.currentTarget.disabled = true; retryTrails(retryTestid); } },
      }, t('auth.retry')));
  }

  function renderFailure(err) {
    clear(container);
    container.removeAttribute('aria-busy');
    container.append(
      h('div', { class: 'page-head' },
        h('h1', { class: 'page-title', testid: 'detail-name' }, t('detail.title', { id }))),
      h('p', { class: 'notice is-error', role: 'alert' }, errorText(err)),
      h('div', { class: 'actions' }, backButton()));
  }

  function backButton() {
    return h('button', { type: 'button', class: 'btn', testid: 'back-to-roster', on: { click: () => ctx.navigate('#/') } },
      h('span', { 'aria-hidden': 'true' }, '← '), t('detail.back'));
  }

  function render() {
    const keepReason = container.querySelector('[data-testid="status-reason"]')?.value || '';
    const keepWithdraw = container.querySelector('[data-testid="consent-withdraw-reason"]')?.value || '';
    clear(container);
    container.removeAttribute('aria-busy');
    const w = worker;
    const cyr = cyrillicName(w);
    const write = session.canWrite();

    const actions = h('div', { class: 'actions' },
      backButton(),
      write ? h('button', { type: 'button', class: 'btn', testid: 'edit-worker', on: { click: () => ctx.navigate(`#/worker/${id}/edit`) } },
        t('detail.edit')) : null,
      write ? h('button', { type: 'button', class: 'btn', testid: 'export-worker', title: t('detail.export_title'), on: { click: exportData } },
        t('detail.export')) : null,
      !write ? null : w.archived
        ? h('button', { type: 'button', class: 'btn btn-primary', testid: 'restore-worker', on: { click: restore } }, t('detail.restore'))
        : h('button', { type: 'button', class: 'btn btn-danger-outline', testid: 'archive-worker', 'aria-expanded': String(archiveOpen), on: { click: openArchive } },
          t('detail.archive')));

    append(container, [
      h('div', { class: 'detail-head' },
        h('div', { class: 'titles' },
          h('h1', { class: 'page-title detail-name', testid: 'detail-name' }, latinName(w) || t('common.none')),
          cyr ? h('p', { class: 'name-cyrillic big', lang: 'uz-Cyrl', testid: 'detail-name-cyrillic' }, cyr) : null,
          h('div', { class: 'meta' },
            h('span', { class: 'worker-id' }, `#${w.id}`),
            statusBadge(w.status, w.status_name, 'detail-status'),
            w.archived ? h('span', { class: 'badge badge-archived', testid: 'detail-archived' }, t('common.archived')) : null)),
        actions),
      archiveOpen && !w.archived && write ? archivePanel() : null,
      w.archived ? h('p', { class: 'notice is-muted', testid: 'archived-banner' },
        t('detail.archived_banner', { date: dateTime(w.archived_at) || t('common.none') })) : null,
      consentWarning(w),
      h('div', { class: 'detail-body' },
        h('div', { class: 'main-col' }, fieldsCard(w), consentCard(w, keepWithdraw)),
        h('div', { class: 'side' }, write ? moveCard(w, keepReason) : null, certificates.render(), historyCard(), auditCard())),
      placementPart(w)]);
  }

  function placementPart(w) {
    placement.render(w, history, historyError);
    return h('div', { class: 'placement' },
      placement.contractsCard,
      h('div', { class: 'placement-grid' }, placement.journeyCard, placement.feesCard));
  }

  function fieldsCard(w) {
    const card = h('div', { class: 'card fields-card' });
    for (const group of GROUPS) {
      const dl = h('dl', { class: 'field-list' });
      for (const name of group.fields) {
        dl.append(h('div', { class: `dl-row dl-${name}` },
          h('dt', null, t(`fields.${name}`)),
          h('dd', { testid: `detail-${name}`, class: ['pinfl', 'passport_number', 'phone', 'birth_date', 'passport_issued', 'passport_expiry'].includes(name) ? 'num' : null },
            display(w, name))));
      }
      card.append(h('h2', { class: 'card-title' }, t(group.key)), dl);
    }
    card.append(h('p', { class: 'stamps' },
      t('detail.stamps', { created: dateTime(w.created_at) || t('common.none'), updated: dateTime(w.updated_at) || t('common.none') })));
    return card;
  }

  function display(w, name) {
    switch (name) {
      case 'sex': return w.sex ? t(`sex.${w.sex}`) : t('common.none');
      case 'phone': return dash(w.phone_display || w.phone);
      case 'region': return dash(w.region_name || reference.regionName(w.region));
      case 'destination_country': return dash(w.country_name || reference.countryName(w.destination_country));
      default: return dash(w[name]);
    }
  }

  function moveCard(w, keepReason) {
    const card = h('div', { class: 'card move-card' }, h('h2', { class: 'card-title' }, t('detail.move_title')));
    if (w.archived) {
      card.append(h('p', { class: 'muted' }, t('detail.archived_no_moves')));
      return card;
    }
    const all = reference.nextStatuses(w.status);
    const moves = all.filter((code) => !JOURNEY_STATUSES.has(code));
    const journeyHint = all.length !== moves.length
      ? h('p', { class: 'muted journey-hint', testid: 'journey-hint' }, t('detail.journey_hint')) : null;
    if (!moves.length) {
      card.append(journeyHint || h('p', { class: 'muted', testid: 'no-moves' }, t('detail.no_moves')));
      return card;
    }
    const select = h('select', { id: 'status-select', testid: 'status-select' },
      option('', t('detail.choose_status')),
      moves.map((code) => option(code, reference.statusName(code))));
    const reason = h('input', {
      id: 'status-reason', type: 'text', testid: 'status-reason', autocomplete: 'off',
      placeholder: t('detail.reason_placeholder'), value: keepReason,
    });
    const error = h('div', { class: 'inline-error', role: 'alert', testid: 'status-error', hidden: true });
    const apply = h('button', { type: 'button', class: 'btn btn-primary', testid: 'status-apply' }, t('detail.apply'));

    const submit = async () => {
      error.hidden = true;
      if (!select.value) { showError(t('detail.status_needed')); select.focus(); return; }
      if (!reason.value.trim()) { showError(t('detail.reason_needed')); reason.focus(); return; }
      const moved = await sendFrom(apply, () => api.workersSetStatus(id, select.value, reason.value.trim()),
        { alive: () => alive, failed: (err) => showError(errorText(err)) });
      if (!moved || !alive) return;
      worker = moved.value;
      ctx.toast(t('detail.moved', { id, status: reference.statusName(worker.status) }), 'success');
      reason.value = '';
      await refreshTrails();
      render();
      (container.querySelector('[data-testid="status-select"]') || container.querySelector('[data-testid="edit-worker"]'))?.focus();
    };
    function showError(text) { error.textContent = text; error.hidden = false; }

    apply.addEventListener('click', submit);
    reason.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); submit(); } });
    select.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); reason.focus(); } });

    card.append(
      h('div', { class: 'move-grid' },
        h('div', { class: 'field' }, h('label', { for: 'status-select' }, t('detail.move_to')), select),
        h('div', { class: 'field' }, h('label', { for: 'status-reason' }, t('fields.reason')), reason)),
      h('div', { class: 'move-actions' }, apply),
      error);
    // The DOM's own append prints null as text: add the hint only when there is one.
    if (journeyHint) card.append(journeyHint);
    return card;
  }

  function historyCard() {
    const card = h('div', { class: 'card history-card' }, h('h2', { class: 'card-title' }, t('detail.history')));
    const list = h('ol', { class: 'timeline', testid: 'history-list' });
    const entries = [...history].sort((a, b) => String(b.at).localeCompare(String(a.at)));
    for (const e of entries) {
      list.append(h('li', { class: 'history-entry', testid: 'history-entry', 'data-to': e.to || '' },
        h('div', { class: 'entry-head' },
          h('span', { class: 'entry-move' },
            e.from ? statusBadge(e.from) : h('span', { class: 'muted' }, t('detail.history_new')),
            h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' → '),
            e.to ? statusBadge(e.to) : h('span', { class: 'muted' }, t('common.none'))),
          h('time', { class: 'entry-at', datetime: e.at || '' }, dateTime(e.at))),
        // The core records its own "created" reason for the first entry; "New → …" says it.
        historyReason(e) && !(e.from == null && (e.reason_code === 'created' || e.reason === 'created'))
          ? h('p', { class: 'entry-reason', testid: 'history-reason' }, historyReason(e)) : null,
        e.actor ? h('p', { class: 'entry-actor' }, t('detail.history_by', { actor: e.actor })) : null));
    }
    if (historyError) card.append(trailError(historyError, 'detail.history_error', 'history-error', 'history-retry'));
    card.append(list);
    if (!historyError && !entries.length) card.append(h('p', { class: 'muted' }, t('detail.history_empty')));
    return card;
  }

  // ---- consent
  function consentWarning(w) {
    if (!w.consent_state || w.consent_state === 'valid') return null;
    return h('div', { class: 'consent-warning', role: 'alert', testid: 'consent-warning', 'data-state': w.consent_state },
      h('div', { class: 'consent-warning-text' },
        h('p', { class: 'consent-warning-title' }, t('consent.blocked_title')),
        h('p', null, blockedReason(w))),
      session.canWrite() && !w.archived && consentMode !== 'add'
        ? h('button', { type: 'button', class: 'btn btn-small', testid: 'consent-warning-add', on: { click: openConsentAdd } }, t('consent.add'))
        : null);
  }

  function consentCard(w, keepWithdraw) {
    const c = w.consent;
    const card = h('div', { class: 'card consent-panel', testid: 'consent-panel' },
      h('div', { class: 'card-head' },
        h('h2', { class: 'card-title' }, t('consent.title')),
        consentBadge(w.consent_state, 'consent-state')));
    if (c) {
      const row = (key, value, testid, cls) => h('div', { class: `dl-row ${cls || ''}` },
        h('dt', null, t(key)), h('dd', { testid }, value));
      const dl = h('dl', { class: 'field-list consent-list' },
        row('fields.consent_given_on', dash(c.given_on), 'consent-given_on', 'num'),
        row('fields.consent_valid_until', dash(c.valid_until), 'consent-valid_until', 'num'),
        row('fields.consent_may_transfer_abroad', t(c.may_transfer_abroad ? 'common.yes' : 'common.no'), 'consent-may_transfer_abroad'),
        row('fields.consent_purpose', dash(c.purpose), 'consent-purpose', 'dl-wide'),
        c.data_list ? row('fields.consent_data_list', c.data_list, 'consent-data_list', 'dl-wide') : null,
        c.withdrawn_on ? row('consent.withdrawn_on', c.withdrawn_on, 'consent-withdrawn_on', 'num') : null,
        c.withdrawn_on ? row('consent.withdrawn_reason', dash(c.withdrawn_reason), 'consent-withdrawn_reason', 'dl-wide') : null);
      card.append(dl);
    } else {
      card.append(h('p', { class: 'muted', testid: 'consent-none' }, t('consent.none')));
    }
    if (!session.canWrite()) return card;

    if (consentMode === 'withdraw') card.append(withdrawPanel(keepWithdraw));
    else if (consentMode === 'add') card.append(addPanel());
    else {
      card.append(h('div', { class: 'card-actions' },
        w.consent_state === 'valid'
          ? h('button', { type: 'button', class: 'btn btn-danger-outline', testid: 'consent-withdraw', on: { click: openWithdraw } }, t('consent.withdraw'))
          : null,
        h('button', { type: 'button', class: 'btn', testid: 'consent-add', on: { click: openConsentAdd } }, t('consent.add'))));
    }
    return card;
  }

  function withdrawPanel(keep) {
    const reason = h('input', {
      id: 'consent-withdraw-reason', type: 'text', testid: 'consent-withdraw-reason', autocomplete: 'off',
      placeholder: t('consent.withdraw_reason_placeholder'), value: keep,
    });
    const error = h('div', { class: 'inline-error', role: 'alert', testid: 'consent-withdraw-error', hidden: true });
    const confirmBtn = h('button', { type: 'button', class: 'btn btn-danger', testid: 'consent-withdraw-confirm' }, t('consent.withdraw_confirm'));
    const cancelBtn = h('button', { type: 'button', class: 'btn', testid: 'consent-withdraw-cancel' }, t('common.cancel'));
    const doWithdraw = async () => {
      error.hidden = true;
      if (!reason.value.trim()) {
        error.textContent = t('consent.withdraw_reason_needed'); error.hidden = false; reason.focus();
        return;
      }
      const withdrawn = await sendFrom(confirmBtn, () => api.workersConsentWithdraw(id, reason.value.trim()),
        { alive: () => alive, failed: (err) => { error.textContent = errorText(err); error.hidden = false; } });
      if (!withdrawn || !alive) return;
      worker = withdrawn.value;
      consentMode = null;
      ctx.toast(t('consent.withdrawn_done', { id }), 'success');
      await refreshTrails();
      if (!alive) return;
      render();
      container.querySelector('[data-testid="consent-add"]')?.focus();
    };
    confirmBtn.addEventListener('click', doWithdraw);
    cancelBtn.addEventListener('click', closeConsentPanel);
    reason.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); doWithdraw(); } });
    return h('div', { class: 'consent-withdraw-panel', role: 'group', 'aria-labelledby': 'consent-withdraw-q', testid: 'consent-withdraw-panel' },
      h('p', { class: 'archive-question', id: 'consent-withdraw-q' }, t('consent.withdraw_question')),
      h('label', { for: 'consent-withdraw-reason' }, t('fields.reason')),
      reason,
      h('div', { class: 'card-actions' }, confirmBtn, cancelBtn),
      error);
  }

  function addPanel() {
    if (!consentForm) {
      consentForm = consentFields({
        idPrefix: 'consent-add',
        testid: (f) => `consent-add-${f}`,
        errorTestid: (f) => `error-consent-${f}`,
      });
      consentForm.setDefaults();
    }
    const error = h('div', { class: 'inline-error', role: 'alert', testid: 'consent-add-error', hidden: true });
    const submitBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'consent-add-submit' }, t('consent.add_submit'));
    const cancelBtn = h('button', { type: 'button', class: 'btn', testid: 'consent-add-cancel' }, t('common.cancel'));
    const formEl = h('form', { class: 'consent-add-form', testid: 'consent-add-form', novalidate: true, autocomplete: 'off' },
      h('p', { class: 'consent-add-title' }, t('consent.add_title')),
      consentForm.element,
      h('div', { class: 'card-actions' }, submitBtn, cancelBtn),
      error);
    const showProblems = (problems) => {
      for (const slot of consentForm.element.querySelectorAll('.error-slot')) clear(slot);
      for (const f of consentForm.element.querySelectorAll('.has-error')) f.classList.remove('has-error');
      const rest = [];
      for (const p of problems) {
        // The core may name the field `given_on` or `consent.given_on`.
        const field = String(p.field || '').replace(/^consent\./, '');
        const wrap = consentForm.wraps[field];
        if (!wrap) { rest.push(p); continue; }
        wrap.classList.add('has-error');
        const slot = wrap.querySelector(':scope > .error-slot');
        slot.append(h('div', { class: 'field-error is-error', testid: slot.dataset.errorTestid }, p.message || p.code));
      }
      return rest;
    };
    const submit = async () => {
      error.hidden = true;
      submitBtn.disabled = true;
      try {
        worker = await api.workersConsentAdd(id, consentForm.read());
      } catch (err) {
        submitBtn.disabled = false;
        if (!alive) return;
        const problems = err.problems || [];
        const rest = showProblems(problems);
        // Problems beside their fields; the rest (or the message itself) below the form.
        if (rest.length || !problems.length) {
          error.textContent = rest.length ? rest.map((p) => p.message || p.code).join('; ')
            : (errorText(err));
          error.hidden = false;
        }
        const first = consentForm.element.querySelector('.has-error input, .has-error textarea');
        (first || submitBtn).focus();
        return;
      }
      if (!alive) return;
      consentMode = null;
      consentForm = null;
      ctx.toast(t('consent.added_done', { id }), 'success');
      await refreshTrails();
      if (!alive) return;
      render();
      container.querySelector('[data-testid="consent-state"]')?.scrollIntoView({ block: 'nearest' });
      container.querySelector('[data-testid="consent-add"]')?.focus();
    };
    formEl.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
    formEl.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || e.isComposing) return;
      if (e.target.tagName === 'TEXTAREA' && !(e.ctrlKey || e.metaKey)) return;
      if (e.target.tagName === 'BUTTON') return;
      e.preventDefault();
      submit();
    });
    cancelBtn.addEventListener('click', closeConsentPanel);
    return formEl;
  }

  function openWithdraw() {
    consentMode = 'withdraw';
    render();
    container.querySelector('[data-testid="consent-withdraw-reason"]')?.focus();
  }

  function openConsentAdd() {
    consentMode = 'add';
    consentForm = null;
    render();
    const first = container.querySelector('[data-testid="consent-add-given_on"]');
    first?.scrollIntoView({ block: 'nearest' });
    first?.focus();
  }

  function closeConsentPanel() {
    const was = consentMode;
    consentMode = null;
    consentForm = null;
    render();
    container.querySelector(`[data-testid="${was === 'withdraw' ? 'consent-withdraw' : 'consent-add'}"]`)?.focus();
  }

  // ---- export (subject access)
  async function exportData(e) {
    const result = await runButton(e.currentTarget, () => api.workersExport(id),
      (err) => { if (alive) ctx.toast(errorText(err), 'error'); });
    if (!result || !alive) return;
    ctx.toast(t('detail.exported', { path: (result && result.path) || '' }), 'success');
    await refreshTrails();
    if (alive) { render(); container.querySelector('[data-testid="export-worker"]')?.focus(); }
  }

  // ---- the worker's audit trail
  function auditCard() {
    const card = h('div', { class: 'card audit-card', testid: 'worker-audit' }, h('h2', { class: 'card-title' }, t('detail.changes')));
    const entries = [...audit].sort((a, b) => String(b.at).localeCompare(String(a.at)) || (b.id || 0) - (a.id || 0));
    if (auditError) card.append(trailError(auditError, 'detail.changes_error', 'worker-audit-error', 'worker-audit-retry'));
    if (!entries.length) {
      if (!auditError) card.append(h('p', { class: 'muted' }, t('detail.changes_empty')));
      return card;
    }
    const list = h('ol', { class: 'change-list' });
    for (const e of entries) {
      const changes = changeList(e.changes, e.action);
      list.append(h('li', { class: 'change-entry', testid: 'worker-audit-entry', 'data-action': e.action || '', 'data-id': e.id ?? '' },
        h('div', { class: 'entry-head' },
          h('span', { class: 'change-action' }, actionName(e.action)),
          h('time', { class: 'entry-at', datetime: e.at || '' }, dateTime(e.at))),
        e.user ? h('p', { class: 'entry-actor' }, t('detail.history_by', { actor: e.user })) : null,
        changes.length ? h('ul', { class: 'change-lines' }, changes.map((c) => h('li', null, c))) : null));
    }
    card.append(list);
    return card;
  }

  // ---- archive / restore
  function archivePanel() {
    const reason = h('input', { id: 'archive-reason', type: 'text', testid: 'archive-reason', autocomplete: 'off', placeholder: t('detail.archive_reason_placeholder') });
    const error = h('div', { class: 'inline-error', role: 'alert', hidden: true });
    const confirmBtn = h('button', { type: 'button', class: 'btn btn-danger', testid: 'archive-confirm' }, t('detail.archive_confirm'));
    const cancelBtn = h('button', { type: 'button', class: 'btn', testid: 'archive-cancel' }, t('common.cancel'));
    const doArchive = async () => {
      const archived = await sendFrom(confirmBtn, () => api.workersArchive(id, reason.value.trim()),
        { alive: () => alive, failed: (err) => { error.textContent = errorText(err); error.hidden = false; } });
      if (!archived || !alive) return;
      worker = archived.value;
      archiveOpen = false;
      ctx.toast(t('detail.archived_done', { id }), 'success');
      await refreshTrails();
      render();
      container.querySelector('[data-testid="restore-worker"]')?.focus();
    };
    confirmBtn.addEventListener('click', doArchive);
    cancelBtn.addEventListener('click', closeArchive);
    reason.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); doArchive(); } });
    return h('div', { class: 'archive-panel', role: 'group', 'aria-labelledby': 'archive-q', testid: 'archive-panel' },
      h('p', { class: 'archive-question', id: 'archive-q' }, t('detail.archive_question')),
      h('div', { class: 'archive-row' },
        h('label', { for: 'archive-reason' }, t('detail.archive_reason')),
        reason, confirmBtn, cancelBtn),
      error);
  }

  function openArchive() {
    archiveOpen = true;
    render();
    container.querySelector('[data-testid="archive-reason"]')?.focus();
  }

  function closeArchive() {
    archiveOpen = false;
    render();
    container.querySelector('[data-testid="archive-worker"]')?.focus();
  }

  async function restore() {
    try {
      worker = await api.workersRestore(id);
    } catch (err) {
      if (alive) ctx.toast(errorText(err), 'error');
      return;
    }
    if (!alive) return;
    ctx.toast(t('detail.restored', { id }), 'success');
    await refreshTrails();
    render();
    container.querySelector('[data-testid="archive-worker"]')?.focus();
  }

  return {
    onLanguage() {
      if (!worker) return;
      if (consentForm) consentForm.relabel();
      load(false);
    },
    onEscape(event) {
      if (archiveOpen) { closeArchive(); return true; }
      if (consentMode) { closeConsentPanel(); return true; }
      if (placement.onEscape()) return true;
      const target = event.target;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT') && target.value) return false;
      ctx.navigate('#/');
      return true;
    },
    unmount() { alive = false; },
  };
}

/** A promise's outcome as {value} or {error}, so one failure does not hide the others. */
function settle(promise) {
  return promise.then((value) => ({ value }), (error) => ({ error }));
}
