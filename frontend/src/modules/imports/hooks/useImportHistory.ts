import { importsListImportsInfiniteOptions } from '@/client/@tanstack/react-query.gen';
import { FIRST_PAGE } from '@/lib/api/firstPage';
import { useCursorList } from '@/lib/api/useCursorList';

const HISTORY_PAGE_SIZE = 20;

/** Past and running imports, newest first, a page at a time along the API's cursor. */
export function useImportHistory() {
  return useCursorList(importsListImportsInfiniteOptions({ query: { limit: HISTORY_PAGE_SIZE } }), FIRST_PAGE);
}
