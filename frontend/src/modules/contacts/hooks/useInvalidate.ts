import { useQueryClient } from '@tanstack/react-query';

import { operationKey } from '@/lib/api/operationKey';

/** Refetches every cached query of the named generated operations, whatever their parameters. */
export function useInvalidate() {
  const queryClient = useQueryClient();
  return (...operationIds: string[]) =>
    Promise.all(operationIds.map((id) => queryClient.invalidateQueries({ queryKey: operationKey(id) })));
}
