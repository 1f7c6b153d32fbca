import { useQuery } from '@tanstack/react-query';

import { importsGetImportOptions } from '@/client/@tanstack/react-query.gen';

import { pollInterval } from '../utils/importState';

/** The import job, asked again every second until it has finished. */
export function useImportJob(importId: string) {
  return useQuery({
    ...importsGetImportOptions({ path: { import_id: importId } }),
    refetchInterval: (query) => pollInterval(query.state.data),
    // A background tab keeps following, so the result is there when the user comes back.
    refetchIntervalInBackground: true,
  });
}
