import { useQuery } from '@tanstack/react-query';

import { customFieldsListCustomFieldsOptions } from '@/client/@tanstack/react-query.gen';

/** The custom fields a contact may have, in the order the admin defined them. */
export function useCustomFieldDefinitions() {
  return useQuery({ ...customFieldsListCustomFieldsOptions(), select: (list) => list.items });
}
