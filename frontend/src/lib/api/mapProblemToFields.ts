import type { TFunction } from 'i18next';

import { fieldErrorMessage } from './fieldErrorMessage';
import { isProblem } from './isProblem';

type ProblemFieldMapping<TField extends string> = {
  /** The first message for each form field the problem names. */
  fieldErrors: Partial<Record<TField, string>>;
  /** Messages that belong to no field of the form (or the problem's detail when it names none). */
  formErrors: string[];
};

/** The form field an API field path belongs to: `tags[2]` and `address.city` land on `tags` and `address`. */
function rootField(path: string): string {
  return path.split(/[.[]/, 1)[0] ?? path;
}

/**
 * Spreads a problem+json `errors: [{field, message, code}]` over the fields of a form, so
 * that e.g. a 409 `already_used` on `email` shows at the e-mail input, in the user's
 * language (see fieldErrorMessage).
 */
export function mapProblemToFields<TField extends string>(
  problem: unknown,
  fields: readonly TField[],
  t: TFunction,
): ProblemFieldMapping<TField> {
  const mapping: ProblemFieldMapping<TField> = { fieldErrors: {}, formErrors: [] };
  if (!isProblem(problem)) {
    return mapping;
  }
  const known = new Set<string>(fields);
  for (const error of problem.errors ?? []) {
    const { field } = error;
    const message = fieldErrorMessage(error, t);
    const target = known.has(field) ? field : rootField(field);
    if (known.has(target)) {
      const name = target as TField;
      mapping.fieldErrors[name] ??= message;
    } else {
      mapping.formErrors.push(field ? `${field}: ${message}` : message);
    }
  }
  if (Object.keys(mapping.fieldErrors).length === 0 && mapping.formErrors.length === 0) {
    mapping.formErrors.push(problem.detail ?? problem.title);
  }
  return mapping;
}
