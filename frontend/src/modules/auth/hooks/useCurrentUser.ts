import { useQuery } from '@tanstack/react-query';

import { authMeOptions } from '@/client/@tanstack/react-query.gen';

export function useCurrentUser() {
  return useQuery({ ...authMeOptions(), staleTime: 5 * 60_000 });
}
