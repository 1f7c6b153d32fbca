import type { ContactsSearch } from '../types/ContactsSearch';
import { CONTACT_SORTS } from './contactSorts';
import { LIFECYCLE_STAGES } from './lifecycleStages';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Reads the list's URL search params, dropping whatever the API would refuse. */
export function parseContactsSearch(search: Record<string, unknown>): ContactsSearch {
  const q = text(search.q);
  const tag = text(search.tag);
  const stage = LIFECYCLE_STAGES.find((candidate) => candidate === search.stage);
  const sort = CONTACT_SORTS.find((candidate) => candidate === search.sort);
  return {
    ...(q && { q: q.slice(0, 200) }),
    ...(tag && { tag: tag.slice(0, 50) }),
    ...(stage && { stage }),
    ...(sort && { sort }),
  };
}
