import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { contactsListContactsOptions } from '@/client/@tanstack/react-query.gen';

/** Contacts to pick from, searched on the server as the user types. */
export function useContactSearch(q: string) {
  return useQuery({
    ...contactsListContactsOptions({ query: { q: q.trim() || undefined, limit: 20 } }),
    placeholderData: keepPreviousData,
    select: (page) => page.items,
  });
}
