import type { LifecycleStage } from '@/client';

import type { ContactSort } from './ContactSort';

/** The contacts list's state, kept in the URL so a search can be bookmarked and shared. */
export type ContactsSearch = {
  q?: string;
  stage?: LifecycleStage;
  tag?: string;
  sort?: ContactSort;
  /** A saved segment's id (analytics keeps its members). */
  segment?: string;
};
