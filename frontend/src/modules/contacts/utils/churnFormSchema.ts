import type { TFunction } from 'i18next';
import { z } from 'zod';

import { knownChurnReason } from './churnReasons';

/** A churn needs its reason code and a note; the date is optional (defaults to now). */
export function churnFormSchema(t: TFunction) {
  return z.object({
    // A string, not an enum: the select starts empty, and empty must read "choose one".
    reason: z.string().refine((value) => knownChurnReason(value) !== undefined, t('contact360.churn.reasonRequired')),
    note: z.string().trim().min(1, t('contacts.form.required')).max(2000, t('contacts.form.tooLong', { max: 2000 })),
    churned_at: z.string(),
  });
}

export type ChurnFormValues = z.infer<ReturnType<typeof churnFormSchema>>;
