import { useQuery } from '@tanstack/react-query';

import { responsesListResponsesOptions, responsesSurveyNpsOptions } from '@/client/@tanstack/react-query.gen';

/** Answers arrive while the page is open: poll while it is visible (TanStack Query pauses in the background). */
export const LIVE_INTERVAL_MS = 5_000;

export function useSurveyResponses(surveyId: string) {
  return useQuery({
    ...responsesListResponsesOptions({ path: { survey_id: surveyId }, query: { limit: 50 } }),
    refetchInterval: LIVE_INTERVAL_MS,
    select: (page) => page.items,
  });
}

export function useSurveyNps(surveyId: string) {
  return useQuery({
    ...responsesSurveyNpsOptions({ path: { survey_id: surveyId } }),
    refetchInterval: LIVE_INTERVAL_MS,
  });
}
