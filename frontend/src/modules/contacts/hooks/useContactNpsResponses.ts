import { responsesListContactResponsesInfiniteOptions } from '@/client/@tanstack/react-query.gen';
import { useCursorList } from '@/lib/api/useCursorList';

/** The contact's NPS answers across surveys, newest first, page by page (survey-service). */
export function useContactNpsResponses(contactId: string) {
  const path = { contact_id: contactId };
  return useCursorList(responsesListContactResponsesInfiniteOptions({ path, query: { limit: 10 } }), { path });
}
