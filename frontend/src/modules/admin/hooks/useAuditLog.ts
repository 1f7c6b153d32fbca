import { useInfiniteQuery } from '@tanstack/react-query';

import { auditLogListAuditLogInfiniteOptions } from '@/client/@tanstack/react-query.gen';
import { FIRST_PAGE } from '@/lib/api/firstPage';

const AUDIT_PAGE_SIZE = 50;

/** The audit log, newest first, a page at a time along the API's cursor. */
export function useAuditLog() {
  // Key and function only: spreading the generated options types isPending as always false.
  const { queryKey, queryFn } = auditLogListAuditLogInfiniteOptions({ query: { limit: AUDIT_PAGE_SIZE } });
  return useInfiniteQuery({
    queryKey,
    queryFn,
    initialPageParam: FIRST_PAGE,
    getNextPageParam: (page) => page.next_cursor,
    select: (data) => data.pages.flatMap((page) => page.items),
  });
}
