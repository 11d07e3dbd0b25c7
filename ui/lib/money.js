// Money as decimal strings, never floats: grouping for display, exact sums, currency inputs.
import { t } from '../i18n.js';
import { h } from '../dom.js';

/** The currencies the core knows (src-tauri/data/currencies.tsv), offered as suggestions. */
export const CURRENCIES = ['UZS', 'USD', 'EUR', 'RUB', 'KRW', 'JPY', 'KZT', 'GBP', 'TRY', 'PLN', 'CZK', 'HUF', 'RON',
  'BGN', 'ILS', 'AED', 'SAR', 'QAR', 'KWD', 'CNY', 'CHF'];

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

/**
 * Sums decimal strings exactly (BigInt in the smallest unit seen). Returns the total as a
 * decimal string, or null when an amount is not a plain decimal.
 */
export function sumAmounts(amounts) {
  const parts = [];
  let scale = 0;
  for (const a of amounts) {
    const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(a ?? '').trim());
    if (!m) return null;
    parts.push(m);
    scale = Math.max(scale, (m[3] || '').length);
  }
  let total = 0n;
  for (const m of parts) {
    const v = BigInt(m[2] + (m[3] || '').padEnd(scale, '0'));
    total += m[1] ? -v : v;
  }
  const neg = total < 0n;
  let digits = (neg ? -total : total).toString().padStart(scale + 1, '0');
  if (scale) digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return (neg ? '-' : '') + digits;
}

/** One <datalist id="currency-list"> per document, for every currency input. */
export function currencyList() {
  let list = document.getElementById('currency-list');
  if (!list) {
    list = h('datalist', { id: 'currency-list' }, CURRENCIES.map((c) => h('option', { value: c })));
    document.body.append(list);
  }
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
