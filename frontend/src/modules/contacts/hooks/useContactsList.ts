import { useInfiniteQuery } from '@tanstack/react-query';

import { contactsListContactsInfiniteOptions } from '@/client/@tanstack/react-query.gen';
import { FIRST_PAGE } from '@/lib/api/firstPage';

import type { ContactsSearch } from '../types/ContactsSearch';

const CONTACTS_PAGE_SIZE = 100;

export function useContactsList({ q, stage, tag, sort }: ContactsSearch) {
  // Key and function only: spreading the generated options makes TypeScript pick the
  // "initial data defined" overload, which types isPending as always false.
  const { queryKey, queryFn } = contactsListContactsInfiniteOptions({
      query: { q, tag, lifecycle_stage: stage, sort, limit: CONTACTS_PAGE_SIZE },
    });
  return useInfiniteQuery({
    queryKey,
    queryFn,
    // Not null: the generated query function takes an object page param for its parameters,
    // and typeof null is 'object'.
    initialPageParam: FIRST_PAGE,
    getNextPageParam: (page) => page.next_cursor,
    select: (data) => data.pages.flatMap((page) => page.items),
  });
}
