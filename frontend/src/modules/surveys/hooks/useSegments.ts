import { useQuery } from '@tanstack/react-query';

import { analyticsListSegmentsOptions } from '@/client/@tanstack/react-query.gen';

/** The saved segments to invite (analytics keeps their members up to date). */
export function useSegments(enabled: boolean) {
  return useQuery({
    ...analyticsListSegmentsOptions({ query: { limit: 200 } }),
    enabled,
    select: (page) => page.items,
  });
}
