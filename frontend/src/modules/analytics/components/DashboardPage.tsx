import { Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import type { Dashboard } from '@/client';
import { analyticsGetDashboardOptions } from '@/client/@tanstack/react-query.gen';
import { useFormatters } from '@/i18n/useFormatters';

import { AS_OF_MONTHS, type DashboardSearch } from '../utils/analyticsSearch';
import { periodLabel } from '../utils/chartData';
import { monthsAgo } from '../utils/periods';
import { AnalyticsPage } from './AnalyticsPage';
import { Chart } from './Chart';
import { ChartCard } from './ChartCard';
import { ChoiceFilter, SegmentFilter } from './Filters';
import { leftOutText } from './LeftOutNote';

type KpiProps = { label: string; value: string; hint?: string; change?: { text: string; good: boolean } | null };

function Kpi({ label, value, hint, change }: KpiProps) {
  return (
    <Paper withBorder p="sm" role="group" aria-label={label}>
      <Stack gap={2}>
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          {label}
        </Text>
        <Group gap="xs" align="baseline">
          <Text size="xl" fw={700}>
            {value}
          </Text>
          {change && (
            <Badge variant="light" color={change.good ? 'teal' : 'red'}>
              {change.text}
            </Badge>
          )}
        </Group>
        {hint && (
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

const AS_OF_CHOICES = ['now', ...AS_OF_MONTHS] as const;
const route = getRouteApi('/_app/analytics/');

/** F4's start, its filters in the URL. */
export function DashboardPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  return (
    <DashboardView
      search={search}
      onFilter={(patch) => void navigate({ search: (previous) => ({ ...previous, ...patch }) })}
    />
  );
}

export type DashboardViewProps = {
  search: DashboardSearch;
  onFilter: (patch: Partial<DashboardSearch>) => void;
};

/**
 * The KPIs of the last 12 months against the 12 before, with their monthly trends: of every
 * customer, or of a saved segment's members.
 */
export function DashboardView({ search: { asOf, segment }, onFilter }: DashboardViewProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const dashboard = useQuery(
    analyticsGetDashboardOptions({
      query: { ...(asOf ? { as_of: monthsAgo(asOf) } : {}), ...(segment ? { segment_id: segment } : {}) },
    }),
  );
  const signed = (value: number, digits = 1) => `${value > 0 ? '+' : ''}${format.number(value, digits)}`;

  const kpis = (data: Dashboard) => (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
      <Kpi
        label={t('analytics.kpi.customers')}
        value={format.number(data.customers)}
        hint={t('analytics.kpi.activeHint', { count: data.active_customers })}
      />
      <Kpi
        label={t('analytics.kpi.revenue')}
        value={format.money(data.revenue.last_12m, data.revenue.currency)}
        hint={[
          t(data.revenue.change === null ? 'analytics.kpi.ordersHintAlone' : 'analytics.kpi.ordersHint', {
            count: data.revenue.orders_12m,
          }),
          leftOutText(t, { count: data.revenue.left_out.orders, what: 'orders', currencies: data.revenue.left_out.currencies, currency: data.revenue.currency }),
        ]
          .filter(Boolean)
          .join(' · ')}
        change={
          data.revenue.change === null
            ? null
            : { text: `${signed(data.revenue.change * 100, 0)} %`, good: data.revenue.change >= 0 }
        }
      />
      <Kpi
        label={t('analytics.kpi.nps')}
        value={data.nps.score_12m === null ? t('common.none') : format.number(data.nps.score_12m, 1)}
        hint={t(data.nps.change === null ? 'analytics.kpi.responsesHintAlone' : 'analytics.kpi.responsesHint', {
          count: data.nps.responses_12m,
        })}
        change={
          data.nps.change === null
            ? null
            : { text: t('analytics.kpi.points', { value: signed(data.nps.change) }), good: data.nps.change >= 0 }
        }
      />
      <Kpi
        label={t('analytics.kpi.churnRate')}
        value={data.churn.rate_12m === null ? t('common.none') : format.percent(data.churn.rate_12m)}
        hint={t('analytics.kpi.churnedHint', { count: data.churn.churned_12m })}
      />
      <Kpi
        label={t('analytics.kpi.clvAverage')}
        value={data.clv.average === null ? t('common.none') : format.money(data.clv.average, data.clv.currency)}
        hint={[t('analytics.kpi.clvHint', { count: data.clv.customers }), leftOutText(t, { count: data.clv.left_out_customers, what: 'customers', currencies: data.clv.left_out_currencies, currency: data.clv.currency })]
          .filter(Boolean)
          .join(' · ')}
      />
      <Kpi
        label={t('analytics.kpi.atRisk')}
        value={format.number(data.at_risk)}
        hint={t('analytics.kpi.atRiskHint', { threshold: format.percent(data.risk_threshold) })}
      />
      <Kpi
        label={t('analytics.kpi.renewals')}
        value={format.number(data.renewals_due.within_30_days)}
        hint={t('analytics.kpi.renewalsHint', { count: data.renewals_due.within_60_days })}
      />
      <Kpi
        label={t('analytics.kpi.abc')}
        value={['A', 'B', 'C'].map((name) => format.number(data.abc[name] ?? 0)).join(' / ')}
        hint={t('analytics.kpi.abcHint')}
      />
      <Kpi
        label={t('analytics.kpi.openCases')}
        value={format.number(data.feedback_cases.open)}
        hint={t('analytics.kpi.overdueHint', { count: data.feedback_cases.overdue })}
      />
    </SimpleGrid>
  );

  const revenueChart = (data: Dashboard) => {
    const months = data.revenue.trend.map((month) => periodLabel(month.month).slice(0, 7));
    const title = t('analytics.dashboard.revenueTrend');
    return (
      <Chart
        title={title}
        height={260}
        option={{
          tooltip: { trigger: 'axis' },
          legend: { data: [t('analytics.dashboard.revenue'), t('analytics.dashboard.orders')], bottom: 0 },
          grid: { left: 70, right: 50, top: 36, bottom: 50 },
          xAxis: { type: 'category', data: months },
          yAxis: [
            { type: 'value', name: t('analytics.dashboard.revenue'), axisLabel: { formatter: (v: number) => format.moneyCompact(v, data.revenue.currency) } },
            { type: 'value', name: t('analytics.dashboard.orders'), splitLine: { show: false } },
          ],
          series: [
            { name: t('analytics.dashboard.revenue'), type: 'bar', data: data.revenue.trend.map((m) => Number(m.revenue)), itemStyle: { color: '#0ca678' } },
            { name: t('analytics.dashboard.orders'), type: 'line', yAxisIndex: 1, data: data.revenue.trend.map((m) => m.orders), itemStyle: { color: '#1c7ed6' } },
          ],
        }}
        table={{
          columns: [t('analytics.dashboard.month'), t('analytics.dashboard.revenue'), t('analytics.dashboard.orders')],
          rows: data.revenue.trend.map((m, i) => [months[i] ?? '', format.money(m.revenue, data.revenue.currency), format.number(m.orders)]),
        }}
      />
    );
  };

  const npsChart = (data: Dashboard) => {
    const months = data.nps.trend.map((month) => periodLabel(month.month).slice(0, 7));
    const title = t('analytics.dashboard.npsTrend');
    return (
      <Chart
        title={title}
        height={260}
        option={{
          tooltip: { trigger: 'axis' },
          grid: { left: 50, right: 20, top: 36, bottom: 30 },
          xAxis: { type: 'category', data: months },
          yAxis: { type: 'value', min: -100, max: 100, name: 'NPS' },
          series: [
            {
              name: 'NPS',
              type: 'line',
              connectNulls: true,
              data: data.nps.trend.map((m) => m.score),
              itemStyle: { color: '#7048e8' },
              markLine: { silent: true, symbol: 'none', data: [{ yAxis: 0 }], lineStyle: { color: '#adb5bd' } },
            },
          ],
        }}
        table={{
          columns: [t('analytics.dashboard.month'), 'NPS', t('analytics.nps.responses')],
          rows: data.nps.trend.map((m, i) => [
            months[i] ?? '',
            m.score === null ? t('common.none') : format.number(m.score, 1),
            format.number(m.responses),
          ]),
        }}
      />
    );
  };

  const filters = (
    <ChoiceFilter
      label={t('analytics.filters.asOf')}
      value={asOf ?? 'now'}
      onChange={(next) => { onFilter({ asOf: next === 'now' ? undefined : next }); }}
      choices={AS_OF_CHOICES.map((value) => ({
        value,
        label: value === 'now' ? t('analytics.filters.now') : t('analytics.filters.monthsAgo', { count: value }),
      }))}
    />
  );

  return (
    <AnalyticsPage
      title={t('analytics.dashboard.title')}
      intro={t('analytics.dashboard.intro')}
      filters={<SegmentFilter value={segment} onChange={(next) => { onFilter({ segment: next }); }} />}
    >
      <ChartCard
        title={t('analytics.dashboard.kpis')}
        description={t('analytics.dashboard.kpisText')}
        query={dashboard}
        isEmpty={() => false}
        emptyText=""
        filters={filters}
      >
        {kpis}
      </ChartCard>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <ChartCard
          title={t('analytics.dashboard.revenueTrend')}
          description={t('analytics.dashboard.revenueTrendText')}
          query={dashboard}
          isEmpty={(data) => data.revenue.trend.every((m) => m.orders === 0)}
          emptyText={t('analytics.dashboard.noOrders')}
        >
          {revenueChart}
        </ChartCard>
        <ChartCard
          title={t('analytics.dashboard.npsTrend')}
          description={t('analytics.dashboard.npsTrendText')}
          query={dashboard}
          isEmpty={(data) => data.nps.responses_12m === 0}
          emptyText={t('analytics.nps.noResponses')}
        >
          {npsChart}
        </ChartCard>
      </SimpleGrid>
    </AnalyticsPage>
  );
}
