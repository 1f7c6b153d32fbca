import { useInfiniteQuery } from '@tanstack/react-query';

import { ordersListOrdersInfiniteOptions } from '@/client/@tanstack/react-query.gen';
import { FIRST_PAGE } from '@/lib/api/firstPage';

export function useContactOrders(contactId: string) {
  // Key and function only: spreading the generated options makes TypeScript pick the
  // "initial data defined" overload, which types isPending as always false.
  const { queryKey, queryFn } = ordersListOrdersInfiniteOptions({ query: { contact_id: contactId, limit: 25 } });
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
