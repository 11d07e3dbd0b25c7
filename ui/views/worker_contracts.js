// The contracts card of the worker page: his contracts newest first, each with its terms,
// the warning when its terms differ from the job order, the moves it allows (registering
// asks for the Labor-migration number and date, cancelling and terminating for a reason),
// and its scans; below, the new-contract form (worker_contract_form.js).
import * as api from '../api.js';
import * as reference from '../reference.js';
import { t } from '../i18n.js';
import { h, clear } from '../dom.js';
import { textField, problemsController } from './fields.js';
import { dash, formatDate } from './format.js';
import { PAID_BY_FIELDS, REASON_MOVES, paidByName, fieldName, contractStatusBadge } from './placement.js';
import { asDate, dateValue, setDate, todayIso } from '../lib/dates.js';
import { money } from '../lib/money.js';
import { errorText } from '../lib/errors.js';
import { panelForm, submitForm, unprefixed } from '../lib/forms.js';
import { contractForm } from './worker_contract_form.js';
import { attachmentsBox } from './worker_attachments.js';

/** The button of each contract move. */
const MOVE_TESTID = {
  signed: 'contract-sign',
  registered: 'contract-register',
  active: 'contract-activate',
  completed: 'contract-complete',
  terminated: 'contract-terminate',
  cancelled: 'contract-cancel',
};
const MOVE_LABEL = {
  signed: 'contracts.sign',
  registered: 'contracts.register',
  active: 'contracts.activate',
  completed: 'contracts.complete',
  terminated: 'contracts.terminate',
  cancelled: 'contracts.cancel',
};

