// About: what support asks first (version, build date, database schema, data folder), the
// same facts `safar --version` prints. Reachable by everyone, signed in or not.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { h } from '../dom.js';
import { errorText } from '../lib/errors.js';

const ROWS = [
  ['version', 'about.version'],
  ['build_date', 'about.build_date'],
  ['schema_version', 'about.schema'],
  ['data_dir', 'about.data_dir'],
  ['db_path', 'about.database'],
];

export function aboutView(root, _params, ctx) {
  const dl = h('dl', { class: 'field-list about-list', testid: 'about-list' });
  const error = h('p', { class: 'inline-error', role: 'alert', testid: 'about-error', hidden: true });
  root.append(h('section', { class: 'page about-screen', testid: 'about-screen' },
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title', 'data-i18n': 'about.title' }, t('about.title'))),
    h('div', { class: 'card about-card' },
      dl,
      h('p', { class: 'section-hint', 'data-i18n': 'about.support' }, t('about.support')),
      error)));

  api.appInfo().then((info) => {
    if (!ctx.isCurrent()) return;
    for (const [key, label] of ROWS) {
      dl.append(h('div', { class: `dl-row ${key === 'data_dir' || key === 'db_path' ? 'dl-wide' : ''}` },
        h('dt', { 'data-i18n': label }, t(label)),
        h('dd', { class: 'num', testid: `about-${key.replace('_', '-')}` }, String(info[key] ?? '—'))));
    }
  }, (err) => {
    if (!ctx.isCurrent()) return;
    error.textContent = errorText(err);
    error.hidden = false;
  });
  return {};
}
