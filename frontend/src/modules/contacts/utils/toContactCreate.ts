import type { ContactCreate } from '@/client';

import type { ContactFormValues } from '../types/ContactFormValues';

const orNull = (value: string) => (value === '' ? null : value);

export function toContactCreate(values: ContactFormValues): ContactCreate {
  return {
    ...values,
    email: orNull(values.email),
    phone: orNull(values.phone),
    company: orNull(values.company),
  };
}
