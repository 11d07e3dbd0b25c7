// The fees card of the worker page: the ledger (newest first) with totals per payer and
// currency, the printable cost statement, and for admin and staff the form to record a
// payment (it says before saving what the core will refuse: a worker never pays for
// placement).
import * as api from '../api.js';
import { t } from '../i18n.js';
import { h, clear } from '../dom.js';
import { textField, selectField, problemsController } from './fields.js';
import { dash } from './format.js';
import { paidByItems, purposeItems, paidByName, purposeName, payerClass } from './placement.js';
import { asDate, dateValue, setDate, todayIso } from '../lib/dates.js';
import { asCurrency, money } from '../lib/money.js';
import { errorText } from '../lib/errors.js';
import { addForm, asNumber, submitForm, unprefixed } from '../lib/forms.js';

const FEE_FIELDS = ['paid_by', 'purpose', 'amount', 'currency', 'paid_on', 'receipt_number', 'reason'];

/** The fees card over the shared `page` (worker_placement.js). */
export function feesPart(page) {
  const { id, ctx } = page;
  const card = h('section', { class: 'card placement-card fees-card', testid: 'worker-fees' });
  const form = page.write ? feeForm(page) : null;

  function render() {
    const { fees, errors } = page;
    clear(card);
    // The printable cost statement (a PDF opened in the system viewer) for admin and staff.
    const statementBtn = page.canChange()
      ? h('button', {
        type: 'button', class: 'btn btn-small', testid: 'fees-statement',
        on: {
          click: async () => {
            try {
              const done = await api.feesStatement(id, true);
              ctx.toast(t('statement.printed', { path: done.path }), 'success');
            } catch (err) {
              ctx.toast(errorText(err), 'error');
            }
          },
        },
      }, t('statement.print'))
      : null;
    card.append(h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('fees.title')), statementBtn));
    if (errors.fees) card.append(page.loadError(errors.fees, 'fees-error'));
    if (fees.length) {
      const tbody = h('tbody');
      const sorted = [...fees].sort((a, b) => String(b.paid_on || '').localeCompare(String(a.paid_on || '')) || b.id - a.id);
      for (const f of sorted) {
        tbody.append(h('tr', { testid: 'fee-row', 'data-id': f.id, 'data-paid-by': f.paid_by || '', 'data-purpose': f.purpose || '' },
          h('td', { class: 'num nowrap' }, dash(f.paid_on)),
          h('td', null, purposeName(f.purpose),
            f.reason ? h('div', { class: 'sub' }, f.reason) : null),
          h('td', null, h('span', { class: `badge payer-${payerClass(f.paid_by)}` }, paidByName(f.paid_by))),
          h('td', { class: 'num nowrap amount', testid: 'fee-amount' }, money(f.amount, f.currency)),
          h('td', { class: 'mono' }, dash(f.receipt_number),
            f.created_by ? h('div', { class: 'sub' }, t('detail.history_by', { actor: f.created_by })) : null)));
      }
      const heads = ['fields.paid_on', 'fields.purpose', 'fields.paid_by', 'fields.amount', 'fields.receipt_number'];
      card.append(h('div', { class: 'table-wrap fees-table-wrap' },
        h('table', { class: 'data-table fees-table', testid: 'fees-table' },
          h('thead', null, h('tr', null, heads.map((k) => h('th', { scope: 'col', class: k === 'fields.amount' ? 'amount' : null }, t(k))))),
          tbody)));
      card.append(totals(page.feeTotals));
    } else if (!errors.fees) {
      card.append(h('p', { class: 'muted', testid: 'fees-empty' }, t('fees.empty')));
    }
    if (form && page.canChange()) {
      card.append(h('div', { class: 'subform' },
        h('h3', { class: 'subform-title' }, t('fees.add_title')),
        form.element));
    }
  }

  return { card, render };
}

/** Totals per payer and currency, as the core summed them (`fees_totals`, in its order:
 *  the employer first); `null` (the core could not sum them) shows a question mark. */
function totals(list) {
  return h('div', { class: 'fee-totals', testid: 'fee-totals' },
    h('span', { class: 'totals-label' }, t('fees.totals')),
    list == null ? h('span', { class: 'num total-amount' }, '?') : list.map((g) => h('span', {
      class: `fee-total payer-${payerClass(g.paid_by)}`, testid: 'fee-total',
      'data-paid-by': g.paid_by || '', 'data-currency': g.currency || '', 'data-amount': g.amount ?? '',
    },
    h('span', { class: 'total-payer' }, paidByName(g.paid_by)), ' ',
    h('span', { class: 'num total-amount' }, money(g.amount, g.currency)))));
}

/** The form that records a payment. */
function feeForm(page) {
  const { id, ctx, isAlive, changed } = page;
  const fields = {};
  for (const f of FEE_FIELDS) {
    const opts = { field: f, id: `fee-add-${f}`, testid: `fee-add-${f}`, label: `fields.${f}` };
    if (f === 'paid_by') fields[f] = selectField(opts, paidByItems(), 'worker');
    else if (f === 'purpose') fields[f] = selectField(opts, [['', 'fees.choose_purpose'], ...purposeItems()], '');
    else if (f === 'reason') fields[f] = textField({ ...opts, wide: true, hint: 'fees.reason_hint' });
    else fields[f] = textField(opts);
    if (f !== 'reason') fields[f].wrap.classList.add('is-required');
  }
  asNumber(fields.amount.input, true);
  asCurrency(fields.currency.input);
  asDate(fields.paid_on.input);
  const problems = problemsController(fields, unprefixed);
  const warn = h('p', { class: 'field-note is-warning', testid: 'fee-add-warning', hidden: true });
  const { form: element, message, button } = addForm({
    name: 'fee', submitKey: 'fees.add_submit', grid: FEE_FIELDS.map((f) => fields[f].wrap), columns: 3,
    after: warn, messageFirst: false, submit, cancel: () => { reset(); fields.paid_by.input.focus(); },
  });

  // Say before saving what the core will refuse: a worker never pays for placement.
  const checkPlacement = () => {
    const bad = fields.paid_by.input.value === 'worker' && fields.purpose.input.value === 'placement';
    warn.textContent = bad ? t('errors.placement_fee_by_worker') : '';
    warn.hidden = !bad;
  };
  fields.paid_by.input.addEventListener('change', checkPlacement);
  fields.purpose.input.addEventListener('change', checkPlacement);

  function reset() {
    fields.paid_by.input.value = 'worker';
    fields.purpose.input.value = '';
    fields.amount.input.value = '';
    fields.currency.input.value = 'UZS';
    setDate(fields.paid_on.input, todayIso());
    fields.receipt_number.input.value = '';
    fields.reason.input.value = '';
    problems.clear();
    message.hidden = true;
    checkPlacement();
  }

  function read() {
    const input = { worker_id: id };
    for (const f of FEE_FIELDS) {
      const el = fields[f].input;
      if (f === 'paid_on') input[f] = dateValue(el);
      else if (f === 'currency') input[f] = el.value.trim().toUpperCase();
      else input[f] = el.value.trim();
    }
    if (!input.reason) delete input.reason;
    return input;
  }

  async function submit() {
    const saved = await submitForm({
      button, message, problems, fields, alive: isAlive, focus: fields.amount.input,
      save: () => api.feesAdd(read()),
    });
    if (!saved) return;
    ctx.toast(t('fees.added', { amount: money(saved.amount, saved.currency), purpose: purposeName(saved.purpose) }), 'success');
    reset();
    await changed();
    fields.purpose.input.focus();
  }

  reset();
  return { element };
}
