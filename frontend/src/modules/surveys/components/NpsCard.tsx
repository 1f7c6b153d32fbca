import { Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useFormatters } from '@/i18n/useFormatters';
import { problemMessage } from '@/lib/api/problemMessage';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { useSurveyNps } from '../hooks/useSurveyLive';

/** The survey's NPS with its 95 % confidence interval, the mix of answers and the response rate. */
export function NpsCard({ surveyId }: { surveyId: string }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const nps = useSurveyNps(surveyId);

  if (nps.isPending) return <LoadingState label={t('common.loading')} />;
  if (nps.isError) {
    return <ErrorState title={t('surveys.npsError')} text={problemMessage(nps.error, t('common.unexpectedError'))} />;
  }
  const { overall, response_rate: rate } = nps.data;
  const share = (count: number) => (overall.n > 0 ? (count / overall.n) * 100 : 0);

  return (
    <Paper withBorder p="md" component="section" aria-label={t('surveys.nps')}>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('surveys.nps')}
        </Title>
        {overall.nps === null ? (
          <Text c="dimmed">{t('surveys.noAnswers')}</Text>
        ) : (
          <>
            <Group gap="sm" align="baseline">
              <Text fz={40} fw={700} lh={1} data-testid="nps-value">
                {format.number(overall.nps, 0)}
              </Text>
              {overall.ci_low !== null && overall.ci_high !== null && (
                <Text size="sm" c="dimmed">
                  {t('surveys.ci', { low: format.number(overall.ci_low, 0), high: format.number(overall.ci_high, 0) })}
                </Text>
              )}
            </Group>
            <Progress.Root size="lg" aria-hidden>
              <Progress.Section value={share(overall.detractors)} color="red" />
              <Progress.Section value={share(overall.passives)} color="yellow" />
              <Progress.Section value={share(overall.promoters)} color="teal" />
            </Progress.Root>
            <Text size="sm">
              {t('surveys.mix', {
                count: overall.n,
                promoters: overall.promoters,
                passives: overall.passives,
                detractors: overall.detractors,
              })}
            </Text>
          </>
        )}
        {rate && (
          <Text size="sm" c="dimmed">
            {t('surveys.responseRate', {
              answered: rate.answered,
              invitations: rate.invitations,
              rate: rate.rate === null ? '—' : format.percent(rate.rate),
            })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
