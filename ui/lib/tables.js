// What the list screens share: loading the rows with the table marked busy.
import { errorText } from './errors.js';

/**
 * Loads the rows of a list screen: the table busy while `fetch()` runs; a failure said in
 * `failure` (the rows shown before stay), else `failure` hidden and the answer handed to
 * `show`. Nothing is touched after the call once `current()` is false (the view is gone or
 * a newer load has started).
 */
export async function loadTable({ table, failure, fetch, current, show }) {
  table.setAttribute('aria-busy', 'true');
  let answer;
  try {
    answer = await fetch();
  } catch (err) {
    if (!current()) return;
    table.removeAttribute('aria-busy');
    failure.textContent = errorText(err);
    failure.hidden = false;
    return;
  }
  if (!current()) return;
  table.removeAttribute('aria-busy');
  failure.hidden = true;
  show(answer);
}
