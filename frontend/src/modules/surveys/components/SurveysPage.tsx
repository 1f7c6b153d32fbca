import { Badge, Button, Group, Paper, Table, Title, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { surveysListSurveysOptions } from '@/client/@tanstack/react-query.gen';
import { useFormatters } from '@/i18n/useFormatters';
import { problemMessage } from '@/lib/api/problemMessage';
import { AnchorLink } from '@/ui/AnchorLink';
import { EmptyState } from '@/ui/EmptyState';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

const NewSurveyModal = lazy(() => import('./NewSurveyModal').then((module) => ({ default: module.NewSurveyModal })));

export function SurveysPage() {
  const { t } = useTranslation();
  const format = useFormatters();
  const [creating, setCreating] = useState(false);
  const surveys = useQuery({ ...surveysListSurveysOptions({ query: { limit: 200 } }), select: (page) => page.items });

  const handleOpenNew = () => {
    setCreating(true);
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('surveys.title')}
        </Title>
        <Button onClick={handleOpenNew}>{t('surveys.new')}</Button>
      </Group>
      {surveys.isPending ? (
        <LoadingState label={t('common.loading')} />
      ) : surveys.isError ? (
        <ErrorState
          title={t('surveys.errorTitle')}
          text={problemMessage(surveys.error, t('common.unexpectedError'))}
          retryLabel={t('common.retry')}
          onRetry={() => void surveys.refetch()}
        />
      ) : surveys.data.length === 0 ? (
        <Paper withBorder p="lg">
          <EmptyState
            title={t('surveys.emptyTitle')}
            text={t('surveys.emptyText')}
            action={<Button onClick={handleOpenNew}>{t('surveys.new')}</Button>}
          />
        </Paper>
      ) : (
        <Paper withBorder>
          <Table aria-label={t('surveys.title')} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('surveys.columns.name')}</Table.Th>
                <Table.Th>{t('surveys.columns.status')}</Table.Th>
                <Table.Th ta="right">{t('surveys.columns.responses')}</Table.Th>
                <Table.Th ta="right">{t('surveys.columns.nps')}</Table.Th>
                <Table.Th>{t('surveys.columns.lastResponse')}</Table.Th>
                <Table.Th>{t('surveys.columns.quietPeriod')}</Table.Th>
                <Table.Th>{t('surveys.columns.created')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {surveys.data.map((survey) => (
                <Table.Tr key={survey.id}>
                  <Table.Td>
                    <AnchorLink to="/surveys/$surveyId" params={{ surveyId: survey.id }}>
                      {survey.name}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={survey.active ? 'teal' : 'gray'} variant="light">
                      {t(survey.active ? 'surveys.active' : 'surveys.inactive')}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">{format.number(survey.responses, 0)}</Table.Td>
                  <Table.Td ta="right" fw={600} c={survey.nps === null ? 'dimmed' : survey.nps < 0 ? 'red.8' : undefined}>
                    {survey.nps === null ? '—' : format.number(survey.nps, 0)}
                  </Table.Td>
                  <Table.Td>{survey.last_response_on ? format.date(survey.last_response_on) : '—'}</Table.Td>
                  <Table.Td>{t('surveys.days', { count: survey.quiet_period_days })}</Table.Td>
                  <Table.Td>{format.date(survey.created_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {creating && (
        <Suspense fallback={null}>
          <NewSurveyModal
            opened={creating}
            onClose={() => {
              setCreating(false);
            }}
          />
        </Suspense>
      )}
    </Stack>
  );
}
