import { useQuery } from '@tanstack/react-query';

import { analyticsListSegmentsOptions } from '@/client/@tanstack/react-query.gen';

/** The saved segments to filter the list by (the first 200, oldest first). */
export function useSavedSegments() {
  return useQuery({ ...analyticsListSegmentsOptions({ query: { limit: 200 } }), select: (page) => page.items });
}
