import { useMutation, useQueryClient } from '@tanstack/react-query';

import { surveysInviteContactsMutation } from '@/client/@tanstack/react-query.gen';
import { operationKey } from '@/lib/api/operationKey';

export function useInviteContacts() {
  const queryClient = useQueryClient();
  return useMutation({
    ...surveysInviteContactsMutation(),
    onSuccess: async () => {
      // The response rate counts invitations.
      await queryClient.invalidateQueries({ queryKey: operationKey('responsesSurveyNps') });
    },
  });
}
