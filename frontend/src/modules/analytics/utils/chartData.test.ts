import { describe, expect, it } from 'vitest';

import type { AbcPareto, AbcSplit, ChurnReasons, Cohorts, Driver, PeriodRead, ProductMargin } from '@/client';

import { churnStack, clvHistogram, cohortHeatmap, confidenceBand, driverBars, marginBars, paretoSeries } from './chartData';

const period = (start: string, nps: number | null, ci: [number, number] | null, change: number | null, significant = false): PeriodRead => ({
  period_start: `${start}T00:00:00Z`,
  nps,
  n: 10,
  ci_low: ci?.[0] ?? null,
  ci_high: ci?.[1] ?? null,
  change,
  p_value: significant ? 0.01 : 0.5,
  significant,
});

describe('confidenceBand', () => {
  it('stacks the width on the lower bound and marks only significant changes', () => {
    const band = confidenceBand([
      period('2026-09-01', 20, [5, 35], null),
      period('2026-10-01', null, null, null),
      period('2026-11-01', 45.5, [30.2, 60.9], 25.5, true),
    ]);
    expect(band.labels).toEqual(['2026-09-01', '2026-10-01', '2026-11-01']);
    expect(band.lower).toEqual([5, null, 30.2]);
    expect(band.width).toEqual([30, null, 30.7]);
    expect(band.nps).toEqual([20, null, 45.5]);
    expect(band.significant).toEqual([{ label: '2026-11-01', nps: 45.5, change: 25.5 }]);
  });
});

describe('paretoSeries', () => {
  it('turns shares into percent and the class thresholds into cumulative boundaries', () => {
    const pareto: AbcPareto = {
      customers: 4,
      total_value: '100',
      buckets: [
        { customers: 2, customer_share: 0.5, value: '90', value_share: 0.9, cumulative_share: 0.9 },
        { customers: 2, customer_share: 1, value: '10', value_share: 0.1, cumulative_share: 1 },
      ],
    };
    const split: AbcSplit = { thresholds: { A: '80', B: '15', C: '5' }, classes: [] };
    expect(paretoSeries(pareto, split)).toEqual({
      labels: ['50 %', '100 %'],
      bars: [90, 10],
      cumulative: [90, 100],
      thresholds: [
        { abcClass: 'A', percent: 80 },
        { abcClass: 'B', percent: 95 },
      ],
    });
  });
});

describe('cohortHeatmap', () => {
  it('places each reached cell at [month since, cohort] and skips empty cohorts', () => {
    const cohorts: Cohorts = {
      since: '2026-09-01T00:00:00Z',
      until: '2026-11-27T00:00:00Z',
      currency: 'EUR',
      left_out: { orders: 0, currencies: [] },
      months_since: [0, 1, 2],
      cohorts: [
        { cohort: '2026-09-01', customers: 4, active: [4, 1, 2], retention: [1, 0.25, 0.5], revenue: ['1', '1', '1'] },
        { cohort: '2026-10-01', customers: 0, active: [0, 0], retention: [null, null], revenue: ['0', '0'] },
        { cohort: '2026-11-01', customers: 3, active: [3], retention: [1], revenue: ['1'] },
      ],
    };
    expect(cohortHeatmap(cohorts)).toEqual({
      rows: ['2026-09-01', '2026-10-01', '2026-11-01'],
      columns: [0, 1, 2],
      cells: [
        [0, 0, 100, 4],
        [1, 0, 25, 1],
        [2, 0, 50, 2],
        [0, 2, 100, 3],
      ],
    });
  });
});

describe('churnStack', () => {
  it('keeps the reasons given in the window, aligned with the periods', () => {
    const reasons: ChurnReasons = {
      interval: 'quarter',
      segment_id: null,
      since: '2026-01-01T00:00:00Z',
      until: '2026-11-27T00:00:00Z',
      periods: ['2026-01-01', '2026-04-01'],
      reasons: ['price', 'service'],
      series: [
        { reason: 'price', counts: [2, 1], total: 3 },
        { reason: 'service', counts: [0, 0], total: 0 },
      ],
      totals: [2, 1],
      by_abc_class: [],
    };
    expect(churnStack(reasons)).toEqual({
      labels: ['2026-01-01', '2026-04-01'],
      series: [{ key: 'price', counts: [2, 1] }],
      totals: [2, 1],
    });
  });
});

describe('driverBars', () => {
  it('groups the drivers by unit: shares in percentage points, counts, money; drops drivers without data', () => {
    const drivers: Driver[] = [
      { attribute: 'service_cost', kind: 'mean', promoters: 120, others: 300, difference: -180, ci_low: -250, ci_high: -110, significant: true },
      { attribute: 'abc_a', kind: 'share', promoters: 0.5, others: 0.2, difference: 0.3, ci_low: 0.1, ci_high: 0.5, significant: true },
      { attribute: 'orders', kind: 'mean', promoters: 4, others: 3.5, difference: 0.5, ci_low: -0.25, ci_high: 1.25, significant: false },
      { attribute: 'tickets', kind: 'mean', promoters: null, others: null, difference: null, ci_low: null, ci_high: null, significant: false },
      { attribute: 'under_contract', kind: 'share', promoters: 0.4, others: 0.35, difference: 0.05, ci_low: -0.1, ci_high: 0.2, significant: false },
    ];
    expect(driverBars(drivers)).toEqual([
      {
        unit: 'points',
        attributes: ['abc_a', 'under_contract'],
        difference: [30, 5],
        intervals: [
          [0, 10, 50, 1],
          [1, -10, 20, 0],
        ],
      },
      { unit: 'count', attributes: ['orders'], difference: [0.5], intervals: [[0, -0.25, 1.25, 0]] },
      { unit: 'money', attributes: ['service_cost'], difference: [-180], intervals: [[0, -250, -110, 1]] },
    ]);
  });
});

describe('marginBars', () => {
  it('keeps the order and flags the candidates to drop', () => {
    const product = (sku: string, percent: number | null, flagged: boolean, name: string | null = null) =>
      ({ sku, product_name: name, margin_percent: percent, candidate_to_drop: flagged, revenue: '100.50' }) as ProductMargin;
    // By name; by SKU until analytics has learned the product's name.
    expect(marginBars([product('A-1', 42, false, 'Fräse'), product('B-2', 12.5, true), product('C-3', null, false)])).toEqual({
      products: ['Fräse', 'B-2', 'C-3'],
      percent: [42, 12.5, null],
      flagged: [false, true, false],
      revenue: [100.5, 100.5, 100.5],
    });
  });
});

describe('clvHistogram', () => {
  it('labels each bin by its range in the currency of the run', () => {
    const histogram = clvHistogram(
      {
        abc_class: null,
        currency: 'USD',
        customers: 3,
        left_out_customers: 0,
        left_out_currencies: [],
        median: '10',
        mean: '10',
        bins: [
          { low: '1000.00', high: '2000.00', customers: 2 },
          { low: '2000.00', high: '5000.00', customers: 1 },
        ],
      },
      (value, currency) => new Intl.NumberFormat('en', { style: 'currency', currency, notation: 'compact' }).format(value),
    );
    expect(histogram).toEqual({ labels: ['$1K–$2K', '$2K–$5K'], counts: [2, 1] });
  });
});
