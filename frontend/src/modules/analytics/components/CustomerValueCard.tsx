import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { analyticsGetCustomerOptions } from '@/client/@tanstack/react-query.gen';
import { useFormatters } from '@/i18n/useFormatters';
import { isProblem } from '@/lib/api/isProblem';
import { problemMessage } from '@/lib/api/problemMessage';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

export type CustomerValueCardProps = {
  contactId: string;
};

type FigureProps = { label: string; value: string };

function Figure({ label, value }: FigureProps) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="lg" fw={600}>
        {value}
      </Text>
    </Stack>
  );
}

/** Historical value and the CLV model's forecast, as the analytics read model has them. */
export function CustomerValueCard({ contactId }: CustomerValueCardProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const customer = useQuery(analyticsGetCustomerOptions({ path: { contact_id: contactId } }));
  const none = t('common.none');

  let body;
  if (customer.isPending) {
    body = <LoadingState label={t('common.loading')} />;
  } else if (customer.isError) {
    body =
      isProblem(customer.error) && customer.error.status === 404 ? (
        <Text size="sm" c="dimmed">
          {t('customerValue.notSeen')}
        </Text>
      ) : (
        <ErrorState
          title={t('customerValue.error')}
          text={problemMessage(customer.error, t('common.unexpectedError'))}
          retryLabel={t('common.retry')}
          onRetry={() => void customer.refetch()}
        />
      );
  } else {
    const value = customer.data;
    const money = (amount: string | null) => (amount === null ? none : format.money(amount, value.currency));
    body = (
      <Stack gap="sm">
        <SimpleGrid cols={2} spacing="sm" verticalSpacing="sm">
          <Figure label={t('customerValue.revenue')} value={money(value.revenue)} />
          <Figure label={t('customerValue.margin')} value={money(value.margin)} />
          <Figure label={t('customerValue.netValue')} value={money(value.net_value)} />
          <Figure label={t('customerValue.orders')} value={format.number(value.orders)} />
          <Figure
            label={t('customerValue.clv')}
            value={value.clv === null ? none : format.money(value.clv, value.clv_currency ?? value.currency)}
          />
          <Figure label={t('customerValue.pAlive')} value={value.p_alive === null ? none : format.percent(value.p_alive)} />
          <Figure
            label={t('customerValue.expectedPurchases')}
            value={value.expected_purchases_12m === null ? none : format.number(value.expected_purchases_12m, 1)}
          />
        </SimpleGrid>
        {value.clv === null && (
          <Text size="xs" c="dimmed">
            {t('customerValue.clvHint')}
          </Text>
        )}
      </Stack>
    );
  }

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('customerValue.title')}
        </Title>
        {body}
      </Stack>
    </Paper>
  );
}
