import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  customFieldsChangeCustomFieldMutation,
  customFieldsDefineCustomFieldMutation,
  customFieldsDeleteCustomFieldMutation,
  customFieldsListCustomFieldsOptions,
} from '@/client/@tanstack/react-query.gen';
import { operationKey } from '@/lib/api/operationKey';

export function useCustomFields() {
  return useQuery({ ...customFieldsListCustomFieldsOptions(), select: (list) => list.items });
}

function useInvalidateCustomFields() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: operationKey('customFieldsListCustomFields') });
}

export function useDefineCustomField() {
  const invalidate = useInvalidateCustomFields();
  return useMutation({ ...customFieldsDefineCustomFieldMutation(), onSuccess: invalidate });
}

export function useChangeCustomField() {
  const invalidate = useInvalidateCustomFields();
  return useMutation({ ...customFieldsChangeCustomFieldMutation(), onSuccess: invalidate });
}

export function useDeleteCustomField() {
  const invalidate = useInvalidateCustomFields();
  return useMutation({ ...customFieldsDeleteCustomFieldMutation(), onSuccess: invalidate });
}
