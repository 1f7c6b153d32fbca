import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { analyticsGetChurnReasonsOptions, analyticsGetCohortsOptions } from '@/client/@tanstack/react-query.gen';
import { useFormatters } from '@/i18n/useFormatters';

import { CHURN_INTERVALS, COHORT_MONTHS, type RetentionSearch } from '../utils/analyticsSearch';
import { churnStack, cohortHeatmap } from '../utils/chartData';
import { monthsAgo } from '../utils/periods';
import { AnalyticsPage } from './AnalyticsPage';
import { Chart } from './Chart';
import { ChartCard } from './ChartCard';
import { ChoiceFilter, SegmentFilter } from './Filters';

type ChurnInterval = (typeof CHURN_INTERVALS)[number];
// How far back each interval looks: a year of months, two of quarters, five of years.
const CHURN_SINCE: Record<ChurnInterval, number> = { month: 11, quarter: 21, year: 48 };
const REASON_COLORS = ['#fa5252', '#f59f00', '#7048e8', '#1c7ed6', '#0ca678', '#868e96', '#e64980'];
const route = getRouteApi('/_app/analytics/retention');

/** Who stays: retention by acquisition cohort (A8), and why customers leave, over time (A7). */
export function RetentionPage() {
  const { t } = useTranslation();
  const format = useFormatters();
  const { months = 12, interval = 'month', segment } = route.useSearch();
  const navigate = route.useNavigate();
  const filter = (patch: Partial<RetentionSearch>) => void navigate({ search: (previous) => ({ ...previous, ...patch }) });
  const ofSegment = segment ? { segment_id: segment } : {};
  const cohorts = useQuery(analyticsGetCohortsOptions({ query: { months, ...ofSegment } }));
  const churn = useQuery(
    analyticsGetChurnReasonsOptions({ query: { interval, since: monthsAgo(CHURN_SINCE[interval]), ...ofSegment } }),
  );
  const reasonName = (reason: string) => t(`analytics.churn.reasons.${reason}`, { defaultValue: reason });

  return (
    <AnalyticsPage
      title={t('analytics.retention.title')}
      intro={t('analytics.retention.intro')}
      filters={<SegmentFilter value={segment} onChange={(next) => { filter({ segment: next }); }} />}
    >
      <ChartCard
        title={t('analytics.cohorts.title')}
        description={t('analytics.cohorts.text')}
        query={cohorts}
        isEmpty={(data) => data.cohorts.every((row) => row.customers === 0)}
        emptyText={t('analytics.cohorts.empty')}
        filters={
          <ChoiceFilter
            label={t('analytics.filters.period')}
            value={months}
            onChange={(next) => { filter({ months: next }); }}
            choices={COHORT_MONTHS.map((value) => ({ value, label: t('analytics.filters.months', { count: value }) }))}
          />
        }
      >
        {(data) => {
          const heatmap = cohortHeatmap(data);
          const rowLabels = heatmap.rows.map((row, index) => `${row.slice(0, 7)} (${String(data.cohorts[index]?.customers ?? 0)})`);
          return (
            <Chart
              title={t('analytics.cohorts.title')}
              height={Math.max(300, 26 * heatmap.rows.length + 110)}
              option={{
                tooltip: {
                  formatter: (item: { value: [number, number, number, number] }) =>
                    t('analytics.cohorts.tooltip', {
                      cohort: heatmap.rows[item.value[1]]?.slice(0, 7) ?? '',
                      month: item.value[0],
                      retention: format.number(item.value[2], 1),
                      active: item.value[3],
                    }),
                },
                grid: { left: 110, right: 20, top: 10, bottom: 80 },
                xAxis: { type: 'category', data: heatmap.columns, name: t('analytics.cohorts.monthsSince'), nameLocation: 'middle', nameGap: 28, splitArea: { show: true } },
                yAxis: { type: 'category', data: rowLabels, inverse: true, splitArea: { show: true } },
                visualMap: {
                  // The cells are [month since, cohort, retention, customers]: colour by retention.
                  dimension: 2,
                  min: 0,
                  max: 100,
                  calculable: false,
                  orient: 'horizontal',
                  left: 'center',
                  bottom: 0,
                  itemHeight: 160,
                  text: ['100 %', '0 %'],
                  inRange: { color: ['#f8f9fa', '#96f2d7', '#087f5b'] },
                },
                series: [
                  {
                    type: 'heatmap',
                    data: heatmap.cells,
                    label: { show: heatmap.columns.length <= 12, formatter: (item: { value: number[] }) => String(Math.round(item.value[2] ?? 0)) },
                  },
                ],
              }}
              table={{
                columns: [t('analytics.cohorts.cohort'), t('analytics.cohorts.monthsSince'), t('analytics.cohorts.retention')],
                rows: heatmap.cells.map(([x, y, retention]) => [heatmap.rows[y] ?? '', x, format.number(retention, 1)]),
              }}
            />
          );
        }}
      </ChartCard>
      <ChartCard
        title={t('analytics.churn.title')}
        description={t('analytics.churn.text')}
        query={churn}
        isEmpty={(data) => data.totals.every((total) => total === 0)}
        emptyText={t('analytics.churn.empty')}
        filters={
          <ChoiceFilter
            label={t('analytics.filters.interval')}
            value={interval}
            onChange={(next) => { filter({ interval: next }); }}
            choices={CHURN_INTERVALS.map((value) => ({ value, label: t(`analytics.intervals.${value}`) }))}
          />
        }
      >
        {(data) => {
          const stack = churnStack(data);
          const labels = stack.labels.map((label) => (interval === 'year' ? label.slice(0, 4) : label.slice(0, 7)));
          return (
            <Chart
              title={t('analytics.churn.title')}
              option={{
                tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
                legend: { data: stack.series.map((series) => reasonName(series.key)), bottom: 0 },
                grid: { left: 50, right: 20, top: 36, bottom: 60 },
                xAxis: { type: 'category', data: labels },
                yAxis: { type: 'value', name: t('analytics.churn.churns'), minInterval: 1 },
                series: stack.series.map((series, index) => ({
                  name: reasonName(series.key),
                  type: 'bar',
                  stack: 'reasons',
                  data: series.counts,
                  itemStyle: { color: REASON_COLORS[index % REASON_COLORS.length] },
                })),
              }}
              table={{
                columns: [t('analytics.churn.period'), ...stack.series.map((series) => reasonName(series.key)), t('analytics.churn.total')],
                rows: labels.map((label, index) => [label, ...stack.series.map((series) => series.counts[index] ?? 0), stack.totals[index] ?? 0]),
              }}
            />
          );
        }}
      </ChartCard>
    </AnalyticsPage>
  );
}
