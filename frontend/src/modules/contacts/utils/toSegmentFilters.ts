import type { SegmentFiltersInput } from '@/client';

import type { ContactsSearch } from '../types/ContactsSearch';

/**
 * The list's filters a saved segment can hold (analytics filters by stage and tags; it has
 * no text search), or null when there is none to save.
 */
export function toSegmentFilters({ stage, tag }: ContactsSearch): SegmentFiltersInput | null {
  if (!stage && !tag) return null;
  return {
    ...(stage && { lifecycle_stage: [stage] }),
    ...(tag && { tags: [tag.toLowerCase()] }),
  };
}
