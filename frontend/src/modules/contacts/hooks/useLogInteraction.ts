import { useMutation, useQueryClient } from '@tanstack/react-query';

import { interactionsLogInteractionMutation } from '@/client/@tanstack/react-query.gen';
import { operationKey } from '@/lib/api/operationKey';

export function useLogInteraction() {
  const queryClient = useQueryClient();
  return useMutation({
    ...interactionsLogInteractionMutation(),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: operationKey('contactsGetTimeline') }),
        queryClient.invalidateQueries({ queryKey: operationKey('analyticsGetCustomer') }),
      ]);
    },
  });
}
