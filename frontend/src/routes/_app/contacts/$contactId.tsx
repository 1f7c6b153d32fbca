import { createFileRoute } from '@tanstack/react-router';

import { ContactPage } from '@/modules/contacts/components/ContactPage';

export const Route = createFileRoute('/_app/contacts/$contactId')({
  component: ContactPage,
});
