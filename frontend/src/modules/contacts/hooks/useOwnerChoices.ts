import { useQuery } from '@tanstack/react-query';

import { usersListUsersOptions } from '@/client/@tanstack/react-query.gen';
import { useCurrentUser } from '@/modules/auth/hooks/useCurrentUser';

/** Who may own contacts: the active users, or only me where the user list is for admins only. */
export function useOwnerChoices(enabled: boolean) {
  const me = useCurrentUser();
  const users = useQuery({
    ...usersListUsersOptions({ query: { limit: 500 } }),
    enabled,
    retry: false,
    select: (page) => page.items.filter((user) => user.active),
  });
  const choices = (users.data ?? (me.data ? [me.data] : [])).map((user) => ({
    value: user.id,
    label: `${user.name} <${user.email}>`,
  }));
  return { choices, isPending: enabled && users.isPending };
}
