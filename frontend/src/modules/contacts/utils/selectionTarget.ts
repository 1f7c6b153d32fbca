import type { Selection } from '@/client';

import type { ContactSelection } from '../types/ContactSelection';
import type { ContactsSearch } from '../types/ContactsSearch';
import { toListFilter } from './toListFilter';

/** What the API is told to act on: the picked ids, or the list's filters less the rows unticked. */
export function selectionTarget(selection: ContactSelection, search: ContactsSearch): Selection {
  if (selection.mode === 'picked') return { contact_ids: [...selection.ids] };
  const filter = toListFilter(search);
  return selection.excluded.size > 0 ? { filter, exclude_ids: [...selection.excluded] } : { filter };
}
