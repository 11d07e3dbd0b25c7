// The agency profile: everyone signed in sees it; an admin edits it (the version guards
// against two people saving at once).
import * as api from '../api.js';
import * as session from '../session.js';
import { t } from '../i18n.js';
import { h, clear } from '../dom.js';
import { agencyFields, readAgency, AGENCY_FIELDS } from './auth.js';
import { problemsController, problemsOf, generalMessage } from './fields.js';
import { dash } from './format.js';
import { formatDate } from '../lib/dates.js';
import { errorText, problemText } from '../lib/errors.js';
import { backupCard } from './backup.js';

const LABELS = {
  name: 'fields.agency_name',
  licence_number: 'fields.licence_number',
  licence_date: 'fields.licence_date',
  address: 'fields.address',
  director: 'fields.director',
};

export function agencyView(root, _params, ctx) {
  let alive = true;
  let agency = null;
  let certInputs = [];
  const admin = session.isAdmin();

  const body = h('div', { class: 'card agency-card', 'aria-busy': 'true' });
  const rulesCard = h('div', { class: 'card rules-card', testid: 'rules-card' });
  const certCard = h('div', { class: 'card cert-config-card', testid: 'cert-config-card' });
  root.append(h('section', { class: 'page agency-screen', testid: 'agency-screen' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title', 'data-i18n': 'agency.title' }, t('agency.title'))),
    body,
    certCard,
    rulesCard));
  if (admin) root.lastChild.append(backupCard(ctx));
  load();
  loadCertConfig();
  loadRules();

  /** What the certificates carry (number prefix, who signs): everyone sees it, an admin
   *  changes it, one setting at a time; the core checks each value. */
  async function loadCertConfig() {
    let config;
    try {
      config = await api.certificatesConfig();
    } catch (err) {
      if (!alive) return;
      clear(certCard);
      certCard.append(h('h2', { class: 'card-title' }, t('agency.cert_title')),
        h('p', { class: 'notice is-error', role: 'alert', testid: 'cert-config-error' }, errorText(err)));
      return;
    }
    if (!alive) return;
    renderCertConfig(config);
  }

  function renderCertConfig(config) {
    clear(certCard);
    certCard.append(h('h2', { class: 'card-title' }, t('agency.cert_title')),
      h('p', { class: 'section-hint' }, t('agency.cert_hint')));
    const items = [
      ['prefix', 'certificate_prefix', 'agency.cert_prefix'],
      ['signatory', 'certificate_signatory', 'agency.cert_signatory'],
      ['signatory_title', 'certificate_signatory_title', 'agency.cert_signatory_title'],
    ];
    if (!admin) {
      const dl = h('dl', { class: 'field-list' });
      for (const [f, , label] of items) {
        dl.append(h('div', { class: 'dl-row' }, h('dt', null, t(label)), h('dd', { testid: `cert-config-${f}` }, dash(config[f]))));
      }
      dl.append(h('div', { class: 'dl-row' }, h('dt', null, t('agency.cert_logo')), h('dd', { testid: 'cert-config-logo' }, t(config.logo ? 'common.yes' : 'common.no'))));
      certCard.append(dl);
      return;
    }
    // No Save of its own: the page's one Save (`agency-save`) keeps these too; Enter in a
    // field presses it.
    certInputs = [];
    const grid = h('form', { class: 'cert-config-grid', testid: 'cert-config-form', novalidate: true, autocomplete: 'off' });
    for (const [f, key, label] of items) {
      const input = h('input', { type: 'text', id: `cert-config-${f}`, testid: `cert-config-${f}`, value: config[f] || '', autocomplete: 'off', spellcheck: 'false' });
      if (f === 'prefix') input.classList.add('input-mono', 'input-upper');
      const error = h('p', { class: 'inline-error', role: 'alert', testid: `cert-config-${f}-error`, hidden: true });
      grid.append(h('div', { class: 'cert-config-row', testid: `cert-config-${f}-row` },
        h('label', { for: `cert-config-${f}` }, t(label)), input, error));
      certInputs.push({ f, key, input, error, was: config[f] || '' });
    }
    grid.append(h('button', { type: 'submit', hidden: true, tabindex: '-1', 'aria-hidden': 'true' }));
    grid.addEventListener('submit', (e) => {
      e.preventDefault();
      const save = root.querySelector('[data-testid="agency-save"]');
      if (save && !save.disabled) save.click();
    });
    certCard.append(grid,
      h('p', { class: 'sub' }, t('agency.cert_logo'), ': ', t(config.logo ? 'common.yes' : 'common.no')));
  }

  /** Saves the certificate settings that changed, one by one (the core checks each);
   *  false when one is refused (its message shown beside it). */
  async function saveCertConfig() {
    let saved = null;
    for (const c of certInputs) {
      c.error.hidden = true;
      c.input.removeAttribute('aria-invalid');
      const value = c.f === 'prefix' ? c.input.value.trim().toUpperCase() : c.input.value.trim();
      if (value === c.was) continue;
      try {
        saved = await api.certificatesConfigSet(c.key, value);
      } catch (err) {
        if (!alive) return false;
        const p = (err.problems || [])[0];
        c.error.textContent = p ? (problemText(p)) : (errorText(err));
        c.error.hidden = false;
        c.input.setAttribute('aria-invalid', 'true');
        c.input.focus();
        return false;
      }
    }
    if (saved && alive) renderCertConfig(saved);
    return true;
  }

  /** The tunable rules (passport margin per country, consulting-fee cap): everyone sees
   *  them, an admin changes them; the core checks the key and the range. */
  async function loadRules() {
    let rules;
    try {
      rules = await api.settingsList();
    } catch (err) {
      if (!alive) return;
      clear(rulesCard);
      rulesCard.append(h('p', { class: 'notice is-error', role: 'alert', testid: 'rules-error' }, errorText(err)));
      return;
    }
    if (!alive) return;
    clear(rulesCard);
    rulesCard.append(h('h2', { class: 'card-title' }, t('rules.title')));
    const dl = h('dl', { class: 'field-list' });
    for (const [key, value] of rules) {
      dl.append(h('div', { class: 'dl-row', testid: 'rule', 'data-key': key },
        h('dt', null, ruleLabel(key)), h('dd', { class: 'num', testid: 'rule-value' }, String(value))));
    }
    rulesCard.append(dl);
    if (!admin) return;
    const keyInput = h('input', { type: 'text', id: 'rule-key', testid: 'rule-key', placeholder: 'passport_margin_months.KR', autocomplete: 'off' });
    const valueInput = h('input', { type: 'text', id: 'rule-value-input', testid: 'rule-value-input', inputmode: 'numeric', autocomplete: 'off' });
    const error = h('p', { class: 'inline-error', role: 'alert', testid: 'rule-error', hidden: true });
    const form = h('form', { class: 'rules-form', testid: 'rules-form', novalidate: true },
      h('div', { class: 'field-grid grid-3' },
        h('div', { class: 'field' }, h('label', { for: 'rule-key' }, t('fields.key')), keyInput),
        h('div', { class: 'field' }, h('label', { for: 'rule-value-input' }, t('fields.value')), valueInput),
        h('div', { class: 'field field-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', testid: 'rule-save' }, t('rules.save')))),
      h('p', { class: 'field-hint' }, codeText(t('rules.hint'))),
      error);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.hidden = true;
      try {
        await api.settingsChange(keyInput.value.trim(), valueInput.value.trim());
      } catch (err) {
        error.textContent = errorText(err);
        error.hidden = false;
        return;
      }
      ctx.toast(t('rules.saved'), 'success');
      loadRules();
    });
    rulesCard.append(form);
  }

  /** A hint naming setting keys: the keys (typed as they are) shown as code. */
  function codeText(text) {
    return text.split(/([a-z]+(?:_[a-z]+)+\.?)/).map((part, i) => (i % 2 ? h('code', null, part) : part));
  }

  function ruleLabel(key) {
    if (key === 'passport_margin_months.*') return t('rules.passport_margin_default');
    if (key.startsWith('passport_margin_months.')) return t('rules.passport_margin', { country: key.split('.')[1] });
    return t(`rules.${key}`);
  }

  async function load() {
    try {
      agency = await api.agencyGet();
    } catch (err) {
      if (!alive) return;
      body.removeAttribute('aria-busy');
      clear(body);
      body.append(h('p', { class: 'notice is-error', role: 'alert', testid: 'agency-error' }, errorText(err)));
      return;
    }
    if (!alive) return;
    body.removeAttribute('aria-busy');
    ctx.agencyChanged(agency);
    render();
  }

  function render() {
    clear(body);
    if (admin) renderForm(); else renderView();
  }

  function renderView() {
    const dl = h('dl', { class: 'field-list agency-list' });
    for (const f of AGENCY_FIELDS) {
      dl.append(h('div', { class: `dl-row ${f === 'name' || f === 'address' ? 'dl-wide' : ''}` },
        h('dt', { 'data-i18n': LABELS[f] }, t(LABELS[f])),
        h('dd', { testid: `agency-view-${f}`, class: f === 'licence_date' ? 'num' : null }, dash(agency[f]))));
    }
    body.append(dl, h('p', { class: 'muted agency-note', 'data-i18n': 'agency.admin_only' }, t('agency.admin_only')));
  }

  function renderForm() {
    const { fields, element } = agencyFields('agency');
    for (const f of AGENCY_FIELDS) fields[f].input.value = f === 'licence_date' ? formatDate(agency[f] || '') : agency[f] || '';
    const alias = (name) => name.replace(/^agency\./, '');
    const problems = problemsController(fields, alias);
    const message = h('div', { class: 'inline-error', role: 'alert', testid: 'agency-message', hidden: true });
    const saveBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'agency-save' },
      h('span', { 'data-i18n': 'agency.save' }, t('agency.save')));
    const actions = h('div', { class: 'card-actions' }, saveBtn);
    const form = h('form', { class: 'agency-form', testid: 'agency-form', novalidate: true, autocomplete: 'off' },
      element, actions, message);
    body.append(form);

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      message.hidden = true;
      problems.clear();
      saveBtn.disabled = true;
      let saved;
      try {
        saved = await api.agencyUpdate(agency.version, readAgency(fields));
      } catch (err) {
        saveBtn.disabled = false;
        if (!alive) return;
        const list = problemsOf(err, fields, alias);
        const rest = problems.show(list);
        const text = generalMessage(err, list.length - rest.length, rest);
        clear(message);
        message.append(text);
        if (err.code === 'conflict') {
          message.append(' ', h('button', { type: 'button', class: 'btn btn-small', testid: 'agency-reload', on: { click: load } }, t('form.reload')));
        }
        message.hidden = !text;
        if (!problems.focusFirst()) saveBtn.focus();
        return;
      }
      if (!alive) return;
      agency = saved;
      ctx.agencyChanged(saved);
      render();
      if (!(await saveCertConfig())) return;
      ctx.toast(t('agency.saved'), 'success');
    });
  }

  return {
    onLanguage() { if (agency && !admin) render(); },
    unmount() { alive = false; },
  };
}
