import type { TFunction } from 'i18next';
import type { FieldPath, FieldValues, UseFormSetError } from 'react-hook-form';

import { mapProblemToFields } from './mapProblemToFields';

type Mapping = ReturnType<typeof mapProblemToFields>;

/**
 * What a form shows in its alert after a failed request: the messages no field holds, or
 * `fallback` when nothing could be said at all (e.g. the network failed).
 */
export function formLevelErrors(mapping: Mapping, fallback: string): string[] {
  const placed = Object.keys(mapping.fieldErrors).length > 0;
  return mapping.formErrors.length > 0 || placed ? mapping.formErrors : [fallback];
}

/**
 * Puts a problem+json's field errors on a react-hook-form form (focusing the first), in
 * the user's language, and returns the messages for the form's alert.
 */
export function showProblemInForm<TValues extends FieldValues>(
  error: unknown,
  fields: readonly FieldPath<TValues>[],
  setError: UseFormSetError<TValues>,
  t: TFunction,
  fallback: string,
): string[] {
  const mapping = mapProblemToFields(error, fields, t);
  for (const [field, message] of Object.entries(mapping.fieldErrors) as [FieldPath<TValues>, string][]) {
    setError(field, { type: 'server', message }, { shouldFocus: true });
  }
  return formLevelErrors(mapping, fallback);
}
