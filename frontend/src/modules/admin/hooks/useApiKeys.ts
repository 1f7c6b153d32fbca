import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  apiKeysCreateApiKeyMutation,
  apiKeysListApiKeysOptions,
  apiKeysRevokeApiKeyMutation,
} from '@/client/@tanstack/react-query.gen';
import { operationKey } from '@/lib/api/operationKey';

export function useApiKeys() {
  return useQuery({ ...apiKeysListApiKeysOptions({ query: { limit: 500 } }), select: (page) => page.items });
}

function useInvalidateKeys() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: operationKey('apiKeysListApiKeys') });
}

export function useCreateApiKey() {
  const invalidate = useInvalidateKeys();
  return useMutation({ ...apiKeysCreateApiKeyMutation(), onSuccess: invalidate });
}

export function useRevokeApiKey() {
  const invalidate = useInvalidateKeys();
  return useMutation({ ...apiKeysRevokeApiKeyMutation(), onSuccess: invalidate });
}
