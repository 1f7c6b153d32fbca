import { ordersListOrdersInfiniteOptions } from '@/client/@tanstack/react-query.gen';
import { FIRST_PAGE } from '@/lib/api/firstPage';
import { useCursorList } from '@/lib/api/useCursorList';

export function useContactOrders(contactId: string) {
  return useCursorList(ordersListOrdersInfiniteOptions({ query: { contact_id: contactId, limit: 25 } }), FIRST_PAGE);
}
