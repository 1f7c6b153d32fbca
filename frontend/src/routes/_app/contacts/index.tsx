import { createFileRoute } from '@tanstack/react-router';

import { ContactsPage } from '@/modules/contacts/components/ContactsPage';
import { parseContactsSearch } from '@/modules/contacts/utils/parseContactsSearch';

export const Route = createFileRoute('/_app/contacts/')({
  validateSearch: parseContactsSearch,
  component: ContactsPage,
});
