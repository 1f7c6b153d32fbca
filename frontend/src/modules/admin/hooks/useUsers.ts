import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  usersCreateUserMutation,
  usersDeactivateUserMutation,
  usersListUsersOptions,
  usersUpdateUserMutation,
} from '@/client/@tanstack/react-query.gen';
import { operationKey } from '@/lib/api/operationKey';

export function useUsers() {
  return useQuery({ ...usersListUsersOptions({ query: { limit: 500 } }), select: (page) => page.items });
}

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: operationKey('usersListUsers') });
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({ ...usersCreateUserMutation(), onSuccess: invalidate });
}

export function useUpdateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({ ...usersUpdateUserMutation(), onSuccess: invalidate });
}

export function useDeactivateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({ ...usersDeactivateUserMutation(), onSuccess: invalidate });
}
