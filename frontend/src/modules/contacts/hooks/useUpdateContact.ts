import { useMutation } from '@tanstack/react-query';

import { contactsUpdateContactMutation } from '@/client/@tanstack/react-query.gen';

import { useInvalidate } from './useInvalidate';

export function useUpdateContact() {
  const invalidate = useInvalidate();
  return useMutation({
    ...contactsUpdateContactMutation(),
    // The 360° page, the list and the analytics figures all show the contact's fields.
    onSuccess: () => invalidate('contactsGetContact', 'contactsListContacts', 'analyticsGetCustomer'),
  });
}
