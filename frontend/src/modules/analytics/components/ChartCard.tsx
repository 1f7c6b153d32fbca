import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { problemMessage } from '@/lib/api/problemMessage';
import { EmptyState } from '@/ui/EmptyState';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

/** What a card needs of one or more queries. */
export type ChartQuery<T> = {
  data: T | undefined;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
};

export type ChartCardProps<T> = {
  title: string;
  description: string;
  query: ChartQuery<T>;
  /** Whether the answer has anything to draw. */
  isEmpty: (data: T) => boolean;
  emptyText: string;
  filters?: ReactNode;
  children: (data: T) => ReactNode;
};

/** A titled card around one chart: its filters, and loading, error and empty states. */
export function ChartCard<T>({ title, description, query, isEmpty, emptyText, filters, children }: ChartCardProps<T>) {
  const { t } = useTranslation();
  let body: ReactNode;
  if (query.isError) {
    body = (
      <ErrorState
        title={t('analytics.error')}
        text={problemMessage(query.error, t('common.unexpectedError'))}
        retryLabel={t('common.retry')}
        onRetry={() => void query.refetch()}
      />
    );
  } else if (query.data === undefined) {
    body = <LoadingState label={t('common.loading')} />;
  } else if (isEmpty(query.data)) {
    body = <EmptyState title={t('analytics.emptyTitle')} text={emptyText} />;
  } else {
    body = children(query.data);
  }
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
          <Stack gap={2} maw={560}>
            <Title order={2} size="h4">
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          </Stack>
          {filters && (
            <Group gap="sm" align="flex-end">
              {filters}
            </Group>
          )}
        </Group>
        {body}
      </Stack>
    </Paper>
  );
}
