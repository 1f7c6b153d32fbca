import { Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import {
  analyticsGetAbcParetoOptions,
  analyticsGetAbcSplitOptions,
  analyticsGetClvDistributionOptions,
} from '@/client/@tanstack/react-query.gen';
import { useFormatters } from '@/i18n/useFormatters';

import { ABC_CLASSES, PARETO_SLICES, type ValueSearch } from '../utils/analyticsSearch';
import { clvHistogram, paretoSeries } from '../utils/chartData';
import { AnalyticsPage } from './AnalyticsPage';
import { Chart } from './Chart';
import { ChartCard } from './ChartCard';
import { ChoiceFilter, SegmentFilter } from './Filters';
import { LeftOutNote } from './LeftOutNote';

const CLASS_CHOICES = ['all', ...ABC_CLASSES] as const;
const CLASS_COLORS: Record<string, string> = { A: '#0ca678', B: '#f59f00', C: '#fa5252' };
const route = getRouteApi('/_app/analytics/customer-value');

/** How the value spreads over the customers: the CLV histogram (A2) and the ABC Pareto chart (A3). */
export function CustomerValuePage() {
  const { t } = useTranslation();
  const format = useFormatters();
  const { abc, slices = 20, segment } = route.useSearch();
  const navigate = route.useNavigate();
  const filter = (patch: Partial<ValueSearch>) => void navigate({ search: (previous) => ({ ...previous, ...patch }) });
  const ofSegment = segment ? { segment_id: segment } : {};
  const clv = useQuery(analyticsGetClvDistributionOptions({ query: { ...(abc ? { abc_class: abc } : {}), ...ofSegment } }));
  const pareto = useQuery(analyticsGetAbcParetoOptions({ query: { buckets: slices, ...ofSegment } }));
  const split = useQuery(analyticsGetAbcSplitOptions());
  // The Pareto chart needs the thresholds of the split as well as the slices.
  const paretoAndSplit = {
    data: pareto.data && split.data ? { pareto: pareto.data, split: split.data } : undefined,
    isError: pareto.isError || split.isError,
    error: pareto.error ?? split.error,
    refetch: () => Promise.all([pareto.refetch(), split.refetch()]),
  };

  return (
    <AnalyticsPage
      title={t('analytics.value.title')}
      intro={t('analytics.value.intro')}
      filters={<SegmentFilter value={segment} onChange={(next) => { filter({ segment: next }); }} />}
    >
      <ChartCard
        title={t('analytics.value.clv')}
        description={t('analytics.value.clvText')}
        query={clv}
        isEmpty={(data) => data.customers === 0}
        emptyText={t('analytics.value.noClv')}
        filters={
          <ChoiceFilter
            label={t('analytics.filters.abcClass')}
            value={abc ?? 'all'}
            onChange={(next) => { filter({ abc: next === 'all' ? undefined : next }); }}
            choices={CLASS_CHOICES.map((value) => ({ value, label: value === 'all' ? t('analytics.filters.all') : value }))}
          />
        }
      >
        {(data) => {
          const histogram = clvHistogram(data, format.moneyCompact);
          const customersName = t('analytics.value.customers');
          return (
            <>
              <Group gap="lg">
                <Text size="sm">
                  {t('analytics.value.customersWithClv', { count: data.customers })}
                </Text>
                <Text size="sm">
                  {t('analytics.value.median')}: <b>{data.median === null ? t('common.none') : format.money(data.median, data.currency)}</b>
                </Text>
                <Text size="sm">
                  {t('analytics.value.mean')}: <b>{data.mean === null ? t('common.none') : format.money(data.mean, data.currency)}</b>
                </Text>
              </Group>
              <LeftOutNote count={data.left_out_customers} what="customers" currencies={data.left_out_currencies} currency={data.currency} />
              <Chart
                title={t('analytics.value.clv')}
                option={{
                  tooltip: { trigger: 'axis' },
                  grid: { left: 60, right: 20, top: 36, bottom: 80 },
                  xAxis: { type: 'category', data: histogram.labels, name: 'CLV', nameLocation: 'middle', nameGap: 65, axisLabel: { rotate: 35 } },
                  // The bins are on a log scale already (each a step of the same ratio): counts read linearly.
                  yAxis: { type: 'value', name: customersName, minInterval: 1 },
                  series: [
                    {
                      name: customersName,
                      type: 'bar',
                      data: histogram.counts,
                      barCategoryGap: '5%',
                      itemStyle: { color: '#1c7ed6' },
                    },
                  ],
                }}
                table={{
                  columns: ['CLV', customersName],
                  rows: histogram.labels.map((label, index) => [label, format.number(histogram.counts[index] ?? 0)]),
                }}
              />
            </>
          );
        }}
      </ChartCard>
      <ChartCard
        title={t('analytics.value.pareto')}
        description={t('analytics.value.paretoText')}
        query={paretoAndSplit}
        isEmpty={(data) => data.pareto.buckets.length === 0}
        emptyText={t('analytics.value.noPareto')}
        filters={
          <ChoiceFilter
            label={t('analytics.filters.slices')}
            value={slices}
            onChange={(next) => { filter({ slices: next }); }}
            choices={PARETO_SLICES.map((value) => ({ value, label: String(value) }))}
          />
        }
      >
        {(data) => {
          const series = paretoSeries(data.pareto, data.split);
          const shareName = t('analytics.value.valueShare');
          const cumulativeName = t('analytics.value.cumulative');
          return (
            <Chart
              title={t('analytics.value.pareto')}
              option={{
                tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${format.number(value, 1)} %` },
                legend: { data: [shareName, cumulativeName], bottom: 0 },
                grid: { left: 60, right: 60, top: 30, bottom: 70 },
                xAxis: { type: 'category', data: series.labels, name: t('analytics.value.topCustomers'), nameLocation: 'middle', nameGap: 30 },
                yAxis: [
                  { type: 'value', name: shareName, axisLabel: { formatter: '{value} %' } },
                  { type: 'value', name: cumulativeName, min: 0, max: 100, axisLabel: { formatter: '{value} %' }, splitLine: { show: false } },
                ],
                series: [
                  { name: shareName, type: 'bar', data: series.bars, itemStyle: { color: '#74c0fc' } },
                  {
                    name: cumulativeName,
                    type: 'line',
                    yAxisIndex: 1,
                    data: series.cumulative,
                    itemStyle: { color: '#1864ab' },
                    markLine: {
                      silent: true,
                      symbol: 'none',
                      data: series.thresholds.map((threshold) => ({
                        yAxis: threshold.percent,
                        lineStyle: { color: CLASS_COLORS[threshold.abcClass], type: 'dashed' },
                        label: { formatter: t('analytics.value.classEnds', { abcClass: threshold.abcClass, percent: threshold.percent }), position: 'insideStartTop' },
                      })),
                    },
                  },
                ],
              }}
              table={{
                columns: [t('analytics.value.topCustomers'), shareName, cumulativeName],
                rows: series.labels.map((label, index) => [
                  label,
                  format.number(series.bars[index] ?? 0, 1),
                  format.number(series.cumulative[index] ?? 0, 1),
                ]),
              }}
            />
          );
        }}
      </ChartCard>
    </AnalyticsPage>
  );
}
