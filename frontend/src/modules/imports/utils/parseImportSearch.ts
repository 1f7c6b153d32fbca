import type { ImportSearch } from '../types/ImportSearch';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the page's search params; a job id that is no UUID is dropped (the API would 422). */
export function parseImportSearch(search: Record<string, unknown>): ImportSearch {
  const job = typeof search.job === 'string' && UUID.test(search.job) ? search.job.toLowerCase() : undefined;
  return job ? { job } : {};
}
