import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

import { isProblem } from './api/isProblem';

/** One cache for the app; any 401 (session expired, logged out elsewhere) calls onUnauthorized. */
export function createQueryClient(onUnauthorized: () => void): QueryClient {
  const handleError = (error: unknown) => {
    if (isProblem(error) && error.status === 401) {
      onUnauthorized();
    }
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: handleError }),
    mutationCache: new MutationCache({ onError: handleError }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // Problems (4xx) are answers, not hiccups: retrying them only delays the message.
        retry: (failures, error) => !isProblem(error) && failures < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}
