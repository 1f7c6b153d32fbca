import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { AnalyticsRuntimeSettings, ContactsRuntimeSettings, SurveyRuntimeSettings } from '@/client';

import { useAnalyticsSettings, useContactsSettings, useSurveysSettings } from '../hooks/useRuntimeSettings';
import { MoneySettingsForm } from './MoneySettingsForm';
import { type SettingField, SettingsForm } from './SettingsForm';

// The analytics settings that are numbers; the money ones have a form of their own.
type AnalyticsThreshold = 'abc_a_percent' | 'abc_b_percent' | 'churn_risk_threshold' | 'margin_threshold_percent';

/** The rules admins change at run time (F5), one form per service that applies them. */
export function SettingsPage() {
  const { t } = useTranslation();
  const contacts = useContactsSettings();
  const surveys = useSurveysSettings();
  const analytics = useAnalyticsSettings();
  const days = ` ${t('admin.settings.days')}`;
  const analyticsValues = analytics.query.data?.values;
  const saveAnalytics = (body: AnalyticsRuntimeSettings) => analytics.replace.mutateAsync({ body });

  const contactFields: readonly SettingField<keyof ContactsRuntimeSettings>[] = [
    {
      name: 'follow_up_after_days',
      label: t('admin.settings.contacts.followUp'),
      hint: t('admin.settings.contacts.followUpHint'),
      min: 0,
      max: 365,
      suffix: days,
    },
    {
      name: 'renewal_window_days',
      label: t('admin.settings.contacts.renewal'),
      hint: t('admin.settings.contacts.renewalHint'),
      min: 0,
      max: 365,
      suffix: days,
    },
  ];
  const surveyFields: readonly SettingField<keyof SurveyRuntimeSettings>[] = [
    {
      name: 'default_quiet_period_days',
      label: t('admin.settings.surveys.quietPeriod'),
      hint: t('admin.settings.surveys.quietPeriodHint'),
      min: 0,
      max: 3650,
      suffix: days,
    },
    {
      name: 'default_reminder_after_days',
      label: t('admin.settings.surveys.reminderAfter'),
      hint: t('admin.settings.surveys.reminderAfterHint'),
      min: 1,
      max: 60,
      suffix: days,
    },
    {
      name: 'default_max_reminders',
      label: t('admin.settings.surveys.maxReminders'),
      hint: t('admin.settings.surveys.maxRemindersHint'),
      min: 0,
      max: 2,
    },
    {
      name: 'feedback_case_sla_hours',
      label: t('admin.settings.surveys.caseSla'),
      hint: t('admin.settings.surveys.caseSlaHint'),
      min: 1,
      max: 8760,
      suffix: ` ${t('admin.settings.hours')}`,
    },
  ];
  const analyticsFields: readonly SettingField<AnalyticsThreshold>[] = [
    {
      name: 'abc_a_percent',
      label: t('admin.settings.analytics.abcA'),
      hint: t('admin.settings.analytics.abcAHint'),
      min: 0,
      max: 100,
      decimalScale: 2,
      suffix: ' %',
    },
    {
      name: 'abc_b_percent',
      label: t('admin.settings.analytics.abcB'),
      hint: t('admin.settings.analytics.abcBHint'),
      min: 0,
      max: 100,
      decimalScale: 2,
      suffix: ' %',
    },
    {
      name: 'churn_risk_threshold',
      label: t('admin.settings.analytics.churnRisk'),
      hint: t('admin.settings.analytics.churnRiskHint'),
      min: 0,
      max: 1,
      step: 0.05,
      decimalScale: 2,
    },
    {
      name: 'margin_threshold_percent',
      label: t('admin.settings.analytics.margin'),
      hint: t('admin.settings.analytics.marginHint'),
      min: -100,
      max: 100,
      decimalScale: 2,
      suffix: ' %',
    },
  ];

  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">
          {t('admin.settings.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('admin.settings.intro')}
        </Text>
      </div>
      <SettingsForm
        title={t('admin.settings.contacts.title')}
        applies={t('admin.settings.contacts.applies')}
        fields={contactFields}
        query={contacts.query}
        onSave={(body) => contacts.replace.mutateAsync({ body })}
        onReset={() => contacts.reset.mutateAsync({})}
      />
      <SettingsForm
        title={t('admin.settings.surveys.title')}
        applies={t('admin.settings.surveys.applies')}
        fields={surveyFields}
        query={surveys.query}
        onSave={(body) => surveys.replace.mutateAsync({ body })}
        onReset={() => surveys.reset.mutateAsync({})}
      />
      <SettingsForm
        title={t('admin.settings.analytics.title')}
        applies={t('admin.settings.analytics.applies')}
        fields={analyticsFields}
        query={analytics.query}
        onSave={(thresholds) => saveAnalytics({ ...analyticsValues, ...thresholds } as AnalyticsRuntimeSettings)}
        onReset={() => analytics.reset.mutateAsync({})}
        queuedMessage={t('admin.settings.analytics.recomputeQueued')}
      />
      {analytics.query.data && (
        <MoneySettingsForm
          // Remounted when the stored values change, so the inputs start from what is in force.
          key={JSON.stringify(analytics.query.data.values)}
          values={analytics.query.data.values}
          defaultCurrency={analytics.query.data.defaults.reporting_currency}
          onSave={saveAnalytics}
        />
      )}
    </Stack>
  );
}
