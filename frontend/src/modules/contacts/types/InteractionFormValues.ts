import type { z } from 'zod';

import type { interactionFormSchema } from '../utils/interactionFormSchema';

export type InteractionFormValues = z.infer<ReturnType<typeof interactionFormSchema>>;
