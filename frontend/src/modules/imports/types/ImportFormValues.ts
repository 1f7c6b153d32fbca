import type { z } from 'zod';

import type { importFormSchema } from '../utils/importFormSchema';

export type ImportFormValues = z.input<ReturnType<typeof importFormSchema>>;
