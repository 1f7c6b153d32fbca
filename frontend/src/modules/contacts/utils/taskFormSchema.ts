import type { TFunction } from 'i18next';
import { z } from 'zod';

export function taskFormSchema(t: TFunction) {
  return z.object({
    title: z.string().trim().min(1, t('contacts.form.required')).max(500, t('contacts.form.tooLong', { max: 500 })),
    // A local date-time input: empty or not a date is refused before the request.
    due_at: z.string().refine((value) => value !== '' && !Number.isNaN(new Date(value).getTime()), t('contacts.form.required')),
  });
}

export type TaskFormValues = z.infer<ReturnType<typeof taskFormSchema>>;
