import { useQueries } from '@tanstack/react-query';

import { feedbackCasesListCasesOptions } from '@/client/@tanstack/react-query.gen';
import type { CaseRead } from '@/client';

import type { InboxScope } from '../types/InboxScope';
import { byDueDate } from '../utils/byDueDate';

const INBOX_SIZE = 100;
const UNRESOLVED = ['open', 'in_progress'] as const;

/** The unresolved feedback cases (open and in progress), soonest due first. */
export function useInboxCases(scope: InboxScope, userId: string | undefined) {
  const who = scope === 'mine' ? { owner_id: userId } : { unowned: true };
  return useQueries({
    queries: UNRESOLVED.map((status) => ({
      ...feedbackCasesListCasesOptions({ query: { status, sort: 'due_at', limit: INBOX_SIZE, ...who } }),
      enabled: scope === 'unassigned' || userId !== undefined,
    })),
    combine: (results) => ({
      data: results.every((result) => result.data)
        ? byDueDate(results.flatMap((result): CaseRead[] => result.data?.items ?? []))
        : undefined,
      isPending: results.some((result) => result.isPending),
      error: results.find((result) => result.error)?.error ?? null,
      refetch: () => Promise.all(results.map((result) => result.refetch())),
    }),
  });
}
