// Backups: the admin's section on the agency screen (where backups go, the
// newest one, "Back up now", restore into a new folder) and the banner everyone sees when
// no verified backup is younger than 7 days.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { h, clear } from '../dom.js';
import { dateTime } from '../lib/dates.js';

function sizeText(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} B`;
}

/** A backup's moment as the screen's language writes dates (lib/dates.js), local time. */
function when(stamp) {
  return dateTime(stamp);
}

/** The banner above the screens: shown while signed in and no verified backup is fresh. */
export async function backupBanner(signedIn) {
  let banner = document.getElementById('backup-banner');
  if (!banner) {
    banner = h('p', { id: 'backup-banner', class: 'notice is-warning backup-banner', role: 'status', testid: 'backup-banner', hidden: true });
    const main = document.getElementById('view');
    if (!main) return;
    main.before(banner);
  }
  if (!signedIn) { banner.hidden = true; return; }
  let status;
  try { status = await api.backupStatus(); } catch { banner.hidden = true; return; }
  banner.textContent = t('backup.banner');
  banner.hidden = !status.stale;
}

/** The admin's backup card. */
export function backupCard(ctx) {
  const card = h('div', { class: 'card backup-card', testid: 'backup-card' });
  load();
  return card;

  async function load() {
    let status;
    try {
      status = await api.backupStatus();
    } catch (err) {
      clear(card);
      card.append(h('h2', { class: 'card-title' }, t('backup.title')),
        h('p', { class: 'notice is-error', role: 'alert' }, err.message || String(err)));
      return;
    }
    render(status);
  }

  function render(status, recoveryKey) {
    clear(card);
    const last = status.last;
    const dl = h('dl', { class: 'field-list' },
      h('div', { class: 'dl-row' }, h('dt', null, t('backup.folder')),
        h('dd', { testid: 'backup-folder' }, status.folder_chosen ? status.folder : `${status.folder} — ${t('backup.folder_default')}`)),
      h('div', { class: 'dl-row' }, h('dt', null, t('backup.last')),
        h('dd', { testid: 'backup-last' }, last
          ? [`${when(last.at)} · ${sizeText(last.size)} · `,
            h('span', { class: last.verified ? 'badge is-ok' : 'badge is-error', testid: 'backup-verified' },
              t(last.verified ? 'backup.verified' : 'backup.not_verified')),
            h('br'), h('code', { class: 'backup-file' }, last.file)]
          : t('backup.none'))));
    card.append(h('h2', { class: 'card-title' }, t('backup.title')), dl);
    if (recoveryKey) {
      card.append(h('div', { class: 'notice is-warning backup-recovery', role: 'alert', testid: 'backup-recovery' },
        h('p', null, t('backup.recovery_once')),
        h('p', null, h('code', { class: 'recovery-key', testid: 'backup-recovery-key' }, recoveryKey))));
    }

    const now = h('button', { type: 'button', class: 'btn btn-primary', testid: 'backup-now' }, t('backup.now'));
    const progress = h('p', { class: 'notice is-muted', role: 'status', testid: 'backup-progress', hidden: true }, t('backup.working'));
    now.addEventListener('click', async () => {
      now.disabled = true;
      card.setAttribute('aria-busy', 'true');
      progress.hidden = false;
      try {
        const made = await api.backupCreate();
        ctx.toast(t('backup.done', { path: made.file, size: sizeText(made.size) }), 'success');
        const fresh = await api.backupStatus();
        render(fresh, made.recovery_key);
        backupBanner(true);
      } catch (err) {
        progress.hidden = true;
        ctx.toast(err.message || String(err), 'error');
      } finally {
        now.disabled = false;
        card.removeAttribute('aria-busy');
      }
    });
    card.append(h('div', { class: 'backup-actions' }, now), progress,
      h('p', { class: 'section-hint' }, t('backup.schedule_note')));

    card.append(folderForm(status), restoreForm());
  }

  function folderForm(status) {
    const input = h('input', { type: 'text', id: 'backup-folder-input', testid: 'backup-folder-input', autocomplete: 'off', value: status.folder_chosen ? status.folder : '' });
    const error = h('p', { class: 'inline-error', role: 'alert', hidden: true });
    const form = h('form', { class: 'backup-folder-form', novalidate: true },
      h('div', { class: 'field-grid grid-3' },
        h('div', { class: 'field' }, h('label', { for: 'backup-folder-input' }, t('backup.folder')), input),
        h('div', { class: 'field field-actions' }, h('button', { type: 'submit', class: 'btn', testid: 'backup-folder-save' }, t('backup.folder_set')))),
      error);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.hidden = true;
      try {
        await api.backupSetFolder(input.value.trim());
      } catch (err) {
        error.textContent = err.message || String(err);
        error.hidden = false;
        return;
      }
      load();
    });
    return form;
  }

  function restoreForm() {
    const file = h('input', { type: 'text', id: 'backup-restore-file', testid: 'backup-restore-file', autocomplete: 'off' });
    const to = h('input', { type: 'text', id: 'backup-restore-to', testid: 'backup-restore-to', autocomplete: 'off' });
    const message = h('p', { class: 'notice', role: 'status', testid: 'backup-restore-message', hidden: true });
    const form = h('form', { class: 'backup-restore-form', novalidate: true },
      h('div', { class: 'field-grid grid-3' },
        h('div', { class: 'field' }, h('label', { for: 'backup-restore-file' }, t('backup.restore_file')), file),
        h('div', { class: 'field' }, h('label', { for: 'backup-restore-to' }, t('backup.restore_to')), to),
        h('div', { class: 'field field-actions' }, h('button', { type: 'submit', class: 'btn', testid: 'backup-restore' }, t('backup.restore')))),
      message);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      message.hidden = true;
      try {
        await api.backupRestore(file.value.trim(), to.value.trim());
        message.className = 'notice is-ok';
        message.textContent = t('backup.restored', { path: to.value.trim() });
      } catch (err) {
        message.className = 'notice is-error';
        message.textContent = err.message || String(err);
      }
      message.hidden = false;
    });
    return form;
  }
}
