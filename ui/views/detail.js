// The worker page: every field, the status with its allowed moves, the status history,
// and Edit / Archive / Restore.
import * as api from '../api.js';
import * as reference from '../reference.js';
import { t } from '../i18n.js';
import { h, append, clear, option } from '../dom.js';
import { latinName, cyrillicName, statusBadge, dateTime, dash } from './format.js';

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
  let archiveOpen = false;

  const container = h('section', { class: 'detail', testid: 'worker-detail', 'aria-busy': 'true' });
  root.append(container);
  load(true);

  async function load(initial) {
    let w; let hist;
    try {
      [w, hist] = await Promise.all([api.workersGet(id), api.workersHistory(id).catch(() => [])]);
    } catch (err) {
      if (!alive) return;
      renderFailure(err);
      return;
    }
    if (!alive) return;
    worker = w;
    history = Array.isArray(hist) ? hist : [];
    render();
    if (initial) container.querySelector('[data-testid="status-select"], [data-testid="edit-worker"]')?.focus();
  }

  function renderFailure(err) {
    clear(container);
    container.removeAttribute('aria-busy');
    container.append(
      h('div', { class: 'page-head' },
        h('h1', { class: 'page-title', testid: 'detail-name' }, t('detail.title', { id }))),
      h('p', { class: 'notice is-error', role: 'alert' }, err.message || t('common.unexpected', { detail: err.code })),
      h('div', { class: 'actions' }, backButton()));
  }

  function backButton() {
    return h('button', { type: 'button', class: 'btn', testid: 'back-to-roster', on: { click: () => ctx.navigate('#/') } },
      h('span', { 'aria-hidden': 'true' }, '← '), t('detail.back'));
  }

  function render() {
    const keepReason = container.querySelector('[data-testid="status-reason"]')?.value || '';
    clear(container);
    container.removeAttribute('aria-busy');
    const w = worker;
    const cyr = cyrillicName(w);

    const actions = h('div', { class: 'actions' },
      backButton(),
      h('button', { type: 'button', class: 'btn', testid: 'edit-worker', on: { click: () => ctx.navigate(`#/worker/${id}/edit`) } },
        t('detail.edit')),
      w.archived
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
      archiveOpen && !w.archived ? archivePanel() : null,
      w.archived ? h('p', { class: 'notice is-muted', testid: 'archived-banner' },
        t('detail.archived_banner', { date: dateTime(w.archived_at) || t('common.none') })) : null,
      h('div', { class: 'detail-body' },
        fieldsCard(w),
        h('div', { class: 'side' }, moveCard(w, keepReason), historyCard()))]);
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
    const moves = reference.nextStatuses(w.status);
    if (!moves.length) {
      card.append(h('p', { class: 'muted', testid: 'no-moves' }, t('detail.no_moves')));
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
      apply.disabled = true;
      try {
        worker = await api.workersSetStatus(id, select.value, reason.value.trim());
      } catch (err) {
        apply.disabled = false;
        if (alive) showError(err.message || t('common.unexpected', { detail: err.code }));
        return;
      }
      if (!alive) return;
      ctx.toast(t('detail.moved', { id, status: reference.statusName(worker.status) }), 'success');
      reason.value = '';
      await refreshHistory();
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
        e.reason ? h('p', { class: 'entry-reason' }, e.reason) : null,
        e.actor ? h('p', { class: 'entry-actor' }, t('detail.history_by', { actor: e.actor })) : null));
    }
    card.append(list);
    if (!entries.length) card.append(h('p', { class: 'muted' }, t('detail.history_empty')));
    return card;
  }

  async function refreshHistory() {
    try { history = await api.workersHistory(id); } catch (err) { /* keep the old one */ }
  }

  // ---- archive / restore
  function archivePanel() {
    const reason = h('input', { id: 'archive-reason', type: 'text', testid: 'archive-reason', autocomplete: 'off', placeholder: t('detail.archive_reason_placeholder') });
    const error = h('div', { class: 'inline-error', role: 'alert', hidden: true });
    const confirmBtn = h('button', { type: 'button', class: 'btn btn-danger', testid: 'archive-confirm' }, t('detail.archive_confirm'));
    const cancelBtn = h('button', { type: 'button', class: 'btn', testid: 'archive-cancel' }, t('common.cancel'));
    const doArchive = async () => {
      confirmBtn.disabled = true;
      try {
        worker = await api.workersArchive(id, reason.value.trim());
      } catch (err) {
        confirmBtn.disabled = false;
        if (alive) { error.textContent = err.message || t('common.unexpected', { detail: err.code }); error.hidden = false; }
        return;
      }
      if (!alive) return;
      archiveOpen = false;
      ctx.toast(t('detail.archived_done', { id }), 'success');
      await refreshHistory();
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
      if (alive) ctx.toast(err.message || t('common.unexpected', { detail: err.code }), 'error');
      return;
    }
    if (!alive) return;
    ctx.toast(t('detail.restored', { id }), 'success');
    await refreshHistory();
    render();
    container.querySelector('[data-testid="archive-worker"]')?.focus();
  }

  return {
    onLanguage() { if (worker) load(false); },
    onEscape(event) {
      if (archiveOpen) { closeArchive(); return true; }
      const target = event.target;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT') && target.value) return false;
      ctx.navigate('#/');
      return true;
    },
    unmount() { alive = false; },
  };
}
