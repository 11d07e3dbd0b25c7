// The words of a refused or failed call, one way everywhere: the core's message (already in
// the user's language), else a generic "unexpected" line naming the code.
import { t } from '../i18n.js';

/** The text of a rejected call (any shape: the core's error, an Error, a string). */
export function errorText(err) {
  if (typeof err === 'string') return err;
  return (err && err.message) || t('common.unexpected', { detail: (err && err.code) || '' });
}

/** The text of one problem of a validation error: its message, else its code said. */
export const problemText = (p) => (p && p.message) || t('common.unexpected', { detail: (p && p.code) || '' });
