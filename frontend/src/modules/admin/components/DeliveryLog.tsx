import { Badge, Button, Center, Code, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';

import type { DeliveryRead } from '@/client';
import { useFormatters } from '@/i18n/useFormatters';
import { problemMessage } from '@/lib/api/problemMessage';
import { EmptyState } from '@/ui/EmptyState';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';
import { notifyProblem } from '@/ui/notifyProblem';

import { useDeliveries, useRedeliver } from '../hooks/useWebhooks';

const STATUS_COLORS: Record<DeliveryRead['status'], string> = { pending: 'blue', succeeded: 'teal', failed: 'red' };

function Delivery({ webhookId, delivery }: { webhookId: string; delivery: DeliveryRead }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const [bodyShown, { toggle }] = useDisclosure(false);
  const redeliver = useRedeliver();

  const handleRedeliver = () => {
    redeliver.mutate(
      { path: { webhook_id: webhookId, delivery_id: delivery.id } },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('admin.webhooks.delivery.redelivered') });
        },
        onError: (error) => {
          notifyProblem(error, t);
        },
      },
    );
  };

  return (
    <Paper withBorder p="sm" data-testid="delivery">
      <Stack gap="xs">
        <Group justify="space-between">
          <Group gap="xs">
            <Text fw={600} size="sm" ff="monospace">
              {delivery.event_type}
            </Text>
            <Badge color={STATUS_COLORS[delivery.status]} variant="light">
              {t(`admin.webhooks.delivery.statuses.${delivery.status}`)}
            </Badge>
            <Text size="xs" c="dimmed">
              {format.dateTime(delivery.created_at)}
            </Text>
          </Group>
          <Group gap="xs">
            <Button size="xs" variant="subtle" onClick={toggle}>
              {bodyShown ? t('admin.webhooks.delivery.hideBody') : t('admin.webhooks.delivery.showBody')}
            </Button>
            <Button size="xs" variant="light" loading={redeliver.isPending} onClick={handleRedeliver}>
              {t('admin.webhooks.delivery.redeliver')}
            </Button>
          </Group>
        </Group>
        {delivery.attempts.length > 0 && (
          <Table aria-label={t('admin.webhooks.delivery.attempts')} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.webhooks.delivery.attemptAt')}</Table.Th>
                <Table.Th>{t('admin.webhooks.delivery.statusCode')}</Table.Th>
                <Table.Th>{t('admin.webhooks.delivery.duration')}</Table.Th>
                <Table.Th>{t('admin.webhooks.delivery.error')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {delivery.attempts.map((attempt) => (
                <Table.Tr key={attempt.attempted_at}>
                  <Table.Td>{format.dateTime(attempt.attempted_at)}</Table.Td>
                  <Table.Td>{attempt.status_code ?? t('admin.webhooks.delivery.noAnswer')}</Table.Td>
                  <Table.Td>{t('admin.webhooks.delivery.durationMs', { ms: format.number(attempt.duration_ms) })}</Table.Td>
                  <Table.Td>{attempt.error ?? t('common.none')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {bodyShown && (
          <div>
            <Text size="xs" fw={600} mb={4}>
              {t('admin.webhooks.delivery.body')}
            </Text>
            <Code block>{JSON.stringify(delivery.body, null, 2)}</Code>
          </div>
        )}
      </Stack>
    </Paper>
  );
}

/** An endpoint's deliveries: each attempt's status code, duration and time, the body sent, redelivery. */
export function DeliveryLog({ webhookId }: { webhookId: string }) {
  const { t } = useTranslation();
  const deliveries = useDeliveries(webhookId);

  if (deliveries.isPending) {
    return <LoadingState label={t('common.loading')} />;
  }
  if (deliveries.isError) {
    return (
      <ErrorState
        title={t('admin.webhooks.deliveriesError')}
        text={problemMessage(deliveries.error, t('common.unexpectedError'))}
        retryLabel={t('common.retry')}
        onRetry={() => void deliveries.refetch()}
      />
    );
  }
  if (deliveries.data.length === 0) {
    return <EmptyState title={t('admin.webhooks.noDeliveries')} text={t('admin.webhooks.noDeliveriesText')} />;
  }
  return (
    <Stack gap="sm">
      {deliveries.data.map((delivery) => (
        <Delivery key={delivery.id} webhookId={webhookId} delivery={delivery} />
      ))}
      {deliveries.hasNextPage && (
        <Center>
          <Button
            variant="default"
            loading={deliveries.isFetchingNextPage}
            onClick={() => void deliveries.fetchNextPage()}
          >
            {t('common.loadMore')}
          </Button>
        </Center>
      )}
    </Stack>
  );
}
