import { Badge, Button, Center, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useFormatters } from '@/i18n/useFormatters';
import { problemMessage } from '@/lib/api/problemMessage';
import { EmptyState } from '@/ui/EmptyState';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { useApiKeys } from '../hooks/useApiKeys';
import { useAuditLog } from '../hooks/useAuditLog';
import { useUsers } from '../hooks/useUsers';

function statusColor(status: number): string {
  if (status >= 500) return 'red';
  if (status >= 400) return 'orange';
  return 'teal';
}

/** Every write through the API (F5): who, what, when, from where; older pages on demand. */
export function AuditLogPage() {
  const { t } = useTranslation();
  const format = useFormatters();
  const entries = useAuditLog();
  const users = useUsers();
  const keys = useApiKeys();
  // The log stores ids; a name reads better where the user or key still exists.
  const names = new Map<string, string>([
    ...(users.data ?? []).map((user): [string, string] => [user.id, user.name]),
    ...(keys.data ?? []).map((key): [string, string] => [key.id, key.name]),
  ]);

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        {t('admin.audit.title')}
      </Title>
      <Paper withBorder>
        {entries.isPending ? (
          <LoadingState label={t('common.loading')} />
        ) : entries.isError ? (
          <ErrorState
            title={t('admin.audit.error')}
            text={problemMessage(entries.error, t('common.unexpectedError'))}
            retryLabel={t('common.retry')}
            onRetry={() => void entries.refetch()}
          />
        ) : entries.data.length === 0 ? (
          <EmptyState title={t('admin.audit.emptyTitle')} text={t('admin.audit.emptyText')} />
        ) : (
          <Table aria-label={t('admin.audit.title')} verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.audit.columns.when')}</Table.Th>
                <Table.Th>{t('admin.audit.columns.who')}</Table.Th>
                <Table.Th>{t('admin.audit.columns.what')}</Table.Th>
                <Table.Th>{t('admin.audit.columns.status')}</Table.Th>
                <Table.Th>{t('admin.audit.columns.from')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.data.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td>{format.dateTime(entry.occurred_at)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {t(`admin.audit.actors.${entry.actor_kind}`)}
                      {entry.actor_id && names.has(entry.actor_id) && `: ${names.get(entry.actor_id) ?? ''}`}
                    </Text>
                    {entry.actor_id && (
                      <Text size="xs" c="dimmed" ff="monospace">
                        {entry.actor_id}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {entry.method} {entry.path}
                    </Text>
                    {entry.resource_id && !entry.path.includes(entry.resource_id) && (
                      <Text size="xs" c="dimmed" ff="monospace">
                        {t('admin.audit.created', { id: entry.resource_id })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={statusColor(entry.status_code)}>
                      {entry.status_code}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{entry.client_address ?? t('common.none')}</Text>
                    {entry.user_agent && (
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {entry.user_agent}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {entries.hasNextPage && (
        <Center>
          <Button variant="default" loading={entries.isFetchingNextPage} onClick={() => void entries.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </Center>
      )}
    </Stack>
  );
}
