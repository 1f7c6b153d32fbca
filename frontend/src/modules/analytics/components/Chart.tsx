import { Table, VisuallyHidden } from '@mantine/core';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo } from 'react';

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

/** An ECharts chart with its data as a visually hidden table. */
export function Chart({ title, option, table, height = 320 }: ChartProps) {
  const full = useMemo(() => ({ animation: ANIMATE, ...option }), [option]);
  return (
    <figure aria-label={title} data-points={table.rows.length} style={{ margin: 0 }}>
      <ReactEChartsCore echarts={echarts} option={full} notMerge style={{ height, width: '100%' }} />
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
