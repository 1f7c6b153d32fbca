import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { analyticsGetPromoterDriversOptions, responsesNpsOptions } from '@/client/@tanstack/react-query.gen';
import { useFormatters } from '@/i18n/useFormatters';

import { NPS_INTERVALS, NPS_MONTHS, type NpsSearch } from '../utils/analyticsSearch';
import { confidenceBand, driverBars, type DriverUnit } from '../utils/chartData';
import { monthsAgo } from '../utils/periods';
import { AnalyticsPage } from './AnalyticsPage';
import { Chart } from './Chart';
import { ChartCard } from './ChartCard';
import { ChoiceFilter, SegmentFilter } from './Filters';

const route = getRouteApi('/_app/analytics/nps');
// Pixels per driver bar, and below each grid for its value axis and the axis name.
const DRIVER_ROW = 34;
const DRIVER_AXIS = 56;

type CustomParams = {
  coord: (point: [number, number]) => [number, number];
  value: (dimension: number) => number;
  style: (extra: Record<string, unknown>) => Record<string, unknown>;
};

/** NPS over time with its 95 % band and significant changes (A4), and what sets promoters apart (A5). */
export function NpsPage() {
  const { t } = useTranslation();
  const format = useFormatters();
  const { months = 12, interval = 'month', driverMonths = 12, segment } = route.useSearch();
  const navigate = route.useNavigate();
  const filter = (patch: Partial<NpsSearch>) => void navigate({ search: (previous) => ({ ...previous, ...patch }) });
  const ofSegment = segment ? { segment_id: segment } : {};
  const nps = useQuery(responsesNpsOptions({ query: { interval, from: monthsAgo(months), ...ofSegment } }));
  const drivers = useQuery(
    analyticsGetPromoterDriversOptions({ query: { since: monthsAgo(driverMonths), ...ofSegment } }),
  );
  const periodChoices = NPS_MONTHS.map((value) => ({ value, label: t('analytics.filters.months', { count: value }) }));
  const bandName = t('analytics.nps.band');
  const changeName = t('analytics.nps.significant');

  return (
    <AnalyticsPage
      title={t('analytics.nps.title')}
      intro={t('analytics.nps.intro')}
      filters={<SegmentFilter value={segment} onChange={(next) => { filter({ segment: next }); }} />}
    >
      <ChartCard
        title={t('analytics.nps.trend')}
        description={t('analytics.nps.trendText')}
        query={nps}
        isEmpty={(data) => data.overall.n === 0}
        emptyText={t('analytics.nps.noResponses')}
        filters={
          <>
            <ChoiceFilter
              label={t('analytics.filters.period')}
              value={months}
              onChange={(next) => { filter({ months: next }); }}
              choices={periodChoices}
            />
            <ChoiceFilter
              label={t('analytics.filters.interval')}
              value={interval}
              onChange={(next) => { filter({ interval: next }); }}
              choices={NPS_INTERVALS.map((value) => ({ value, label: t(`analytics.intervals.${value}`) }))}
            />
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
        filters={
          <ChoiceFilter
            label={t('analytics.filters.period')}
            value={driverMonths}
            onChange={(next) => { filter({ driverMonths: next }); }}
            choices={periodChoices}
          />
        }
      >
        {(data) => {
          const groups = driverBars(data.drivers);
          const nameOf = (attribute: string) => t(`analytics.drivers.attributes.${attribute}`, { defaultValue: attribute });
          const unitName = (unit: DriverUnit) => t(`analytics.drivers.units.${unit}`);
          const amount = (unit: DriverUnit, value: number) =>
            unit === 'money' ? format.money(value, null) : `${format.number(value, 2)}${unit === 'points' ? ` ${t('analytics.drivers.points')}` : ''}`;
          // One grid per unit, stacked: each its own value axis, sized by its bars.
          const grids: { top: number; height: number }[] = [];
          let top = 10;
          for (const group of groups) {
            grids.push({ top, height: DRIVER_ROW * group.attributes.length });
            top += DRIVER_ROW * group.attributes.length + DRIVER_AXIS;
          }
          return (
            <Chart
              title={t('analytics.drivers.title')}
              height={top}
              option={{
                tooltip: {
                  trigger: 'item',
                  formatter: (item: { seriesIndex: number; dataIndex: number }) => {
                    const group = groups[Math.floor(item.seriesIndex / 2)];
                    const interval = group?.intervals[item.dataIndex];
                    if (!group || !interval) return '';
                    return [
                      `<b>${nameOf(group.attributes[item.dataIndex] ?? '')}</b>`,
                      `${t('analytics.drivers.difference')}: ${amount(group.unit, group.difference[item.dataIndex] ?? 0)}`,
                      `95 %: ${amount(group.unit, interval[1])} … ${amount(group.unit, interval[2])}`,
                      interval[3] ? t('analytics.drivers.significant') : t('analytics.drivers.noise'),
                    ].join('<br/>');
                  },
                },
                grid: grids.map((grid) => ({ left: 190, right: 30, ...grid })),
                yAxis: groups.map((group, index) => ({
                  type: 'category',
                  gridIndex: index,
                  data: group.attributes.map(nameOf),
                  inverse: true,
                })),
                xAxis: groups.map((group, index) => ({
                  type: 'value',
                  gridIndex: index,
                  name: unitName(group.unit),
                  nameLocation: 'middle',
                  nameGap: 25,
                  axisLabel: { formatter: (value: number) => format.number(value, 0) },
                })),
                series: groups.flatMap((group, index) => [
                  {
                    type: 'bar',
                    xAxisIndex: index,
                    yAxisIndex: index,
                    data: group.difference.map((value, row) => ({
                      value,
                      itemStyle: { color: group.intervals[row]?.[3] ? '#0ca678' : '#ced4da' },
                    })),
                    barWidth: 14,
                    markLine: { silent: true, symbol: 'none', data: [{ xAxis: 0 }], lineStyle: { color: '#495057' } },
                  },
                  {
                    type: 'custom',
                    xAxisIndex: index,
                    yAxisIndex: index,
                    data: group.intervals,
                    renderItem: (_params: unknown, api: CustomParams) => {
                      const row = api.value(0);
                      const low = api.coord([api.value(1), row]);
                      const high = api.coord([api.value(2), row]);
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
                ]),
              }}
              table={{
                columns: [
                  t('analytics.drivers.attribute'),
                  t('analytics.drivers.difference'),
                  '95 %',
                  t('analytics.drivers.unit'),
                  t('analytics.drivers.significant'),
                ],
                rows: groups.flatMap((group) =>
                  group.attributes.map((attribute, row) => [
                    nameOf(attribute),
                    format.number(group.difference[row] ?? 0),
                    `${format.number(group.intervals[row]?.[1] ?? 0)} … ${format.number(group.intervals[row]?.[2] ?? 0)}`,
                    unitName(group.unit),
                    group.intervals[row]?.[3] ? '✓' : '—',
                  ]),
                ),
              }}
            />
          );
        }}
      </ChartCard>
    </AnalyticsPage>
  );
}
