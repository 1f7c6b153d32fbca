import type { ContactSort } from '../types/ContactSort';

export const CONTACT_SORTS: readonly ContactSort[] = [
  '-created_at',
  'created_at',
  'last_name',
  '-last_name',
  '-updated_at',
  'updated_at',
];
