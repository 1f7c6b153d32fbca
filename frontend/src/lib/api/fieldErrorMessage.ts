import type { TFunction } from 'i18next';

import type { FieldError } from '@/client';
import { de } from '@/i18n/de';

type TranslatedCode = keyof typeof de.fieldErrors;

function isTranslated(code: string): code is TranslatedCode {
  return Object.hasOwn(de.fieldErrors, code);
}

/**
 * What to show the user for one of the API's field errors, in the user's language: the
 * text of its `code` with the code's `ctx` parameters (e.g. `max_length`), or the API's
 * own message for a code the app does not translate (`invalid`, `value_error`, a new one).
 */
export function fieldErrorMessage(error: FieldError, t: TFunction): string {
  const { code } = error;
  if (code === undefined || !isTranslated(code)) {
    return error.message;
  }
  return t(`fieldErrors.${code}`, { ...error.ctx });
}
