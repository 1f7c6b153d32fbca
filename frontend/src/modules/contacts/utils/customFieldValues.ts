import type { CustomFieldRead } from '@/client';

/**
 * A custom field as the form edits it: always text (a number as typed, a date as YYYY-MM-DD,
 * a yes/no as 'true'/'false'), '' when not set.
 */
export type CustomFieldFormValues = Record<string, string>;

/** The stored values as the form's text, one entry per defined field. */
export function toCustomFieldFormValues(
  definitions: readonly CustomFieldRead[],
  stored: Readonly<Record<string, unknown>> = {},
): CustomFieldFormValues {
  return Object.fromEntries(
    definitions.map((definition) => {
      const value = stored[definition.key];
      const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
      return [definition.key, text];
    }),
  );
}

function typed(type: string, text: string): unknown {
  switch (type) {
    case 'number': {
      const number = Number(text.replace(',', '.'));
      // What is not a number goes as typed: the API's "must be a number" then shows at the field.
      return Number.isFinite(number) ? number : text;
    }
    case 'boolean':
      return text === 'true';
    default:
      return text;
  }
}

/**
 * The form's text as the API's `custom_fields`: typed values for the defined fields that are
 * filled in. The API replaces the whole object on a write, so an empty field is left out.
 */
export function toCustomFields(
  definitions: readonly CustomFieldRead[],
  values: CustomFieldFormValues,
): Record<string, unknown> {
  const filled: Record<string, unknown> = {};
  for (const definition of definitions) {
    const text = (values[definition.key] ?? '').trim();
    if (text !== '') {
      filled[definition.key] = typed(definition.type, text);
    }
  }
  return filled;
}
