import type { InteractionCreate } from '@/client';

import type { InteractionFormValues } from '../types/InteractionFormValues';

/** Empty choices mean "not given"; the local date-time input becomes an absolute instant. */
export function toInteractionCreate(values: InteractionFormValues): InteractionCreate {
  return {
    kind: values.kind,
    direction: values.direction === '' ? null : values.direction,
    sentiment: values.sentiment === '' ? null : values.sentiment,
    subject: values.subject === '' ? null : values.subject,
    body: values.body.trim() === '' ? null : values.body,
    occurred_at: values.occurred_at === '' ? null : new Date(values.occurred_at).toISOString(),
  };
}
