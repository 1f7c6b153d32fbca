import { useMutation, useQueryClient } from '@tanstack/react-query';

import { feedbackCasesUpdateCaseMutation } from '@/client/@tanstack/react-query.gen';
import { operationKey } from '@/lib/api/operationKey';

export function useUpdateCase() {
  const queryClient = useQueryClient();
  return useMutation({
    ...feedbackCasesUpdateCaseMutation(),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: operationKey('feedbackCasesListCases') });
    },
  });
}
