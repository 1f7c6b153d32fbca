import { Table, VisuallyHidden } from '@mantine/core';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { type ChartOption, echarts } from '../utils/echarts';

export type ChartTable = {
  columns: string[];
  rows: (string | number)[][];
};

export type ChartProps = {
  /** Names the figure and its data table for assistive technology (and the browser tests). */
  title: string;
  option: ChartOption;
  /** The chart's data as a table: what a screen reader reads instead of the canvas. */
  table: ChartTable;
  height?: number;
};

// Browser tests (navigator.webdriver) read settled charts; everyone else gets the transitions.
const ANIMATE = typeof navigator === 'undefined' || !navigator.webdriver;

function named(value: unknown): string[] {
  const items: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.flatMap((item) => {
    if (typeof item === 'string') return [item];
    const name = (item as { name?: unknown } | null)?.name;
    return typeof name === 'string' && name !== '' ? [name] : [];
  });
}

/** What the canvas writes besides the data: the axes' names and the legend's entries. */
export function chartLabels(option: ChartOption): { axes: string[]; legend: string[] } {
  const legends: unknown[] = Array.isArray(option.legend) ? option.legend : [option.legend];
  return {
    axes: [...named(option.xAxis), ...named(option.yAxis)],
    legend: legends.flatMap((legend) => named((legend as { data?: unknown } | undefined)?.data)),
  };
}

/** An ECharts chart with its data as a visually hidden table. */
export function Chart({ title, option, table, height = 320 }: ChartProps) {
  const { t } = useTranslation();
  const full = useMemo(() => ({ animation: ANIMATE, ...option }), [option]);
  const labels = chartLabels(option);
  return (
    <figure aria-label={title} data-points={table.rows.length} style={{ margin: 0 }}>
      <ReactEChartsCore echarts={echarts} option={full} notMerge style={{ height, width: '100%' }} />
      <VisuallyHidden component="figcaption">
        {[
          title,
          labels.axes.length > 0 ? `${t('analytics.chart.axes')}: ${labels.axes.join('; ')}` : '',
          labels.legend.length > 0 ? `${t('analytics.chart.legend')}: ${labels.legend.join('; ')}` : '',
        ]
          .filter(Boolean)
          .join('. ')}
      </VisuallyHidden>
      <VisuallyHidden>
        <Table aria-label={title}>
          <Table.Thead>
            <Table.Tr>
              {table.columns.map((column) => (
                <Table.Th key={column}>{column}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {table.rows.map((row, index) => (
              <Table.Tr key={index}>
                {row.map((cell, column) => (
                  <Table.Td key={table.columns[column] ?? column}>{cell}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </VisuallyHidden>
    </figure>
  );
}
