import { useMutation, useQueryClient } from '@tanstack/react-query';

import { contactsCreateContactMutation } from '@/client/@tanstack/react-query.gen';
import { operationKey } from '@/lib/api/operationKey';

export function useCreateContact() {
  const queryClient = useQueryClient();
  return useMutation({
    ...contactsCreateContactMutation(),
    onSuccess: async () => {
      // Every variant of the list (search, filters, sort) may now hold the new contact.
      await queryClient.invalidateQueries({ queryKey: operationKey('contactsListContacts') });
    },
  });
}
