import { type InfiniteData, type QueryFunction, type QueryKey, type SkipToken, useInfiniteQuery } from '@tanstack/react-query';

/** The shape of every cursor-paged answer of the API (treue.pagination's Page). */
type CursorPage = { items: unknown[]; next_cursor?: string | null };

/**
 * A cursor-paged list with every page loaded so far as one array of items, a page more
 * along the API's `next_cursor` on `fetchNextPage`. Takes the generated infinite options'
 * key and function only: spreading the options makes TypeScript pick the "initial data
 * defined" overload, which types isPending as always false. `firstPage` is the first
 * request's parameters (path and query): the generated function reads an object page param
 * as the request's parameters and a string as the next cursor. `refetchInterval` sees the
 * pages loaded so far, for lists that poll while something is pending.
 */
export function useCursorList<Page extends CursorPage, Key extends QueryKey, Params extends object>(
  { queryKey, queryFn }: { queryKey: Key; queryFn?: QueryFunction<Page, Key, string | null | Params> | SkipToken },
  firstPage: Params,
  refetchInterval?: (data: InfiniteData<Page, string | null | Params> | undefined) => number | false,
) {
  return useInfiniteQuery({
    queryKey,
    queryFn,
    initialPageParam: firstPage,
    getNextPageParam: (page) => page.next_cursor,
    select: (data) => data.pages.flatMap((page) => page.items as Page['items'][number][]),
    refetchInterval: refetchInterval && ((query) => refetchInterval(query.state.data)),
  });
}
