import { useQuery } from '@tanstack/react-query';

import { analyticsListSegmentsOptions } from '@/client/@tanstack/react-query.gen';

/** The saved segments as choices of a filter (the first 100 by the API's order). */
export function useSegmentChoices() {
  const segments = useQuery(analyticsListSegmentsOptions({ query: { limit: 100 } }));
  return (segments.data?.items ?? []).map((segment) => ({ value: segment.id, label: segment.name }));
}
