import { useQuery } from '@tanstack/react-query';

import { contactsCountContactsOptions } from '@/client/@tanstack/react-query.gen';

import type { ContactsSearch } from '../types/ContactsSearch';
import { toListFilter } from '../utils/toListFilter';

/** How many contacts the list's filters match; the list pages by cursor and has no total. */
export function useContactCount(search: ContactsSearch, enabled: boolean) {
  return useQuery({ ...contactsCountContactsOptions({ query: toListFilter(search) }), enabled, select: (answer) => answer.count });
}
