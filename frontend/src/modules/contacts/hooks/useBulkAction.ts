import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';

import {
  contactsCreateBulkActionMutation,
  contactsGetBulkActionOptions,
} from '@/client/@tanstack/react-query.gen';

import { useInvalidate } from './useInvalidate';

const POLL_MS = 1000;

/** Starts a bulk action (202 and a job). */
export function useStartBulkAction() {
  return useMutation(contactsCreateBulkActionMutation());
}

/** Polls the job until it is done, then refetches the list and its count, which it changed. */
export function useBulkActionJob(jobId: string | null) {
  const invalidate = useInvalidate();
  const job = useQuery({
    ...contactsGetBulkActionOptions({ path: { job_id: jobId ?? '' } }),
    enabled: jobId !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'succeeded' || status === 'failed' ? false : POLL_MS;
    },
  });
  const finished = job.data?.status === 'succeeded' || job.data?.status === 'failed';
  useEffect(() => {
    if (finished) {
      void invalidate('contactsListContacts', 'contactsCountContacts');
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per finished job
  }, [finished, jobId]);
  return job;
}
