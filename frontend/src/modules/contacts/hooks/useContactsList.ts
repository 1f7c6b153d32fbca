import { contactsListContactsInfiniteOptions } from '@/client/@tanstack/react-query.gen';
import { FIRST_PAGE } from '@/lib/api/firstPage';
import { useCursorList } from '@/lib/api/useCursorList';

import type { ContactsSearch } from '../types/ContactsSearch';

const CONTACTS_PAGE_SIZE = 100;
// A segment's members reach the list a few seconds after it is saved (by event): look again.
const EMPTY_SEGMENT_POLL_MS = 2000;

export function useContactsList({ q, stage, tag, sort, segment }: ContactsSearch) {
  return useCursorList(
    contactsListContactsInfiniteOptions({
      query: { q, tag, lifecycle_stage: stage, segment_id: segment, sort, limit: CONTACTS_PAGE_SIZE },
    }),
    FIRST_PAGE,
    (data) => (segment && data?.pages[0]?.items.length === 0 ? EMPTY_SEGMENT_POLL_MS : false),
  );
}
