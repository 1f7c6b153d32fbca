import { useInfiniteQuery } from '@tanstack/react-query';

import { contactsListContactsInfiniteOptions } from '@/client/@tanstack/react-query.gen';
import { FIRST_PAGE } from '@/lib/api/firstPage';

import type { ContactsSearch } from '../types/ContactsSearch';

const CONTACTS_PAGE_SIZE = 100;
// A segment's members reach the list a few seconds after it is saved (by event): look again.
const EMPTY_SEGMENT_POLL_MS = 2000;

export function useContactsList({ q, stage, tag, sort, segment }: ContactsSearch) {
  // Key and function only: spreading the generated options makes TypeScript pick the
  // "initial data defined" overload, which types isPending as always false.
  const { queryKey, queryFn } = contactsListContactsInfiniteOptions({
      query: { q, tag, lifecycle_stage: stage, segment_id: segment, sort, limit: CONTACTS_PAGE_SIZE },
    });
  return useInfiniteQuery({
    queryKey,
    queryFn,
    // Not null: the generated query function takes an object page param for its parameters,
    // and typeof null is 'object'.
    initialPageParam: FIRST_PAGE,
    getNextPageParam: (page) => page.next_cursor,
    select: (data) => data.pages.flatMap((page) => page.items),
    refetchInterval: (query) =>
      segment && query.state.data?.pages[0]?.items.length === 0 ? EMPTY_SEGMENT_POLL_MS : false,
  });
}
