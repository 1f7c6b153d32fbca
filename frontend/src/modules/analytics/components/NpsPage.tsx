import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Interval } from '@/client';
import { analyticsGetPromoterDriversOptions, responsesNpsOptions } from '@/client/@tanstack/react-query.gen';
import { useFormatters } from '@/i18n/useFormatters';

import { confidenceBand, driverBars } from '../utils/chartData';
import { monthsAgo } from '../utils/periods';
import { AnalyticsPage } from './AnalyticsPage';
import { Chart } from './Chart';
import { ChartCard } from './ChartCard';
import { ChoiceFilter, SegmentFilter } from './Filters';

const PERIODS = ['3', '6', '12', '24'] as const;
type Period = (typeof PERIODS)[number];
const INTERVALS: Interval[] = ['week', 'month', 'quarter'];

type CustomParams = {
  coord: (point: [number, number]) => [number, number];
  value: (dimension: number) => number;
  style: (extra: Record<string, unknown>) => Record<string, unknown>;
};

/** NPS over time with its 95 % band and significant changes (A4), and what sets promoters apart (A5). */
export function NpsPage() {
  const { t } = useTranslation();
  const format = useFormatters();
  const [period, setPeriod] = useState<Period>('12');
  const [interval, setInterval] = useState<Interval>('month');
  const [segment, setSegment] = useState<string | null>(null);
  const [driverPeriod, setDriverPeriod] = useState<Period>('12');
  const nps = useQuery(
    responsesNpsOptions({
      query: { interval, from: monthsAgo(Number(period)), ...(segment ? { segment_id: segment } : {}) },
    }),
  );
  const drivers = useQuery(analyticsGetPromoterDriversOptions({ query: { since: monthsAgo(Number(driverPeriod)) } }));
  const periodChoices = PERIODS.map((value) => ({ value, label: t('analytics.filters.months', { count: Number(value) }) }));
  const bandName = t('analytics.nps.band');
  const changeName = t('analytics.nps.significant');

  return (
    <AnalyticsPage title={t('analytics.nps.title')} intro={t('analytics.nps.intro')}>
      <ChartCard
        title={t('analytics.nps.trend')}
        description={t('analytics.nps.trendText')}
        query={nps}
        isEmpty={(data) => data.overall.n === 0}
        emptyText={t('analytics.nps.noResponses')}
        filters={
          <>
            <ChoiceFilter label={t('analytics.filters.period')} value={period} onChange={setPeriod} choices={periodChoices} />
            <ChoiceFilter
              label={t('analytics.filters.interval')}
              value={interval}
              onChange={setInterval}
              choices={INTERVALS.map((value) => ({ value, label: t(`analytics.intervals.${value}`) }))}
            />
            <SegmentFilter value={segment} onChange={setSegment} />
          </>
        }
      >
        {(data) => {
          const band = confidenceBand(data.series);
          return (
            <Chart
              title={t('analytics.nps.trend')}
              option={{
                tooltip: {
                  trigger: 'axis',
                  formatter: (items: { dataIndex: number }[]) => {
                    const point = data.series[items[0]?.dataIndex ?? 0];
                    if (!point) return '';
                    const lines = [
                      `<b>${band.labels[items[0]?.dataIndex ?? 0] ?? ''}</b>`,
                      `NPS: ${point.nps === null ? t('common.none') : format.number(point.nps, 1)} (n = ${format.number(point.n)})`,
                    ];
                    if (point.ci_low !== null && point.ci_high !== null)
                      lines.push(`${bandName}: ${format.number(point.ci_low, 1)} … ${format.number(point.ci_high, 1)}`);
                    if (point.change !== null)
                      lines.push(
                        `${t('analytics.nps.change')}: ${point.change > 0 ? '+' : ''}${format.number(point.change, 1)}${point.significant ? ` — ${changeName}` : ''}`,
                      );
                    return lines.join('<br/>');
                  },
                },
                legend: { data: ['NPS', bandName, changeName], bottom: 0 },
                grid: { left: 50, right: 20, top: 20, bottom: 50 },
                xAxis: { type: 'category', data: band.labels, boundaryGap: false },
                yAxis: { type: 'value', min: -100, max: 100 },
                series: [
                  { name: 'lower', type: 'line', stack: 'band', stackStrategy: 'all', data: band.lower, lineStyle: { opacity: 0 }, symbol: 'none', silent: true, tooltip: { show: false } },
                  {
                    name: bandName,
                    type: 'line',
                    stack: 'band',
                    // Stacked on the lower bound even where it is negative (the default stacks
                    // only values of the same sign, which lost the band below zero).
                    stackStrategy: 'all',
                    data: band.width,
                    lineStyle: { opacity: 0 },
                    symbol: 'none',
                    areaStyle: { color: 'rgba(112, 72, 232, 0.18)' },
                    itemStyle: { color: 'rgba(112, 72, 232, 0.3)' },
                    silent: true,
                  },
                  { name: 'NPS', type: 'line', data: band.nps, connectNulls: true, itemStyle: { color: '#7048e8' }, z: 3 },
                  {
                    name: changeName,
                    type: 'scatter',
                    data: band.significant.map((point) => [point.label, point.nps]),
                    symbol: 'diamond',
                    symbolSize: 14,
                    itemStyle: { color: '#f76707' },
                    z: 4,
                  },
                ],
              }}
              table={{
                columns: [t('analytics.nps.period'), 'NPS', bandName, 'n', t('analytics.nps.change')],
                rows: data.series.map((point, index) => [
                  band.labels[index] ?? '',
                  point.nps === null ? t('common.none') : format.number(point.nps, 1),
                  point.ci_low === null || point.ci_high === null
                    ? t('common.none')
                    : `${format.number(point.ci_low, 1)} … ${format.number(point.ci_high, 1)}`,
                  format.number(point.n),
                  point.change === null
                    ? t('common.none')
                    : `${format.number(point.change, 1)}${point.significant ? ` (${changeName})` : ''}`,
                ]),
              }}
            />
          );
        }}
      </ChartCard>
      <ChartCard
        title={t('analytics.drivers.title')}
        description={t('analytics.drivers.text')}
        query={drivers}
        isEmpty={(data) => data.promoters === 0 || data.others === 0}
        emptyText={t('analytics.drivers.empty')}
        filters={<ChoiceFilter label={t('analytics.filters.period')} value={driverPeriod} onChange={setDriverPeriod} choices={periodChoices} />}
      >
        {(data) => {
          const bars = driverBars(data.drivers);
          const names = bars.attributes.map((attribute) => t(`analytics.drivers.attributes.${attribute}`, { defaultValue: attribute }));
          const unit = (index: number) => (bars.kinds[index] === 'share' ? t('analytics.drivers.points') : '');
          return (
            <Chart
              title={t('analytics.drivers.title')}
              height={Math.max(240, 40 * names.length + 60)}
              option={{
                tooltip: {
                  trigger: 'item',
                  formatter: (item: { dataIndex: number }) => {
                    const interval = bars.intervals[item.dataIndex];
                    if (!interval) return '';
                    return [
                      `<b>${names[item.dataIndex] ?? ''}</b>`,
                      `${t('analytics.drivers.difference')}: ${format.number(bars.difference[item.dataIndex] ?? 0, 2)} ${unit(item.dataIndex)}`,
                      `95 %: ${format.number(interval[1], 2)} … ${format.number(interval[2], 2)}`,
                      interval[3] ? t('analytics.drivers.significant') : t('analytics.drivers.noise'),
                    ].join('<br/>');
                  },
                },
                grid: { left: 190, right: 30, top: 10, bottom: 30 },
                yAxis: { type: 'category', data: names, inverse: true },
                xAxis: { type: 'value', name: t('analytics.drivers.difference'), nameLocation: 'middle', nameGap: 25 },
                series: [
                  {
                    type: 'bar',
                    data: bars.difference.map((value, index) => ({
                      value,
                      itemStyle: { color: bars.intervals[index]?.[3] ? '#0ca678' : '#ced4da' },
                    })),
                    barWidth: 14,
                    markLine: { silent: true, symbol: 'none', data: [{ xAxis: 0 }], lineStyle: { color: '#495057' } },
                  },
                  {
                    type: 'custom',
                    data: bars.intervals,
                    renderItem: (_params: unknown, api: CustomParams) => {
                      const index = api.value(0);
                      const low = api.coord([api.value(1), index]);
                      const high = api.coord([api.value(2), index]);
                      const style = api.style({ stroke: '#343a40', lineWidth: 1.5 });
                      return {
                        type: 'group',
                        children: [
                          { type: 'line', shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style },
                          { type: 'line', shape: { x1: low[0], y1: low[1] - 6, x2: low[0], y2: low[1] + 6 }, style },
                          { type: 'line', shape: { x1: high[0], y1: high[1] - 6, x2: high[0], y2: high[1] + 6 }, style },
                        ],
                      };
                    },
                    encode: { x: [1, 2], y: 0 },
                    z: 3,
                  },
                ],
              }}
              table={{
                columns: [t('analytics.drivers.attribute'), t('analytics.drivers.difference'), '95 %', t('analytics.drivers.significant')],
                rows: bars.attributes.map((_, index) => [
                  names[index] ?? '',
                  format.number(bars.difference[index] ?? 0),
                  `${format.number(bars.intervals[index]?.[1] ?? 0)} … ${format.number(bars.intervals[index]?.[2] ?? 0)}`,
                  bars.intervals[index]?.[3] ? '✓' : '—',
                ]),
              }}
            />
          );
        }}
      </ChartCard>
    </AnalyticsPage>
  );
}
