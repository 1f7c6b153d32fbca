import type {
  AbcPareto,
  AbcSplit,
  ChurnReasons,
  ClvDistribution,
  Cohorts,
  Driver,
  PeriodRead,
  ProductMargin,
} from '@/client';

/** The x-axis label of a period: its start date (YYYY-MM-DD), what the API keys periods by. */
export function periodLabel(iso: string): string {
  return iso.slice(0, 10);
}

export type ConfidenceBand = {
  labels: string[];
  nps: (number | null)[];
  /** The band as a stacked area: an invisible base at ci_low and the width above it. */
  lower: (number | null)[];
  width: (number | null)[];
  /** The periods whose change from the one before is significant, where to mark them. */
  significant: { label: string; nps: number; change: number }[];
};

/** NPS per period with its 95 % interval drawn as a band, the significant changes picked out. */
export function confidenceBand(series: PeriodRead[]): ConfidenceBand {
  const labels = series.map((period) => periodLabel(period.period_start));
  return {
    labels,
    nps: series.map((period) => period.nps),
    lower: series.map((period) => period.ci_low),
    width: series.map((period) =>
      period.ci_low === null || period.ci_high === null ? null : round(period.ci_high - period.ci_low, 1),
    ),
    significant: series.flatMap((period, index) =>
      period.significant && period.nps !== null && period.change !== null
        ? [{ label: labels[index] ?? '', nps: period.nps, change: period.change }]
        : [],
    ),
  };
}

export type ParetoSeries = {
  /** The slice's end as a share of the customers, in % ("Top 10 %"). */
  labels: string[];
  /** Each slice's share of the total value, in %. */
  bars: number[];
  /** The running share of the total value, in %. */
  cumulative: number[];
  /** Where the cumulative line crosses into the next class: A's share, then A's + B's, in %. */
  thresholds: { abcClass: string; percent: number }[];
};

/** Bars (value per slice of customers ranked by value) and the cumulative line, with the
 * ABC class boundaries as the percent of total value they end at. */
export function paretoSeries(pareto: AbcPareto, split: AbcSplit): ParetoSeries {
  let running = 0;
  const thresholds: ParetoSeries['thresholds'] = [];
  for (const abcClass of ['A', 'B']) {
    running += Number(split.thresholds[abcClass] ?? 0);
    thresholds.push({ abcClass, percent: running });
  }
  return {
    labels: pareto.buckets.map((bucket) => `${String(Math.round(bucket.customer_share * 100))} %`),
    bars: pareto.buckets.map((bucket) => round(bucket.value_share * 100, 1)),
    cumulative: pareto.buckets.map((bucket) => round(bucket.cumulative_share * 100, 1)),
    thresholds,
  };
}

export type Heatmap = {
  /** Cohorts (acquisition months), oldest first: the y axis. */
  rows: string[];
  /** Months since acquisition: the x axis. */
  columns: number[];
  /** [column, row, retention in %, active customers]; cells a cohort has not reached yet are absent. */
  cells: [number, number, number, number][];
};

/** The cohort matrix as heat-map cells; a cohort with no customers has no retention to show. */
export function cohortHeatmap(cohorts: Cohorts): Heatmap {
  const cells: Heatmap['cells'] = [];
  cohorts.cohorts.forEach((row, y) => {
    row.retention.forEach((retention, x) => {
      if (retention !== null) cells.push([x, y, round(retention * 100, 1), row.active[x] ?? 0]);
    });
  });
  return { rows: cohorts.cohorts.map((row) => periodLabel(row.cohort)), columns: cohorts.months_since, cells };
}

export type StackedSeries = { labels: string[]; series: { key: string; counts: number[] }[]; totals: number[] };

/** Churns per period stacked by reason; reasons never given in the window are left out. */
export function churnStack(reasons: ChurnReasons): StackedSeries {
  return {
    labels: reasons.periods.map(periodLabel),
    series: reasons.series.filter((series) => series.total > 0).map((series) => ({ key: series.reason, counts: series.counts })),
    totals: reasons.totals,
  };
}

/** What a driver's difference is measured in: percentage points, money, or counts and years. */
export type DriverUnit = 'points' | 'money' | 'count';

export type DriverBars = {
  unit: DriverUnit;
  attributes: string[];
  difference: number[];
  /** [index, ci_low, ci_high, significant 1/0] for the interval whiskers. */
  intervals: [number, number, number, number][];
};

const DRIVER_UNITS: DriverUnit[] = ['points', 'count', 'money'];
// The one mean in money; the other means count things (orders, tickets …) or years.
const MONEY_DRIVERS = new Set(['service_cost']);

function driverUnit(driver: Driver): DriverUnit {
  if (driver.kind === 'share') return 'points';
  return MONEY_DRIVERS.has(driver.attribute) ? 'money' : 'count';
}

/** Promoter drivers with a difference to show, one group per unit (each its own axis): shares
 * in percentage points, means as they are; within a group in the API's order (strongest first). */
export function driverBars(drivers: Driver[]): DriverBars[] {
  const shown = drivers.filter((driver) => driver.difference !== null);
  return DRIVER_UNITS.map((unit) => {
    const members = shown.filter((driver) => driverUnit(driver) === unit);
    const scale = (value: number | null) => round((value ?? 0) * (unit === 'points' ? 100 : 1), 2);
    return {
      unit,
      attributes: members.map((driver) => driver.attribute),
      difference: members.map((driver) => scale(driver.difference)),
      intervals: members.map((driver, index): [number, number, number, number] => [
        index,
        scale(driver.ci_low ?? driver.difference),
        scale(driver.ci_high ?? driver.difference),
        driver.significant ? 1 : 0,
      ]),
    };
  }).filter((group) => group.attributes.length > 0);
}

export type MarginBars = { products: string[]; percent: (number | null)[]; flagged: boolean[]; revenue: number[] };

/** What a user calls a product: its name, or its SKU until analytics has learned the name. */
export function productLabel(product: { sku: string; product_name?: string | null }): string {
  return product.product_name ?? product.sku;
}

/** Margin % per product (highest revenue first, as the API sorts), the candidates to drop flagged. */
export function marginBars(products: ProductMargin[]): MarginBars {
  return {
    products: products.map(productLabel),
    percent: products.map((product) => product.margin_percent),
    flagged: products.map((product) => product.candidate_to_drop),
    revenue: products.map((product) => Number(product.revenue)),
  };
}

export type Histogram = { labels: string[]; counts: number[] };

/** CLV bins (round edges on a log scale) as bars labelled by their range, in the run's currency. */
export function clvHistogram(distribution: ClvDistribution, formatMoney: (value: number, currency: string) => string): Histogram {
  const edge = (value: string) => formatMoney(Number(value), distribution.currency);
  return {
    labels: distribution.bins.map((bin) => `${edge(bin.low)}–${edge(bin.high)}`),
    counts: distribution.bins.map((bin) => bin.customers),
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
