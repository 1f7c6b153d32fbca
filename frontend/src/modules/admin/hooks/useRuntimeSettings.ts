import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  settingsGetAnalyticsSettingsOptions,
  settingsGetContactsSettingsOptions,
  settingsGetSurveysSettingsOptions,
  settingsReplaceAnalyticsSettingsMutation,
  settingsReplaceContactsSettingsMutation,
  settingsReplaceSurveysSettingsMutation,
  settingsResetAnalyticsSettingsMutation,
  settingsResetContactsSettingsMutation,
  settingsResetSurveysSettingsMutation,
} from '@/client/@tanstack/react-query.gen';
import { operationKey } from '@/lib/api/operationKey';

function useInvalidate(operationId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: operationKey(operationId) });
}

/** The run-time settings of contacts-service: follow-up days, renewal window. */
export function useContactsSettings() {
  const invalidate = useInvalidate('settingsGetContactsSettings');
  return {
    query: useQuery(settingsGetContactsSettingsOptions()),
    replace: useMutation({ ...settingsReplaceContactsSettingsMutation(), onSuccess: invalidate }),
    reset: useMutation({ ...settingsResetContactsSettingsMutation(), onSuccess: invalidate }),
  };
}

/** The run-time settings of survey-service: what new surveys get, the case SLA. */
export function useSurveysSettings() {
  const invalidate = useInvalidate('settingsGetSurveysSettings');
  return {
    query: useQuery(settingsGetSurveysSettingsOptions()),
    replace: useMutation({ ...settingsReplaceSurveysSettingsMutation(), onSuccess: invalidate }),
    reset: useMutation({ ...settingsResetSurveysSettingsMutation(), onSuccess: invalidate }),
  };
}

/** The run-time settings of analytics-service: ABC, churn-risk and margin thresholds. */
export function useAnalyticsSettings() {
  const invalidate = useInvalidate('settingsGetAnalyticsSettings');
  return {
    query: useQuery(settingsGetAnalyticsSettingsOptions()),
    replace: useMutation({ ...settingsReplaceAnalyticsSettingsMutation(), onSuccess: invalidate }),
    reset: useMutation({ ...settingsResetAnalyticsSettingsMutation(), onSuccess: invalidate }),
  };
}