/** The contracts card over the shared `page` (worker_placement.js). */
export function contractsPart(page) {
  const { id, ctx, isAlive, changed } = page;
  const card = h('section', { class: 'card placement-card contracts-card', testid: 'worker-contracts' });
  let formOpen = false;
  let panel = null;  // {contractId, status, element, focus()} while a register / reason form is open
  const addForm = page.write ? contractForm(page, {
    saved: async (saved) => {
      formOpen = false;
      await changed();
      focusContract(saved.id);
    },
  }) : null;

  function render() {
    const { contracts, errors } = page;
    clear(card);
    card.append(h('div', { class: 'card-head' },
      h('h2', { class: 'card-title' }, t('contracts.title')),
      contracts.length ? h('span', { class: 'muted card-count' }, String(contracts.length)) : null,
      // This worker's contracts as a register file (every role may export; it is audited).
      contracts.length ? h('button', {
        type: 'button', class: 'btn btn-small', testid: 'export-worker-contracts',
        on: { click: () => api.exportContracts({ workerId: id, format: 'xlsx' })
          .then((d) => ctx.toast(t('import.saved_to', { path: d.path }), 'success'))
          .catch((err) => ctx.toast(errorText(err), 'error')) },
      }, t('import.export_xlsx')) : null));
    if (errors.contracts) card.append(page.loadError(errors.contracts, 'contracts-error'));
    const list = h('ol', { class: 'contract-list', testid: 'contract-list' });
    const sorted = [...contracts].sort((a, b) => String(b.signed_on || '').localeCompare(String(a.signed_on || '')) || b.id - a.id);
    for (const c of sorted) list.append(contractRow(c));
    if (sorted.length) card.append(list);
    else if (!errors.contracts) card.append(h('p', { class: 'muted', testid: 'contracts-empty' }, t('contracts.empty')));
    if (addForm && page.canChange()) {
      // With a contract under way, a new one waits behind a button instead of a form.
      const underWay = contracts.some((c) => ['signed', 'registered', 'active'].includes(c.status));
      if (underWay && !formOpen) {
        card.append(h('div', { class: 'card-actions' }, h('button', {
          type: 'button', class: 'btn btn-small', testid: 'contract-add-open',
          on: { click: () => { formOpen = true; render(); card.querySelector('[data-testid="contract-add-job_order_id"]')?.focus(); } },
        }, t('contracts.add_open'))));
      } else {
        card.append(h('div', { class: 'subform' },
          h('h3', { class: 'subform-title' }, t('contracts.add_title')),
          addForm.element));
      }
    }
  }

  function contractRow(c) {
    const flags = [...(c.mismatches || [])];
    const placeholders = [...(c.placeholders || [])];
    const row = h('li', { class: ['contract-row', flags.length || placeholders.length ? 'has-flags' : null], testid: 'contract-row', 'data-id': c.id, 'data-status': c.status || '' },
      h('div', { class: 'contract-head' },
        h('span', { class: 'contract-number', testid: 'contract-number' }, t('contracts.number', { number: c.number || '' })),
        contractStatusBadge(c.status, 'contract-status'),
        h('span', { class: 'contract-what' }, [c.employer_name, c.position].filter(Boolean).join(' · '))),
      h('dl', { class: 'field-list contract-terms' },
        term('fields.signed_on', dash(c.signed_on), 'num'),
        term('contracts.term', t('contracts.term_value', { from: formatDate(c.starts_on), to: formatDate(c.ends_on) }), 'num'),
        term('fields.salary_amount', money(c.salary_amount, c.salary_currency), 'num', 'contract-salary'),
        term('fields.hours_per_week', dash(c.hours_per_week), 'num'),
        term('contracts.paid_by', PAID_BY_FIELDS.map((f) => `${t(`jobs.short_${f}`)}: ${paidByName(c[f])}`).join(' · '), 'dl-wide-2'),
        term('contracts.registration', c.registration_number
          ? t('contracts.registration_value', { number: c.registration_number, date: formatDate(c.registered_on) })
          : t('contracts.not_registered'), null, 'contract-registration')),
      c.status_reason ? h('p', { class: 'entry-reason' }, `${t('fields.reason')}: ${c.status_reason}`) : null,
      flags.length || placeholders.length ? h('div', { class: 'contract-flags', role: 'note', testid: 'contract-flags' },
        h('span', { class: 'flag-icon', 'aria-hidden': 'true' }, '!'),
        h('div', null,
          flags.length ? h('p', null, t('contracts.mismatches'), ' ', fieldChips(flags)) : null,
          placeholders.length ? h('p', null, t('contracts.placeholders'), ' ', fieldChips(placeholders)) : null)) : null);
    if (page.canChange()) {
      const moves = reference.contractMoves(c.status);
      if (moves.length) {
        row.append(h('div', { class: 'card-actions contract-actions' }, moves.map((to) => h('button', {
          type: 'button',
          class: ['btn', 'btn-small', REASON_MOVES.has(to) ? 'btn-danger-outline' : (to === 'signed' || to === 'registered' ? 'btn-primary' : null)],
          testid: MOVE_TESTID[to],
          'aria-expanded': to === 'registered' || REASON_MOVES.has(to) ? String(Boolean(panel && panel.contractId === c.id && panel.status === to)) : null,
          on: { click: (e) => moveClicked(c, to, e.currentTarget) },
        }, t(MOVE_LABEL[to])))));
      }
      if (panel && panel.contractId === c.id) row.append(panel.element);
    }
    row.append(attachmentsBox(c, { ctx, canChange: page.canChange() }));
    return row;
  }

  function term(key, value, cls, testid) {
    return h('div', { class: ['dl-row', cls === 'dl-wide-2' ? 'dl-wide-2' : null] },
      h('dt', null, t(key)), h('dd', { class: cls === 'num' ? 'num' : null, testid }, value));
  }

  function fieldChips(list) {
    return list.map((f, i) => [i ? ', ' : '', h('span', { class: 'flag-field', 'data-field': f }, fieldName(f))]);
  }

  function moveClicked(c, to, button) {
    if (to === 'registered') { openPanel(c, to, registerForm(c)); return; }
    if (REASON_MOVES.has(to)) { openPanel(c, to, reasonForm(c, to)); return; }
    setStatus(c, to, button);
  }

  function openPanel(c, to, form) {
    if (panel && panel.contractId === c.id && panel.status === to) { closePanel(); return; }
    panel = { contractId: c.id, status: to, ...form };
    render();
    panel.focus();
  }

  function closePanel() {
    const was = panel;
    panel = null;
    render();
    if (was) card.querySelector(`[data-testid="contract-row"][data-id="${was.contractId}"] [data-testid="${MOVE_TESTID[was.status]}"]`)?.focus();
  }

  /** A move without a form (sign, activate, complete): the button off while it runs. */
  async function setStatus(c, to, button) {
    if (button) button.disabled = true;
    let updated;
    try {
      updated = await api.contractsSetStatus(c.id, to, undefined);
    } catch (err) {
      if (button) button.disabled = false;
      if (isAlive()) ctx.toast(errorText(err), 'error');
      return;
    }
    if (!isAlive()) return;
    moved(c, updated, to);
  }

  /** After a move: the panel closed, said, the page reloaded, the focus back on the row. */
  async function moved(c, updated, to) {
    panel = null;
    ctx.toast(t('contracts.moved', { number: updated.number || c.number, status: t(`contract_status.${updated.status || to}`) }), 'success');
    await changed();
    focusContract(c.id);
  }

  function focusContract(contractId) {
    const row = card.querySelector(`[data-testid="contract-row"][data-id="${contractId}"]`);
    if (!row) return;
    const button = row.querySelector('.contract-actions button');
    if (button) { button.focus(); return; }
    row.setAttribute('tabindex', '-1');
    row.focus();
  }

  /** The Labor-migration registration: number and date. */
  function registerForm(c) {
    const fields = {
      registration_number: textField({ field: 'registration_number', id: `contract-register-number-${c.id}`, testid: 'contract-register-number', label: 'contracts.register_number' }),
      registered_on: textField({ field: 'registered_on', id: `contract-register-date-${c.id}`, testid: 'contract-register-date', label: 'fields.registered_on' }),
    };
    asDate(fields.registered_on.input);
    setDate(fields.registered_on.input, todayIso());
    const problems = problemsController(fields, unprefixed);
    const { form, message, button } = panelForm({
      name: 'contract-register', titleKey: 'contracts.register_title', titleParams: { number: c.number || '' },
      grid: h('div', { class: 'field-grid grid-3' }, fields.registration_number.wrap, fields.registered_on.wrap),
      submitKey: 'contracts.register_submit', submit, cancel: closePanel,
    });
    async function submit() {
      const updated = await submitForm({
        button, message, problems, fields, alive: isAlive, focus: fields.registration_number.input,
        save: () => api.contractsRegister(c.id, fields.registration_number.input.value.trim(), dateValue(fields.registered_on.input)),
      });
      if (!updated) return;
      panel = null;
      ctx.toast(t('contracts.registered_done', { number: updated.number || c.number }), 'success');
      await changed();
      focusContract(c.id);
    }
    return { element: form, focus: () => fields.registration_number.input.focus() };
  }

  /** Cancel or terminate: the reason is required. */
  function reasonForm(c, to) {
    const field = textField({ field: 'reason', id: `contract-reason-${c.id}`, testid: 'contract-reason', label: 'fields.reason', errorTestid: 'error-contract-reason', wide: true });
    field.input.setAttribute('placeholder', t('detail.reason_placeholder'));
    field.input.setAttribute('data-i18n-placeholder', 'detail.reason_placeholder');
    const fields = { reason: field };
    const problems = problemsController(fields, unprefixed);
    const { form, message, button } = panelForm({
      name: 'contract-reason', titleKey: `contracts.question_${to}`, titleParams: { number: c.number || '' },
      grid: field.wrap, submitKey: MOVE_LABEL[to], danger: true, submit, cancel: closePanel, attrs: { 'data-status': to },
    });
    async function submit() {
      if (button.disabled) return;
      const reason = field.input.value.trim();
      if (!reason) { message.hidden = true; problems.set('reason', t('detail.reason_needed')); field.input.focus(); return; }
      const updated = await submitForm({
        button, message, problems, fields, alive: isAlive, focus: field.input,
        save: () => api.contractsSetStatus(c.id, to, reason),
      });
      if (updated) await moved(c, updated, to);
    }
    return { element: form, focus: () => field.input.focus() };
  }

  return {
    card,
    render,
    fillJobs: () => addForm && addForm.fillJobs(),
    /** Esc outside the forms: close an open panel (true when one was open). */
    onEscape: () => { if (!panel) return false; closePanel(); return true; },
  };
}
