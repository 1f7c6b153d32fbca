import type { QueryKey } from '@tanstack/react-query';

/**
 * A key that matches every cached query of one generated operation, whatever its parameters:
 * the generated keys are `[{ _id, baseUrl, query, path, … }]` and TanStack Query matches partially.
 */
export function operationKey(operationId: string): QueryKey {
  return [{ _id: operationId }];
}
