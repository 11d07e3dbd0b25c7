// Small form building blocks for the account screens (setup, login, users, agency,
// password): a labelled control with an error slot beside it, and a controller that puts
// the core's problems beside their fields. Labels carry data-i18n, so a language change
// relabels them by itself.
import { t } from '../i18n.js';
import { h, clear } from '../dom.js';


/**
 * A labelled input. `field` is the name problems use; `errorTestid` the data-testid of the
 * error shown beside it. Returns {wrap, input, slot, field}.
 */
export function textField({
  field, id, testid, label, errorTestid, type = 'text', autocomplete = 'off', hint, hintParams,
  wide = false, value = '', placeholder, placeholderKey, inputmode, maxlength, control,
}) {
  if (placeholderKey) placeholder = t(placeholderKey);
  const input = control || h('input', {
    id, name: field, type, testid, autocomplete, spellcheck: 'false', value,
    inputmode, maxlength, placeholder,
  });
  if (!input.id) input.id = id;
  if (placeholderKey) input.setAttribute('data-i18n-placeholder', placeholderKey);
  if (!input.getAttribute('data-testid') && testid) input.setAttribute('data-testid', testid);
  const slotId = `${id}-error`;
  input.setAttribute('aria-describedby', hint ? `${id}-hint ${slotId}` : slotId);
  const slot = h('div', { class: 'error-slot', id: slotId, 'data-error-testid': errorTestid || `error-${field.replace(/\./g, '-')}` });
  const wrap = h('div', { class: ['field', wide ? 'field-wide' : null], 'data-field': field },
    h('label', { for: id, 'data-i18n': label }, t(label)),
    input,
    hint ? h('p', {
      class: 'field-hint', id: `${id}-hint`, 'data-i18n': hint,
      'data-i18n-params': hintParams ? JSON.stringify(hintParams) : null,
    }, t(hint, hintParams)) : null,
    slot);
  return { wrap, input, slot, field };
}

/** A <select> of `items` ([value, labelKey]) inside textField. */
export function selectField(opts, items, selected) {
  const select = h('select', { id: opts.id, name: opts.field, testid: opts.testid });
  for (const [value, key] of items) {
    select.append(h('option', { value, 'data-i18n': key, selected: value === selected }, t(key)));
  }
  return textField({ ...opts, control: select });
}

/**
 * Puts problems beside their fields. `fields` maps a field name to a textField result;
 * `alias(name)` may rename a field the core reports (e.g. `agency.name` → `name`).
 */
export function problemsController(fields, alias = (name) => name) {
  const api = {
    clear() {
      for (const f of Object.values(fields)) {
        clear(f.slot);
        f.wrap.classList.remove('has-error');
        f.input.removeAttribute('aria-invalid');
      }
    },
    /** Shows each problem beside its field; returns the problems that have no field here. */
    show(problems) {
      api.clear();
      const rest = [];
      for (const p of problems || []) {
        const f = fields[alias(p.field || '')];
        if (!f) { rest.push(p); continue; }
        f.wrap.classList.add('has-error');
        f.input.setAttribute('aria-invalid', 'true');
        let box = f.slot.firstChild;
        if (!box) {
          box = h('div', { class: 'field-error is-error', testid: f.slot.dataset.errorTestid });
          f.slot.append(box);
        }
        // Beside its field the label goes without saying: the reason alone.
        box.append(h('div', { class: 'problem-line' }, p.reason || p.message || p.code));
      }
      return rest;
    },
    /** One problem on one field (the UI's own checks). */
    set(field, message) {
      return api.show([{ field, message, severity: 'error' }]);
    },
    focusFirst() {
      const first = Object.values(fields).find((f) => f.wrap.classList.contains('has-error'));
      if (first) first.input.focus();
      return Boolean(first);
    },
  };
  return api;
}

/**
 * An error's problems, adding the error itself when it names a field of ours and no
 * problem covers it.
 */
export function problemsOf(err, fields, alias = (name) => name) {
  const problems = [...(err.problems || [])];
  if (err.field && fields[alias(err.field)] && !problems.some((p) => alias(p.field || '') === alias(err.field))) {
    problems.push({ field: err.field, code: err.code, severity: 'error', message: err.message });
  }
  return problems;
}

/**
 * What to say above or below a form after a refusal: the problems that have no field here,
 * the summary of a validation error, or the message of an error that has no field at all;
 * nothing when every word is already beside a field.
 */
export function generalMessage(err, placedCount, rest) {
  if (rest && rest.length) return rest.map((p) => p.message || p.code).join(' ');
  if (err.code === 'validation' || !placedCount) return err.message || t(`errors.${err.code}`);
  return '';
}
