import { Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { analyticsGetProductMarginsOptions } from '@/client/@tanstack/react-query.gen';
import { useFormatters } from '@/i18n/useFormatters';
import { AnchorLink } from '@/ui/AnchorLink';

import { MARGIN_MONTHS, MARGIN_THRESHOLDS, type MarginsSearch } from '../utils/analyticsSearch';
import { marginBars, productLabel } from '../utils/chartData';
import { LeftOutNote } from './LeftOutNote';
import { AnalyticsPage } from './AnalyticsPage';
import { Chart } from './Chart';
import { ChartCard } from './ChartCard';
import { ChoiceFilter, SegmentFilter } from './Filters';

const route = getRouteApi('/_app/analytics/margins');

/** Offer margins (A6): margin % per product, those under the threshold flagged as candidates to drop. */
export function MarginsPage() {
  const { t } = useTranslation();
  const format = useFormatters();
  const { months = 12, threshold = 20, segment } = route.useSearch();
  const navigate = route.useNavigate();
  const filter = (patch: Partial<MarginsSearch>) => void navigate({ search: (previous) => ({ ...previous, ...patch }) });
  const margins = useQuery(
    analyticsGetProductMarginsOptions({
      query: { months, threshold_percent: threshold, ...(segment ? { segment_id: segment } : {}) },
    }),
  );

  return (
    <AnalyticsPage
      title={t('analytics.margins.title')}
      intro={t('analytics.margins.intro')}
      filters={<SegmentFilter value={segment} onChange={(next) => { filter({ segment: next }); }} />}
    >
      <ChartCard
        title={t('analytics.margins.chart')}
        description={t('analytics.margins.text')}
        query={margins}
        isEmpty={(data) => data.products.length === 0}
        emptyText={t('analytics.margins.empty')}
        filters={
          <>
            <ChoiceFilter
              label={t('analytics.filters.period')}
              value={months}
              onChange={(next) => { filter({ months: next }); }}
              choices={MARGIN_MONTHS.map((value) => ({ value, label: t('analytics.filters.months', { count: value }) }))}
            />
            <ChoiceFilter
              label={t('analytics.filters.threshold')}
              value={threshold}
              onChange={(next) => { filter({ threshold: next }); }}
              choices={MARGIN_THRESHOLDS.map((value) => ({ value, label: `${String(value)} %` }))}
            />
          </>
        }
      >
        {(data) => {
          const bars = marginBars(data.products);
          const marginName = t('analytics.margins.marginPercent');
          const money = (value: string) => format.money(value, data.currency);
          return (
            <>
              <Text size="sm">
                {t('analytics.margins.candidates', {
                  count: data.candidates.products,
                  revenue: money(data.candidates.revenue),
                  customers: data.candidates.customers,
                })}
              </Text>
              <LeftOutNote count={data.left_out.orders} what="orders" currencies={data.left_out.currencies} currency={data.currency} />
              <Chart
                title={t('analytics.margins.chart')}
                height={Math.max(280, 32 * bars.products.length + 60)}
                option={{
                  tooltip: {
                    trigger: 'axis',
                    axisPointer: { type: 'shadow' },
                    formatter: (items: { dataIndex: number }[]) => {
                      const product = data.products[items[0]?.dataIndex ?? 0];
                      if (!product) return '';
                      return [
                        `<b>${productLabel(product)}</b> (${product.sku})`,
                        `${marginName}: ${product.margin_percent === null ? t('common.none') : `${format.number(product.margin_percent, 1)} %`}`,
                        `${t('analytics.margins.revenue')}: ${money(product.revenue)}`,
                        `${t('analytics.margins.margin')}: ${money(product.margin)}`,
                        `${t('analytics.margins.customers')}: ${format.number(product.customers)}`,
                        product.candidate_to_drop ? `<b>${t('analytics.margins.flag')}</b>` : '',
                      ].join('<br/>');
                    },
                  },
                  grid: { left: 150, right: 40, top: 30, bottom: 40 },
                  yAxis: { type: 'category', data: bars.products, inverse: true },
                  xAxis: { type: 'value', name: marginName, nameLocation: 'middle', nameGap: 25, axisLabel: { formatter: '{value} %' } },
                  series: [
                    {
                      name: marginName,
                      type: 'bar',
                      barWidth: 16,
                      data: bars.percent.map((value, index) => ({
                        value,
                        itemStyle: { color: bars.flagged[index] ? '#fa5252' : '#0ca678' },
                      })),
                      label: { show: true, position: 'right', formatter: (item: { dataIndex: number }) => (bars.flagged[item.dataIndex] ? '⚑' : '') },
                      markLine: {
                        silent: true,
                        symbol: 'none',
                        data: [{ xAxis: Number(data.threshold_percent) }],
                        lineStyle: { color: '#e8590c', type: 'dashed' },
                        // The category axis runs top-down (inverse): 'start' is the top, clear of the tick labels.
                        label: { formatter: t('analytics.margins.thresholdLine', { percent: data.threshold_percent }), position: 'start' },
                      },
                    },
                  ],
                }}
                table={{
                  columns: [t('analytics.margins.product'), marginName, t('analytics.margins.revenue'), t('analytics.margins.flag')],
                  rows: data.products.map((product) => [
                    productLabel(product),
                    product.margin_percent === null ? t('common.none') : format.number(product.margin_percent, 1),
                    money(product.revenue),
                    product.candidate_to_drop ? t('analytics.margins.flag') : '',
                  ]),
                }}
              />
              <Text size="sm" c="dimmed">
                {t('analytics.margins.productsText')}
              </Text>
              <Table.ScrollContainer minWidth={560}>
                <Table striped highlightOnHover aria-label={t('analytics.margins.products')}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('analytics.margins.product')}</Table.Th>
                      <Table.Th ta="right">{marginName}</Table.Th>
                      <Table.Th ta="right">{t('analytics.margins.revenue')}</Table.Th>
                      <Table.Th ta="right">{t('analytics.margins.customers')}</Table.Th>
                      <Table.Th>{t('analytics.margins.offerTo')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.products.map((product) => (
                      <Table.Tr key={product.product_id}>
                        <Table.Td>
                          {productLabel(product)}
                          {product.candidate_to_drop && (
                            <Text span c="red" title={t('analytics.margins.flag')} ml={6}>
                              ⚑
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td ta="right">
                          {product.margin_percent === null ? t('common.none') : `${format.number(product.margin_percent, 1)} %`}
                        </Table.Td>
                        <Table.Td ta="right">{money(product.revenue)}</Table.Td>
                        <Table.Td ta="right">{format.number(product.customers)}</Table.Td>
                        <Table.Td>
                          <AnchorLink
                            to="/analytics/margins/$productId/prospects"
                            params={{ productId: product.product_id }}
                            size="sm"
                            aria-label={t('analytics.margins.offerToLabel', { product: productLabel(product) })}
                          >
                            {t('analytics.margins.offerTo')}
                          </AnchorLink>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </>
          );
        }}
      </ChartCard>
    </AnalyticsPage>
  );
}
