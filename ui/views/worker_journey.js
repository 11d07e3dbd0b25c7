// The journey card of the worker page: where he is now, Depart / Return with their dated
// forms, and a timeline of the placement's own steps (contracts signed and registered,
// departures and returns), newest first. Status moves are the history card's.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { h, clear } from '../dom.js';
import { textField, selectField, problemsController } from './fields.js';
import { formatDate } from './format.js';
import { returnReasonItems, returnReasonName, contractStatusBadge } from './placement.js';
import { asDate, dateValue, setDate, todayIso } from '../lib/dates.js';
import { errorText } from '../lib/errors.js';
import { panelForm, submitForm, unprefixed } from '../lib/forms.js';

/** The journey card over the shared `page` (worker_placement.js). */
export function journeyPart(page) {
  const { id, ctx, isAlive, changed } = page;
  const card = h('section', { class: 'card placement-card journey-card', testid: 'worker-journey' });
  let panel = null;   // {kind: 'depart'|'return', element, focus()}

  const openJourney = () => [...page.journeys].reverse().find((j) => !j.returned_on) || null;

  function render() {
    const { worker, errors } = page;
    clear(card);
    const open = openJourney();
    const buttons = [];
    if (page.canChange() && !panel) {
      if (!open && worker.status !== 'departed') {
        buttons.push(h('button', { type: 'button', class: 'btn btn-small btn-primary', testid: 'depart-open', on: { click: () => openPanel('depart') } }, t('journey.depart')));
      }
      if (open || worker.status === 'departed' || errors.journeys) {
        buttons.push(h('button', { type: 'button', class: 'btn btn-small', testid: 'return-open', on: { click: () => openPanel('return') } }, t('journey.return')));
      }
    }
    card.append(h('div', { class: 'card-head' },
      h('h2', { class: 'card-title' }, t('journey.title')),
      buttons.length ? h('div', { class: 'card-head-actions' }, buttons) : null));
    if (open) {
      card.append(h('p', { class: 'journey-now', testid: 'journey-abroad' },
        t('journey.abroad_since', { date: formatDate(open.departed_on) })));
    }
    if (page.canChange() && panel) card.append(panel.element);
    if (errors.journeys) card.append(page.loadError(errors.journeys, 'journeys-error'));
    if (page.historyError) card.append(h('p', { class: 'inline-error' }, t('detail.history_error', { message: errorText(page.historyError) })));
    const events = timeline();
    if (!events.length) {
      card.append(h('p', { class: 'muted', testid: 'journey-empty' }, t('journey.empty')));
      return;
    }
    const list = h('ol', { class: 'timeline journey-timeline', testid: 'journey-timeline' });
    for (const e of events) list.append(e.node);
    card.append(list);
  }

  /** Every dated step, newest first: contracts signed and registered, departures and returns. */
  function timeline() {
    const events = [];
    const RANK = { status: 0, contract_signed: 1, contract_registered: 2, departed: 3, returned: 4 };
    const entry = (kind, when, head, ...body) => events.push({
      kind, when,
      node: h('li', { class: `history-entry journey-entry kind-${kind}`, testid: 'journey-entry', 'data-kind': kind, 'data-date': when.slice(0, 10) },
        h('div', { class: 'entry-head' }, h('span', { class: 'entry-move' }, head),
          h('time', { class: 'entry-at', datetime: when }, formatDate(when))),
        body),
    });
    for (const c of page.contracts) {
      const what = [c.employer_name, c.position].filter(Boolean).join(' · ');
      if (c.signed_on) {
        entry('contract_signed', c.signed_on,
          h('span', { class: 'event-label' }, t('journey.ev_signed', { number: c.number || '' })),
          what ? h('p', { class: 'entry-reason' }, what) : null,
          h('p', { class: 'entry-actor' }, contractStatusBadge(c.status)));
      }
      if (c.registered_on) {
        entry('contract_registered', c.registered_on,
          h('span', { class: 'event-label' }, t('journey.ev_registered', { number: c.number || '' })),
          c.registration_number ? h('p', { class: 'entry-reason' }, t('journey.reg_number', { number: c.registration_number })) : null);
      }
    }
    for (const j of page.journeys) {
      if (j.departed_on) {
        entry('departed', j.departed_on,
          h('span', { class: 'event-label' }, t('journey.ev_departed')),
          j.route ? h('p', { class: 'entry-reason' }, `${t('fields.route')}: ${j.route}`) : null,
          j.border_crossing ? h('p', { class: 'entry-reason' }, `${t('fields.border_crossing')}: ${j.border_crossing}`) : null);
      }
      if (j.returned_on) {
        entry('returned', j.returned_on,
          h('span', { class: 'event-label' }, t('journey.ev_returned')),
          j.return_reason ? h('p', { class: 'entry-reason' }, returnReasonName(j.return_reason)) : null);
      }
    }
    events.sort((a, b) => b.when.localeCompare(a.when) || RANK[b.kind] - RANK[a.kind]);
    return events;
  }

  function openPanel(kind) {
    panel = { kind, ...(kind === 'depart' ? departForm() : returnForm()) };
    render();
    panel.focus();
  }

  function closePanel() {
    const was = panel && panel.kind;
    panel = null;
    render();
    card.querySelector(`[data-testid="${was === 'return' ? 'return-open' : 'depart-open'}"]`)?.focus();
  }

  /**
   * A dated panel (depart, return): today in its date field; after a save the panel closes,
   * `doneKey` is said, the page reloads and the focus goes to `nextTestid`.
   */
  function datedPanel({ name, titleKey, submitKey, fields, dateField, columns, send, doneKey, nextTestid }) {
    asDate(fields[dateField].input);
    setDate(fields[dateField].input, todayIso());
    const problems = problemsController(fields, unprefixed);
    const { form, message, button } = panelForm({
      name, titleKey, submitKey, grid: h('div', { class: 'field-grid grid-3' }, columns.map((f) => fields[f].wrap)),
      submit, cancel: closePanel,
    });
    async function submit() {
      const done = await submitForm({
        button, message, problems, fields, alive: isAlive, focus: fields[dateField].input,
        save: async () => { await send(dateValue(fields[dateField].input)); return true; },
      });
      if (!done) return;
      panel = null;
      ctx.toast(t(doneKey, { id }), 'success');
      await changed();
      card.querySelector(`[data-testid="${nextTestid}"]`)?.focus();
    }
    return { element: form, focus: () => fields[dateField].input.focus() };
  }

  function departForm() {
    const fields = {
      departed_on: textField({ field: 'departed_on', id: 'depart-date', testid: 'depart-date', label: 'fields.departed_on' }),
      route: textField({ field: 'route', id: 'depart-route', testid: 'depart-route', label: 'fields.route', placeholderKey: 'journey.route_placeholder' }),
      border_crossing: textField({ field: 'border_crossing', id: 'depart-border', testid: 'depart-border', label: 'fields.border_crossing' }),
    };
    return datedPanel({
      name: 'depart', titleKey: 'journey.depart_title', submitKey: 'journey.depart_submit', fields, dateField: 'departed_on',
      columns: ['departed_on', 'route', 'border_crossing'], doneKey: 'journey.departed_done', nextTestid: 'return-open',
      send: (date) => api.workersDepart(id, date, fields.route.input.value.trim(), fields.border_crossing.input.value.trim()),
    });
  }

  function returnForm() {
    const fields = {
      returned_on: textField({ field: 'returned_on', id: 'return-date', testid: 'return-date', label: 'fields.returned_on' }),
      return_reason: selectField({ field: 'return_reason', id: 'return-reason', testid: 'return-reason', label: 'fields.return_reason' }, returnReasonItems(), ''),
    };
    return datedPanel({
      name: 'return', titleKey: 'journey.return_title', submitKey: 'journey.return_submit', fields, dateField: 'returned_on',
      columns: ['returned_on', 'return_reason'], doneKey: 'journey.returned_done', nextTestid: 'depart-open',
      send: (date) => api.workersReturn(id, date, fields.return_reason.input.value),
    });
  }

  return {
    card,
    render,
    /** Esc outside the forms: close an open panel (true when one was open). */
    onEscape: () => { if (!panel) return false; closePanel(); return true; },
  };
}
