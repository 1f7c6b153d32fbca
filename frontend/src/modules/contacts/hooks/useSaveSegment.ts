import { useMutation } from '@tanstack/react-query';

import { analyticsCreateSegmentMutation } from '@/client/@tanstack/react-query.gen';

import { useInvalidate } from './useInvalidate';

export function useSaveSegment() {
  const invalidate = useInvalidate();
  return useMutation({
    ...analyticsCreateSegmentMutation(),
    onSuccess: async () => {
      await invalidate('analyticsListSegments');
    },
  });
}
