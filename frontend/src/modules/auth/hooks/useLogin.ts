import { useMutation, useQueryClient } from '@tanstack/react-query';

import { authLoginMutation, authMeQueryKey } from '@/client/@tanstack/react-query.gen';

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    ...authLoginMutation(),
    onSuccess: (session) => {
      // The session cookie is set; the user came with it, so the app shell needs no second request.
      queryClient.setQueryData(authMeQueryKey(), session.user);
    },
  });
}
