import { Button, Center, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useFormatters } from '@/i18n/useFormatters';
import { problemMessage } from '@/lib/api/problemMessage';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { useContactOrders } from '../hooks/useContactOrders';

export type ContactOrdersProps = {
  contactId: string;
};

export function ContactOrders({ contactId }: ContactOrdersProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const orders = useContactOrders(contactId);

  if (orders.isPending) {
    return <LoadingState label={t('common.loading')} />;
  }
  if (orders.isError) {
    return (
      <ErrorState
        title={t('contact.ordersError')}
        text={problemMessage(orders.error, t('common.unexpectedError'))}
        retryLabel={t('common.retry')}
        onRetry={() => void orders.refetch()}
      />
    );
  }
  if (orders.data.length === 0) {
    return (
      <Text c="dimmed" size="sm" ta="center" py="lg">
        {t('contact.ordersEmpty')}
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      <Table striped highlightOnHover withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('contact.orderColumns.date')}</Table.Th>
            <Table.Th>{t('contact.orderColumns.id')}</Table.Th>
            <Table.Th ta="right">{t('contact.orderColumns.lines')}</Table.Th>
            <Table.Th ta="right">{t('contact.orderColumns.revenue')}</Table.Th>
            <Table.Th ta="right">{t('contact.orderColumns.cost')}</Table.Th>
            <Table.Th ta="right">{t('contact.orderColumns.margin')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orders.data.map((order) => (
            <Table.Tr key={order.id}>
              <Table.Td>{format.date(order.ordered_at)}</Table.Td>
              <Table.Td>{order.external_id ?? order.id.slice(0, 8)}</Table.Td>
              <Table.Td ta="right">{format.number(order.lines.length)}</Table.Td>
              <Table.Td ta="right">{format.money(order.revenue, order.currency)}</Table.Td>
              <Table.Td ta="right">{format.money(order.cost, order.currency)}</Table.Td>
              <Table.Td ta="right">
                {format.money(Number(order.revenue) - Number(order.cost), order.currency)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {orders.hasNextPage && (
        <Center>
          <Button variant="subtle" loading={orders.isFetchingNextPage} onClick={() => void orders.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </Center>
      )}
    </Stack>
  );
}
