import { useMutation, useQueryClient } from '@tanstack/react-query';

import { surveysCreateSurveyMutation } from '@/client/@tanstack/react-query.gen';
import { operationKey } from '@/lib/api/operationKey';

export function useCreateSurvey() {
  const queryClient = useQueryClient();
  return useMutation({
    ...surveysCreateSurveyMutation(),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: operationKey('surveysListSurveys') });
    },
  });
}
