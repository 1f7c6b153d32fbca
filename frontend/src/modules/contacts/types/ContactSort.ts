import type { ContactsListContactsData } from '@/client';

export type ContactSort = NonNullable<NonNullable<ContactsListContactsData['query']>['sort']>;
