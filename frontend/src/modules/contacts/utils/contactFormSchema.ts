import type { TFunction } from 'i18next';
import { z } from 'zod';

/** The new-contact form; limits mirror ContactCreate so most mistakes show before the request. */
export function contactFormSchema(t: TFunction) {
  const optionalText = (max: number) =>
    z.string().trim().max(max, t('contacts.form.tooLong', { max }));
  return z.object({
    first_name: z.string().trim().min(1, t('contacts.form.required')).max(100, t('contacts.form.tooLong', { max: 100 })),
    last_name: z.string().trim().min(1, t('contacts.form.required')).max(100, t('contacts.form.tooLong', { max: 100 })),
    email: z.union([z.literal(''), z.email(t('contacts.form.emailInvalid'))]),
    phone: optionalText(50),
    company: optionalText(200),
    lifecycle_stage: z.enum(['lead', 'customer', 'churned']),
    language: z.enum(['de', 'en']),
    tags: z.array(z.string().trim().min(1).max(50, t('contacts.form.tooLong', { max: 50 }))).max(50),
    marketing_consent: z.boolean(),
    // Checked by the API against the field definitions; its messages show at each input.
    custom_fields: z.record(z.string(), z.string()),
  });
}
