import type { ListFilter } from '@/client';

import type { ContactsSearch } from '../types/ContactsSearch';

/** The list's URL state as the API's filter (bulk actions, count, export). */
export function toListFilter({ q, stage, tag, segment }: ContactsSearch): ListFilter {
  return {
    ...(q && { q }),
    ...(tag && { tag }),
    ...(stage && { lifecycle_stage: stage }),
    ...(segment && { segment_id: segment }),
  };
}
