// The worker's pre-departure certificates on his page: number (to the register), status,
// course, valid until. The card keeps its element across the page's redraws.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { h, clear } from '../dom.js';
import { errorText } from '../lib/errors.js';
import { certStatusBadge, certificateCourse } from './training.js';
import { formatDate } from './format.js';

export function workerCertificates({ id, isAlive }) {
  let list = [];
  let error = null;
  const card = h('section', { class: 'card placement-card certs-card', testid: 'worker-certificates' });

  async function load() {
    try {
      const answer = await api.certificatesList({ workerId: id });
      list = Array.isArray(answer) ? answer : [];
      error = null;
    } catch (err) {
      error = err;
    }
  }

  function render() {
    if (!isAlive()) return card;
    clear(card);
    card.append(h('div', { class: 'card-head' },
      h('h2', { class: 'card-title' }, t('certs.worker_title')),
      list.length ? h('span', { class: 'muted card-count' }, String(list.length)) : null));
    if (error) {
      card.append(h('div', { class: 'inline-error trail-error', role: 'alert', testid: 'worker-certificates-error' },
        h('span', null, t('placement.load_error', { message: errorText(error) })), ' ',
        h('button', { type: 'button', class: 'btn btn-small', on: { click: async () => { await load(); render(); } } }, t('auth.retry'))));
    }
    if (!list.length) {
      if (!error) card.append(h('p', { class: 'muted', testid: 'worker-certificates-empty' }, t('certs.worker_empty')));
      return card;
    }
    const tbody = h('tbody');
    for (const c of list) {
      tbody.append(h('tr', { testid: 'worker-certificate', 'data-number': c.number, class: c.status === 'revoked' ? 'is-revoked' : null },
        h('td', { class: 'mono nowrap' }, h('a', { href: `#/certificates?q=${encodeURIComponent(c.number)}`, testid: 'worker-certificate-link' }, c.number)),
        h('td', null, certificateCourse(c)),
        h('td', null, certStatusBadge(c.status)),
        h('td', { class: 'num nowrap' }, formatDate(c.valid_until))));
    }
    card.append(h('div', { class: 'table-wrap fees-table-wrap' }, h('table', { class: 'data-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('certs.col_number')),
        h('th', { scope: 'col' }, t('fields.course_id')),
        h('th', { scope: 'col' }, t('fields.status')),
        h('th', { scope: 'col' }, t('certs.col_valid_until')))),
      tbody)));
    return card;
  }

  return { card, load, render };
}
