import { useInfiniteQuery } from '@tanstack/react-query';

import { importsListImportsInfiniteOptions } from '@/client/@tanstack/react-query.gen';
import { FIRST_PAGE } from '@/lib/api/firstPage';

const HISTORY_PAGE_SIZE = 20;

/** Past and running imports, newest first, a page at a time along the API's cursor. */
export function useImportHistory() {
  // Key and function only: spreading the generated options types isPending as always false.
  const { queryKey, queryFn } = importsListImportsInfiniteOptions({ query: { limit: HISTORY_PAGE_SIZE } });
  return useInfiniteQuery({
    queryKey,
    queryFn,
    initialPageParam: FIRST_PAGE,
    getNextPageParam: (page) => page.next_cursor,
    select: (data) => data.pages.flatMap((page) => page.items),
  });
}
