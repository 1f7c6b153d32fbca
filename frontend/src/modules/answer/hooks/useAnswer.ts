import { useMutation, useQueryClient } from '@tanstack/react-query';

import { publicAnswerMutation, publicGetInvitationQueryKey } from '@/client/@tanstack/react-query.gen';
import type { PublicInvitationRead } from '@/client';

export function useAnswer(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    ...publicAnswerMutation(),
    onSuccess: (answer) => {
      // The page shows the stored answer from the invitation: keep it in step without a refetch.
      queryClient.setQueryData<PublicInvitationRead>(publicGetInvitationQueryKey({ path: { token } }), (invitation) =>
        invitation ? { ...invitation, response: answer } : invitation,
      );
    },
  });
}
