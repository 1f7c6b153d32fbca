import type { TFunction } from 'i18next';
import { z } from 'zod';

export function interactionFormSchema(t: TFunction) {
  return z.object({
    kind: z.enum(['call', 'email', 'meeting', 'note', 'ticket', 'chat']),
    direction: z.enum(['inbound', 'outbound', '']),
    sentiment: z.enum(['positive', 'neutral', 'negative', '']),
    subject: z.string().trim().max(500, t('contacts.form.tooLong', { max: 500 })),
    body: z.string().max(100_000, t('contacts.form.tooLong', { max: 100_000 })),
    occurred_at: z.string(),
  });
}
