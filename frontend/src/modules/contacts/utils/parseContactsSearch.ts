import type { ContactsSearch } from '../types/ContactsSearch';
import { CONTACT_SORTS } from './contactSorts';
import { LIFECYCLE_STAGES } from './lifecycleStages';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Reads the list's URL search params, dropping whatever the API would refuse. */
export function parseContactsSearch(search: Record<string, unknown>): ContactsSearch {
  const q = text(search.q);
  const tag = text(search.tag);
  const stage = LIFECYCLE_STAGES.find((candidate) => candidate === search.stage);
  const sort = CONTACT_SORTS.find((candidate) => candidate === search.sort);
  const segment = typeof search.segment === 'string' && UUID.test(search.segment) ? search.segment : undefined;
  return {
    ...(q && { q: q.slice(0, 200) }),
    ...(tag && { tag: tag.slice(0, 50) }),
    ...(stage && { stage }),
    ...(sort && { sort }),
    ...(segment && { segment }),
  };
}
