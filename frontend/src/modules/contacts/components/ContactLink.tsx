import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { contactsGetContactOptions } from '@/client/@tanstack/react-query.gen';
import { AnchorLink } from '@/ui/AnchorLink';

/** A link to a contact's 360° page under their name (from the cache when seen before). */
export function ContactLink({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const contact = useQuery({
    ...contactsGetContactOptions({ path: { contact_id: contactId } }),
    staleTime: 5 * 60_000,
  });
  const name = contact.data ? `${contact.data.first_name} ${contact.data.last_name}` : t('contact.unnamed');
  return (
    <AnchorLink to="/contacts/$contactId" params={{ contactId }} size="sm">
      {name}
    </AnchorLink>
  );
}
