import type { z } from 'zod';

import type { contactFormSchema } from '../utils/contactFormSchema';

export type ContactFormValues = z.infer<ReturnType<typeof contactFormSchema>>;
