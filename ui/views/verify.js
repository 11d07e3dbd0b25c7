// Verify a certificate: paste (or scan with a USB QR scanner, which types) the code, or
// choose the PDF or a photo of its QR code. The verdict is shown big and coloured, with
// the signed record. Below: this agency's public key (QR, text, the .pub file written),
// for other offices to verify our certificates offline.
import * as api from '../api.js';
import { t, language } from '../i18n.js';
import { h, clear } from '../dom.js';
import * as session from '../session.js';
import { dash } from './format.js';
import { errorText } from '../lib/errors.js';
import { svgDataUrl } from './training.js';

const VERDICTS = ['valid', 'revoked', 'tampered', 'unknown_issuer', 'expired', 'no_code'];
const RECORD_FIELDS = ['number', 'holder', 'course', 'starts_on', 'ends_on', 'issued_on', 'valid_until', 'score', 'licence_number', 'pinfl_hash', 'key_id'];
const MAX_FILE = 20 * 1024 * 1024;

/** The last part of a path (either slash). */
const lastPart = (path) => String(path || '').split(/[\\/]/).pop();

/** A File's bytes as base64 (FileReader's data URL, without its header). */
function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result || '');
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export function verifyView(root, _params, ctx) {
  let alive = true;
  let seq = 0;

  const code = h('textarea', {
    id: 'verify-code', class: 'mono code-input', testid: 'verify-code', rows: '4', spellcheck: 'false', autocomplete: 'off',
    placeholder: t('verify_screen.code_placeholder'),
  });
  const checkBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'verify-submit' }, t('verify_screen.check'));
  const clearBtn = h('button', { type: 'button', class: 'btn', testid: 'verify-clear', on: { click: reset } }, t('verify_screen.clear'));
  const file = h('input', { type: 'file', id: 'verify-file', testid: 'verify-file', accept: '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg' });
  const fileName = h('span', { class: 'sub', testid: 'verify-file-name' });
  const result = h('div', { class: 'verdict-slot', testid: 'verify-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'verify-form', testid: 'verify-form', novalidate: true },
    h('label', { for: 'verify-code', class: 'verify-label' }, t('verify_screen.code_label')),
    code,
    h('div', { class: 'card-actions' }, checkBtn, clearBtn,
      h('span', { class: 'kbd-hint' }, t('verify_screen.keys_hint'))),
    h('div', { class: 'verify-file-row' },
      h('span', { class: 'muted' }, t('verify_screen.or_file')),
      h('label', { class: 'btn attach-label', for: 'verify-file' }, h('span', null, t('verify_screen.choose_file')), file),
      fileName));
  const keyCard = h('div', { class: 'card key-card', testid: 'public-key-card' },
    h('h2', { class: 'card-title' }, t('verify_screen.key_title')),
    h('p', { class: 'muted' }, t('verify_screen.key_loading')));

  const signedIn = session.signedIn();
  root.append(h('section', { class: 'page verify-screen', testid: 'verify-screen' },
    signedIn ? null : h('a', { class: 'btn btn-quiet back-link', href: '#/', testid: 'verify-sign-in' },
      h('span', { 'aria-hidden': 'true' }, '← '), t('auth.sign_in')),
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('verify_screen.title'))),
    h('p', { class: 'section-hint' }, t('verify_screen.hint')),
    h('div', { class: 'verify-layout' },
      h('div', { class: 'card' }, form),
      result),
    signedIn ? keyCard : null));
  code.focus();
  if (signedIn) loadKey();

  form.addEventListener('submit', (e) => { e.preventDefault(); checkCode(); });
  // Enter checks (a QR scanner ends its text with Enter); Shift+Enter is a new line.
  code.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); checkCode(); }
  });
  file.addEventListener('change', async () => {
    const f = file.files && file.files[0];
    if (!f) return;
    fileName.textContent = f.name;
    code.value = '';
    if (f.size > MAX_FILE) { showError(t('verify_screen.file_too_big')); return; }
    const mine = ++seq;
    busy();
    let data;
    try {
      data = await readBase64(f);
    } catch (err) {
      if (alive && mine === seq) showError(t('verify_screen.file_unreadable'));
      return;
    }
    run(mine, () => api.certificatesVerifyFile(data));
    file.value = '';
  });

  function checkCode() {
    const text = code.value.trim();
    if (!text) { showError(t('verify_screen.empty')); code.focus(); return; }
    fileName.textContent = '';
    const mine = ++seq;
    busy();
    run(mine, () => api.certificatesVerify(text));
  }

  async function run(mine, callFn) {
    let answer;
    try {
      answer = await callFn();
    } catch (err) {
      if (!alive || mine !== seq) return;
      showError(errorText(err));
      return;
    }
    if (!alive || mine !== seq) return;
    showVerdict(answer);
  }

  function busy() {
    clear(result);
    result.setAttribute('aria-busy', 'true');
    result.append(h('p', { class: 'muted' }, t('verify_screen.checking')));
  }

  function showError(text) {
    result.removeAttribute('aria-busy');
    clear(result);
    result.append(h('p', { class: 'notice is-error', role: 'alert', testid: 'verify-error' }, text));
  }

  function showVerdict(v) {
    result.removeAttribute('aria-busy');
    clear(result);
    const status = VERDICTS.includes(v.status) ? v.status : 'tampered';
    // No code is not a forgery: nothing was checked, so it warns rather than condemns.
    const tone = status === 'valid' ? 'ok' : status === 'expired' || status === 'unknown_issuer' || status === 'no_code' ? 'warn' : 'bad';
    const rec = v.record || null;
    const box = h('div', { class: `verdict verdict-${tone}`, testid: 'verdict', 'data-status': status, role: 'status' },
      h('div', { class: 'verdict-mark', 'aria-hidden': 'true' }, tone === 'ok' ? '✓' : tone === 'warn' ? '!' : '✗'),
      h('div', { class: 'verdict-text' },
        h('p', { class: 'verdict-title', testid: 'verdict-title' }, t(`verify_screen.status_${status}`)),
        h('p', { class: 'verdict-sentence', testid: 'verdict-sentence' }, t(`verify.${status}`)),
        v.issuer ? h('p', { class: 'verdict-issuer', testid: 'verdict-issuer' },
          t(v.own ? 'verify_screen.issuer_own' : 'verify_screen.issuer', { issuer: v.issuer })) : null,
        v.revoke_reason ? h('p', { testid: 'verdict-revoke-reason' }, t('verify_screen.revoke_reason', { reason: v.revoke_reason })) : null,
        v.replaced_by ? h('p', { testid: 'verdict-replaced-by' }, t('certs.replaced_by', { number: v.replaced_by })) : null));
    result.append(box);
    if (rec) {
      const dl = h('dl', { class: 'field-list record-list', testid: 'verify-record' });
      // A certificate of our register names its course in the reader's language; another
      // office's says what it signed, in English (and the label says so).
      const ownCourse = v.course_names && v.course_names[language()];
      for (const f of RECORD_FIELDS) {
        if (!(f in rec)) continue;
        const own = f === 'course' && ownCourse;
        dl.append(h('div', { class: ['dl-row', f === 'pinfl_hash' || f === 'course' ? 'dl-wide' : null], 'data-field': f },
          h('dt', null, t(own ? 'screens.record_course' : `verify_screen.record_${f}`)),
          h('dd', { class: f === 'pinfl_hash' || f === 'key_id' || f === 'number' ? 'mono' : null, testid: `record-${f}` }, own ? ownCourse : dash(rec[f]))));
      }
      result.append(h('div', { class: 'card' }, h('h2', { class: 'card-title' }, t('verify_screen.record_title')), dl));
    }
  }

  function reset() {
    ++seq;
    code.value = '';
    fileName.textContent = '';
    clear(result);
    code.focus();
  }

  async function loadKey() {
    let key;
    try {
      key = await api.certificatesPublicKey();
    } catch (err) {
      if (!alive) return;
      // A verifier without a session cannot read the key: say so quietly.
      clear(keyCard);
      keyCard.append(h('h2', { class: 'card-title' }, t('verify_screen.key_title')),
        h('p', { class: 'inline-error', testid: 'public-key-error' }, errorText(err)));
      return;
    }
    if (!alive) return;
    clear(keyCard);
    const text = h('textarea', { class: 'mono code-text', readonly: true, rows: '4', testid: 'public-key-text', spellcheck: 'false' }, key.text || '');
    const copy = h('button', {
      type: 'button', class: 'btn btn-small', testid: 'public-key-copy',
      on: {
        click: async () => {
          text.focus();
          text.select();
          let ok = false;
          try { await navigator.clipboard.writeText(key.text || ''); ok = true; } catch (e) {
            try { ok = document.execCommand('copy'); } catch (e2) { ok = false; }
          }
          ctx.toast(t(ok ? 'verify_screen.copied' : 'verify_screen.copy_failed'), ok ? 'success' : 'error');
        },
      },
    }, t('verify_screen.copy'));
    keyCard.append(
      h('h2', { class: 'card-title' }, t('verify_screen.key_title')),
      h('p', { class: 'section-hint' }, t('verify_screen.key_hint')),
      h('div', { class: 'key-layout' },
        h('img', { class: 'key-qr', src: svgDataUrl(key.qr_svg), alt: t('verify_screen.key_qr_alt'), testid: 'public-key-qr' }),
        h('div', { class: 'key-text' },
          text,
          h('div', { class: 'card-actions' }, copy),
          // Where it is, not the full path: the folder is the data folder's, the name is
          // what the clerk looks for.
          h('p', { class: 'sub' }, t('screens.key_file')),
          h('p', { class: 'mono key-path', testid: 'public-key-path' }, lastPart(key.path)))));
    // The DOM's own append prints null as text: the trust form only for an admin.
    if (session.isAdmin()) keyCard.append(trustForm());
  }

  /** An admin trusts another agency's key (the text of its .pub file, pasted or chosen),
   *  so its certificates verify here instead of "unknown issuer". */
  function trustForm() {
    const text = h('textarea', { id: 'trust-key-text', class: 'mono code-text', rows: '2', testid: 'trust-key-text', spellcheck: 'false', placeholder: 'SAFAR-KEY1 …' });
    const pick = h('input', { type: 'file', id: 'trust-key-file', testid: 'trust-key-file', accept: '.pub,text/plain' });
    const message = h('p', { class: 'inline-error', role: 'alert', testid: 'trust-key-error', hidden: true });
    const save = h('button', { type: 'submit', class: 'btn', testid: 'trust-key-submit' }, t('verify_screen.trust_submit'));
    const form = h('form', { class: 'trust-form', testid: 'trust-key-form', novalidate: true },
      h('h3', { class: 'subform-title' }, t('verify_screen.trust_title')),
      h('p', { class: 'section-hint' }, t('verify_screen.trust_hint')),
      text,
      h('div', { class: 'card-actions' }, save,
        h('label', { class: 'btn attach-label', for: 'trust-key-file' }, h('span', null, t('verify_screen.trust_file')), pick)),
      message);
    pick.addEventListener('change', async () => {
      const f = pick.files && pick.files[0];
      if (!f) return;
      try { text.value = (await f.text()).trim(); } catch (e) { message.textContent = t('verify_screen.file_unreadable'); message.hidden = false; }
      pick.value = '';
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      message.hidden = true;
      if (!text.value.trim()) { text.focus(); return; }
      save.disabled = true;
      let id;
      try {
        id = await api.certificatesTrustKey(text.value.trim());
      } catch (err) {
        save.disabled = false;
        if (!alive) return;
        message.textContent = errorText(err);
        message.hidden = false;
        text.focus();
        return;
      }
      save.disabled = false;
      if (!alive) return;
      text.value = '';
      ctx.toast(t('verify_screen.trusted', { id }), 'success');
    });
    return form;
  }

  return {
    // The texts are built once: draw the screen again in the new language.
    onLanguage() { ctx.navigate(location.hash); },
    unmount() { alive = false; },
  };
}
