import { Group, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { feedbackCasesListCasesOptions } from '@/client/@tanstack/react-query.gen';
import type { CaseRead } from '@/client';
import { useFormatters } from '@/i18n/useFormatters';
import { problemMessage } from '@/lib/api/problemMessage';
import { useCurrentUser } from '@/modules/auth/hooks/useCurrentUser';
import { ContactLink } from '@/modules/contacts/components/ContactLink';
import { EmptyState } from '@/ui/EmptyState';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { CaseActions } from './CaseActions';
import { CaseStatusBadge } from './CaseStatusBadge';

type CaseStatus = CaseRead['status'];
const STATUSES: CaseStatus[] = ['open', 'in_progress', 'resolved'];

/** Every feedback case by status (detractor answers open them), with its next workflow step. */
export function CasesPage() {
  const { t } = useTranslation();
  const format = useFormatters();
  const user = useCurrentUser();
  const [status, setStatus] = useState<CaseStatus>('open');
  const cases = useQuery({
    ...feedbackCasesListCasesOptions({ query: { status, limit: 200 } }),
    select: (page) => page.items,
  });

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('cases.title')}
        </Title>
        <SegmentedControl
          aria-label={t('cases.status')}
          value={status}
          onChange={(value) => {
            setStatus(STATUSES.find((known) => known === value) ?? 'open');
          }}
          data={STATUSES.map((value) => ({ value, label: t(`cases.statuses.${value}`) }))}
        />
      </Group>
      <Paper withBorder>
        {cases.isPending ? (
          <LoadingState label={t('common.loading')} />
        ) : cases.isError ? (
          <ErrorState
            title={t('cases.error')}
            text={problemMessage(cases.error, t('common.unexpectedError'))}
            retryLabel={t('common.retry')}
            onRetry={() => void cases.refetch()}
          />
        ) : cases.data.length === 0 ? (
          <EmptyState title={t('cases.emptyTitle')} text={t('cases.emptyText')} />
        ) : (
          <Table aria-label={t('cases.title')} verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('cases.columns.contact')}</Table.Th>
                <Table.Th>{t('cases.columns.status')}</Table.Th>
                <Table.Th>{t('cases.columns.due')}</Table.Th>
                <Table.Th>{t('cases.columns.note')}</Table.Th>
                <Table.Th>
                  <Text span size="sm" fw={700}>
                    {t('cases.columns.next')}
                  </Text>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {cases.data.map((feedbackCase) => (
                <Table.Tr key={feedbackCase.id}>
                  <Table.Td>
                    <ContactLink contactId={feedbackCase.contact_id} />
                  </Table.Td>
                  <Table.Td>
                    <CaseStatusBadge status={feedbackCase.status} />
                  </Table.Td>
                  <Table.Td>{format.dateTime(feedbackCase.due_at)}</Table.Td>
                  <Table.Td>{feedbackCase.resolution_note ?? '—'}</Table.Td>
                  <Table.Td>
                    <CaseActions feedbackCase={feedbackCase} userId={user.data?.id} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
