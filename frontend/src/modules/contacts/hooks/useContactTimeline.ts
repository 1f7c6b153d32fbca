import { contactsGetTimelineInfiniteOptions } from '@/client/@tanstack/react-query.gen';
import { useCursorList } from '@/lib/api/useCursorList';

export function useContactTimeline(contactId: string) {
  const path = { contact_id: contactId };
  return useCursorList(contactsGetTimelineInfiniteOptions({ path, query: { limit: 25 } }), { path });
}
