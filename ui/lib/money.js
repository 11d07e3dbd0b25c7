// Money as decimal strings, never floats: grouping for display, currency inputs (sums are
// the core's: fees_totals).
import { t } from '../i18n.js';
import { h } from '../dom.js';
import * as reference from '../reference.js';


/** "1500.5" → "1 500.5"-style grouping (no-break spaces); anything unusual as it is. */
export function formatAmount(amount) {
  const s = String(amount ?? '');
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return s;
  const int = m[2].replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${m[1]}${int}${m[3] ? `.${m[3]}` : ''}`;
}

/** An amount with its currency, or a dash for none. */
export const money = (amount, currency) => (amount == null || amount === ''
  ? t('common.none')
  : `${formatAmount(amount)}\u00a0${currency || ''}`.trim());

/** One <datalist id="currency-list"> per document, for every currency input: the
 *  currencies the core accepts (reference data), filled again if it was empty. */
export function currencyList() {
  let list = document.getElementById('currency-list');
  if (!list) {
    list = h('datalist', { id: 'currency-list' });
    document.body.append(list);
  }
  if (!list.children.length) list.append(...reference.currencies().map((c) => h('option', { value: c })));
  return list;
}

/** Makes a text input a currency input (upper case, suggestions). */
export function asCurrency(input) {
  currencyList();
  input.setAttribute('list', 'currency-list');
  input.setAttribute('maxlength', '3');
  input.classList.add('input-mono', 'input-upper', 'input-currency');
  input.addEventListener('change', () => { input.value = input.value.trim().toUpperCase(); });
  return input;
}
