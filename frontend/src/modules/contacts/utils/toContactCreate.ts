import type { ContactCreate, CustomFieldRead } from '@/client';

import type { ContactFormValues } from '../types/ContactFormValues';
import { toCustomFields } from './customFieldValues';

const orNull = (value: string) => (value === '' ? null : value);

/**
 * The form as the API's body. `customFields`: the definitions whose values to send; without
 * them (not loaded, or untouched in an edit) the contact's custom fields stay as they are.
 */
export function toContactCreate(values: ContactFormValues, customFields?: readonly CustomFieldRead[]): ContactCreate {
  const { custom_fields: customValues, ...fields } = values;
  return {
    ...fields,
    email: orNull(values.email),
    phone: orNull(values.phone),
    company: orNull(values.company),
    ...(customFields && { custom_fields: toCustomFields(customFields, customValues) }),
  };
}
