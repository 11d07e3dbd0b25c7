// The scanned documents of a contract on the worker page: the list (each opens in the
// system viewer) and, for admin and staff, a file picker; the core checks type and size by
// content.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { h, clear } from '../dom.js';
import { errorText } from '../lib/errors.js';

/** The attachments box of contract `c`; `canChange` offers the picker. */
export function attachmentsBox(c, { ctx, canChange }) {
  const list = h('ul', { class: 'attachment-list', testid: 'attachment-list' });
  const note = h('p', { class: 'inline-error', role: 'alert', testid: 'attachment-error', hidden: true });
  const show = (items) => {
    clear(list);
    for (const a of items) {
      list.append(h('li', { testid: 'attachment', 'data-id': a.id },
        h('button', {
          type: 'button', class: 'btn-link', testid: 'attachment-open',
          on: { click: () => api.attachmentsOpen(a.id).catch((err) => ctx.toast(errorText(err), 'error')) },
        }, a.original_name),
        h('span', { class: 'sub' }, ` ${String(a.kind).toUpperCase()} · ${Math.ceil(Number(a.size) / 1024)} KB`)));
    }
  };
  const failed = (err) => { note.textContent = errorText(err); note.hidden = false; };
  api.contractsAttachments(c.id).then(show).catch(failed);
  const box = h('div', { class: 'attachments' }, h('h4', { class: 'subform-title' }, t('attachments.title')), list, note);
  if (canChange) {
    const input = h('input', { type: 'file', accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png', testid: 'attachment-file' });
    input.addEventListener('change', () => {
      const file = input.files && input.files[0];
      if (!file) return;
      const reader = new FileReader();
      reader.onload = async () => {
        const data = String(reader.result).replace(/^data:[^,]*,/, '');
        note.hidden = true;
        try {
          await api.contractsAttach(c.id, file.name, data);
          show(await api.contractsAttachments(c.id));
          ctx.toast(t('attachments.added', { name: file.name }), 'success');
        } catch (err) {
          failed(err);
        }
        input.value = '';
      };
      reader.onerror = () => { note.textContent = t('attachments.unreadable'); note.hidden = false; };
      reader.readAsDataURL(file);
    });
    box.append(h('label', { class: 'btn btn-small attach-label' }, t('attachments.add'), input));
  }
  return box;
}
