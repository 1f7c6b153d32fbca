import { useQuery } from '@tanstack/react-query';

import { importsGetImportErrorsOptions } from '@/client/@tanstack/react-query.gen';

/** The per-row error report of a finished import (fetched only when `enabled`). */
export function useImportErrors(importId: string, enabled: boolean) {
  return useQuery({
    ...importsGetImportErrorsOptions({ path: { import_id: importId } }),
    enabled,
    // A finished import's report never changes.
    staleTime: Infinity,
  });
}
