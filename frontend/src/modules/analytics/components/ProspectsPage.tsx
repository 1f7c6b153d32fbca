import { Badge, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { analyticsGetProspectsOptions, productsGetProductOptions } from '@/client/@tanstack/react-query.gen';
import { useFormatters } from '@/i18n/useFormatters';
import { AnchorLink } from '@/ui/AnchorLink';

import { prospectName, prospectReason, prospectValue } from '../utils/prospects';
import { AnalyticsPage } from './AnalyticsPage';
import { ChartCard } from './ChartCard';

const route = getRouteApi('/_app/analytics/margins_/$productId/prospects');

// As many as a sales team works through in one go; the API ranks the likeliest first.
const PROSPECTS = 50;

const ABC_COLORS: Record<string, string> = { A: 'teal', B: 'blue', C: 'gray' };

/** Customers to offer a product to (A7): the page of the route /analytics/margins/$productId/prospects. */
export function ProspectsPage() {
  const { productId } = route.useParams();
  return <ProspectsView productId={productId} />;
}

/** Who has not bought the product yet, why they might, and what they are worth. */
export function ProspectsView({ productId }: { productId: string }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const product = useQuery(productsGetProductOptions({ path: { product_id: productId } }));
  const prospects = useQuery(analyticsGetProspectsOptions({ path: { product_id: productId }, query: { limit: PROSPECTS } }));
  const name = product.data ? `${product.data.name} (${product.data.sku})` : t('analytics.prospects.thisProduct');

  return (
    <Stack gap="xs">
      <AnchorLink to="/analytics/margins" size="sm">
        {t('analytics.prospects.back')}
      </AnchorLink>
      <AnalyticsPage title={t('analytics.prospects.title', { product: name })} intro={t('analytics.prospects.intro')}>
        <ChartCard
          title={t('analytics.prospects.list')}
          description={t('analytics.prospects.text', { count: PROSPECTS })}
          query={prospects}
          isEmpty={(data) => data.items.length === 0}
          emptyText={t('analytics.prospects.empty')}
        >
          {(data) => (
            // On a phone the value and the class move under the name: two columns fit, four do not.
            <Table.ScrollContainer minWidth={320}>
              <Table striped highlightOnHover aria-label={t('analytics.prospects.list')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('analytics.prospects.customer')}</Table.Th>
                    <Table.Th>{t('analytics.prospects.why')}</Table.Th>
                    <Table.Th ta="right" visibleFrom="sm">
                      {t('analytics.prospects.value')}
                    </Table.Th>
                    <Table.Th style={{ whiteSpace: 'nowrap' }} visibleFrom="sm">
                      {t('analytics.prospects.abcClass')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((prospect) => {
                    const reason = prospectReason(prospect);
                    const value = prospectValue(prospect);
                    return (
                      <Table.Tr key={prospect.contact_id}>
                        <Table.Td>
                          <Stack gap={0}>
                            <AnchorLink to="/contacts/$contactId" params={{ contactId: prospect.contact_id }} fw={500} size="sm">
                              {prospectName(prospect) ?? t('contact.unnamed')}
                            </AnchorLink>
                            {prospect.company && (
                              <Text size="xs" c="dimmed">
                                {prospect.company}
                              </Text>
                            )}
                            <Group gap="xs" mt={4} hiddenFrom="sm">
                              {value && <Text size="xs">{format.money(value.amount, value.currency)}</Text>}
                              {prospect.abc_class && (
                                <Badge size="sm" variant="light" color={ABC_COLORS[prospect.abc_class] ?? 'gray'}>
                                  {prospect.abc_class}
                                </Badge>
                              )}
                            </Group>
                          </Stack>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{t('analytics.prospects.reason', reason)}</Text>
                        </Table.Td>
                        <Table.Td ta="right" visibleFrom="sm">
                          {value ? (
                            <Stack gap={0} align="flex-end">
                              <Text size="sm">{format.money(value.amount, value.currency)}</Text>
                              <Text size="xs" c="dimmed">
                                {t(`analytics.prospects.${value.kind}`)}
                              </Text>
                            </Stack>
                          ) : (
                            <Text size="sm" c="dimmed">
                              {t('common.none')}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td visibleFrom="sm">
                          {prospect.abc_class ? (
                            <Badge variant="light" color={ABC_COLORS[prospect.abc_class] ?? 'gray'}>
                              {prospect.abc_class}
                            </Badge>
                          ) : (
                            <Text size="sm" c="dimmed">
                              {t('common.none')}
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </ChartCard>
      </AnalyticsPage>
    </Stack>
  );
}
