import type { Selection } from '@/client';

import type { ContactSelection } from '../types/ContactSelection';
import type { ContactsSearch } from '../types/ContactsSearch';
import { toListFilter } from './toListFilter';

/** What the API is told to act on: the picked ids, or the list's filters. */
export function selectionTarget(selection: ContactSelection, search: ContactsSearch): Selection {
  return selection.mode === 'matching' ? { filter: toListFilter(search) } : { contact_ids: [...selection.ids] };
}
