import { useInfiniteQuery } from '@tanstack/react-query';

import { responsesListContactResponsesInfiniteOptions } from '@/client/@tanstack/react-query.gen';

/** The contact's NPS answers across surveys, newest first, page by page (survey-service). */
export function useContactNpsResponses(contactId: string) {
  // Key and function only: spreading the generated options makes TypeScript pick the
  // "initial data defined" overload, which types isPending as always false.
  const { queryKey, queryFn } = responsesListContactResponsesInfiniteOptions({
    path: { contact_id: contactId },
    query: { limit: 10 },
  });
  return useInfiniteQuery({
    queryKey,
    queryFn,
    // Not null: the generated query function takes an object page param for its parameters,
    // and typeof null is 'object'.
    initialPageParam: { path: { contact_id: contactId } },
    getNextPageParam: (page) => page.next_cursor,
    select: (data) => data.pages.flatMap((page) => page.items),
  });
}
