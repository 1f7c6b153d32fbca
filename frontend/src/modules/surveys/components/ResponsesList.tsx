import { Badge, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useFormatters } from '@/i18n/useFormatters';
import { problemMessage } from '@/lib/api/problemMessage';
import { ContactLink } from '@/modules/contacts/components/ContactLink';
import { EmptyState } from '@/ui/EmptyState';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { useSurveyResponses } from '../hooks/useSurveyLive';

const CATEGORY_COLORS = { detractor: 'red', passive: 'yellow', promoter: 'teal' } as const;

/** The newest answers, refreshed while the page is open. */
export function ResponsesList({ surveyId }: { surveyId: string }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const responses = useSurveyResponses(surveyId);

  return (
    <Paper withBorder p="md" component="section" aria-label={t('surveys.responses')}>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('surveys.responses')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('surveys.live')}
        </Text>
        {responses.isPending ? (
          <LoadingState label={t('common.loading')} />
        ) : responses.isError ? (
          <ErrorState title={t('surveys.responsesError')} text={problemMessage(responses.error, '')} />
        ) : responses.data.length === 0 ? (
          <EmptyState title={t('surveys.noResponsesTitle')} text={t('surveys.noResponsesText')} />
        ) : (
          <Table aria-label={t('surveys.responses')} aria-live="polite">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('surveys.columns.when')}</Table.Th>
                <Table.Th>{t('surveys.columns.contact')}</Table.Th>
                <Table.Th>{t('surveys.columns.score')}</Table.Th>
                <Table.Th>{t('surveys.columns.comment')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {responses.data.map((response) => (
                <Table.Tr key={response.id}>
                  <Table.Td>{format.dateTime(response.responded_at)}</Table.Td>
                  <Table.Td>
                    <ContactLink contactId={response.contact_id} />
                  </Table.Td>
                  <Table.Td>
                    <Badge color={CATEGORY_COLORS[response.category]} variant="light">
                      {response.score}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{response.comment ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
