import { Group, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { feedbackCasesListCasesOptions } from '@/client/@tanstack/react-query.gen';
import type { CaseRead } from '@/client';
import { problemMessage } from '@/lib/api/problemMessage';
import { useCurrentUser } from '@/modules/auth/hooks/useCurrentUser';
import { ContactLink } from '@/modules/contacts/components/ContactLink';
import { DueDate } from '@/modules/today/components/DueDate';
import { EmptyState } from '@/ui/EmptyState';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { CaseActions } from './CaseActions';
import { CaseAnswer } from './CaseAnswer';
import { CaseStatusBadge } from './CaseStatusBadge';

type CaseStatus = CaseRead['status'];
const STATUSES: CaseStatus[] = ['open', 'in_progress', 'resolved'];
const SCOPES = ['all', 'mine', 'unowned'] as const;
type Scope = (typeof SCOPES)[number];

function ownerQuery(scope: Scope, userId: string | undefined): { owner_id?: string; unowned?: boolean } {
  if (scope === 'mine' && userId) {
    return { owner_id: userId };
  }
  return scope === 'unowned' ? { unowned: true } : {};
}

/** Every feedback case by status (detractor answers open them), with its next workflow step. */
export function CasesPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [status, setStatus] = useState<CaseStatus>('open');
  const [scope, setScope] = useState<Scope>('all');
  const cases = useQuery({
    ...feedbackCasesListCasesOptions({
      // Open work soonest due (most overdue) first; resolved cases newest first.
      query: { status, sort: status === 'resolved' ? '-created_at' : 'due_at', ...ownerQuery(scope, user.data?.id), limit: 200 },
    }),
    select: (page) => page.items,
  });
  const resolved = status === 'resolved';

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('cases.title')}
        </Title>
        <Group gap="sm">
          <SegmentedControl
            aria-label={t('cases.scope')}
            value={scope}
            onChange={(value) => {
              setScope(SCOPES.find((known) => known === value) ?? 'all');
            }}
            data={SCOPES.map((value) => ({ value, label: t(`cases.scopes.${value}`) }))}
          />
          <SegmentedControl
            aria-label={t('cases.status')}
            value={status}
            onChange={(value) => {
              setStatus(STATUSES.find((known) => known === value) ?? 'open');
            }}
            data={STATUSES.map((value) => ({ value, label: t(`cases.statuses.${value}`) }))}
          />
        </Group>
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
                <Table.Th>{t('cases.columns.answer')}</Table.Th>
                <Table.Th>{t('cases.columns.status')}</Table.Th>
                <Table.Th>{t('cases.columns.due')}</Table.Th>
                {resolved && <Table.Th>{t('cases.columns.note')}</Table.Th>}
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
                  <Table.Td maw={360}>
                    <CaseAnswer feedbackCase={feedbackCase} />
                  </Table.Td>
                  <Table.Td>
                    <CaseStatusBadge status={feedbackCase.status} />
                  </Table.Td>
                  <Table.Td>
                    <DueDate dueAt={feedbackCase.due_at} done={resolved} />
                  </Table.Td>
                  {resolved && <Table.Td>{feedbackCase.resolution_note ?? '—'}</Table.Td>}
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
