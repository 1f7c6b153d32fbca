import { useQuery } from '@tanstack/react-query';

import { publicGetInvitationOptions } from '@/client/@tanstack/react-query.gen';

export function useInvitation(token: string) {
  return useQuery({ ...publicGetInvitationOptions({ path: { token } }), staleTime: Infinity });
}
