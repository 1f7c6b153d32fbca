import type { TFunction } from 'i18next';
import { z } from 'zod';

import { IMPORT_KINDS } from './importColumns';

export function importFormSchema(t: TFunction) {
  const required = t('imports.form.fileRequired');
  return z.object({
    kind: z.enum(IMPORT_KINDS),
    // The API checks the content (UTF-8, known columns, size); here only that there is a file.
    file: z
      .instanceof(File, { error: required })
      .nullable()
      .refine((file) => file !== null, { error: required }),
  });
}
