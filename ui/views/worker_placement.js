// The placement sections of the worker page: his contracts (worker_contracts.js, with the
// new-contract form of worker_contract_form.js and the scans of worker_attachments.js), his
// journey (worker_journey.js) and his fees (worker_fees.js). This file holds what they
// share: the loaded lists, the worker, whether this user may change anything, the failed
// load with its Retry. The cards and their forms are built once, so typed input survives
// the page being redrawn; a viewer gets no controls that change anything.
import * as api from '../api.js';
import * as session from '../session.js';
import { t } from '../i18n.js';
import { h } from '../dom.js';
import { errorText } from '../lib/errors.js';
import { contractsPart } from './worker_contracts.js';
import { journeyPart } from './worker_journey.js';
import { feesPart } from './worker_fees.js';

/** A promise's outcome as {value} or {error}. */
const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error }));

/**
 * `changed()` reloads the worker (his status may have moved) and redraws the page;
 * `isAlive()` is false once the page is left.
 */
export function placementSections({ id, ctx, isAlive, changed }) {
  const write = session.canWrite();
  /** What the parts share; each reads it when it draws. */
  const page = {
    id, ctx, isAlive, changed, write,
    worker: null,
    history: [],
    historyError: null,
    contracts: [],
    journeys: [],
    fees: [],
    /** The fee totals per payer and currency, summed by the core. */
    feeTotals: [],
    jobs: [],
    errors: { contracts: null, journeys: null, fees: null, jobs: null },
    canChange: () => write && page.worker && !page.worker.archived,
    loadError,
  };
  const contracts = contractsPart(page);
  const journey = journeyPart(page);
  const fees = feesPart(page);

  async function load() {
    const [c, j, f, ft, jb] = await Promise.all([
      settle(api.contractsList({ workerId: id })),
      settle(api.workersJourneys(id)),
      settle(api.feesList(id)),
      settle(api.feesTotals(id)),
      write ? settle(api.jobsList()) : Promise.resolve({ value: [] }),
    ]);
    if (!isAlive()) return;
    const take = (r, key, keep) => {
      if (r.error) { page.errors[key] = r.error; return keep; }
      page.errors[key] = null;
      return Array.isArray(r.value) ? r.value : [];
    };
    page.contracts = take(c, 'contracts', page.contracts);
    page.journeys = take(j, 'journeys', page.journeys);
    page.fees = take(f, 'fees', page.fees);
    // Totals that could not be summed (an overflow the core refuses) show as unknown.
    page.feeTotals = ft.error ? null : (Array.isArray(ft.value) ? ft.value : []);
    page.jobs = take(jb, 'jobs', page.jobs);
    contracts.fillJobs();
  }

  /** Redraw the three cards for `w` (and his status history, for the timeline). */
  function render(w, hist, histError) {
    page.worker = w;
    page.history = Array.isArray(hist) ? hist : [];
    page.historyError = histError || null;
    contracts.render();
    journey.render();
    fees.render();
  }

  async function retry(button) {
    button.disabled = true;
    await load();
    if (!isAlive()) return;
    render(page.worker, page.history, page.historyError);
  }

  function loadError(err, testid) {
    return h('div', { class: 'inline-error trail-error', role: 'alert', testid },
      h('span', null, t('placement.load_error', { message: errorText(err) })), ' ',
      h('button', { type: 'button', class: 'btn btn-small', testid: `${testid}-retry`, on: { click: (e) => retry(e.currentTarget) } },
        t('auth.retry')));
  }

  /** Esc outside the forms: close an open panel (true when one was open). */
  const onEscape = () => contracts.onEscape() || journey.onEscape();

  return { contractsCard: contracts.card, journeyCard: journey.card, feesCard: fees.card, load, render, onEscape };
}
