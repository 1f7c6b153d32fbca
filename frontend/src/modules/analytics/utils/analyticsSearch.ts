import type { Interval } from '@/client';

// The analytics pages keep their filters in the URL: a reload, the back button and a shared
// link show the same figures. Whatever the URL holds that is not a choice falls back to the
// page's default (the key is dropped), never to a request the API would refuse.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One of a filter's choices, else nothing. */
export function oneOf<T extends string | number>(choices: readonly T[], value: unknown): T | undefined {
  return choices.find((choice) => choice === value);
}

/** A saved segment's id, else nothing. */
export function segmentOf(value: unknown): string | undefined {
  return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined;
}

function defined<T extends Record<string, unknown>>(search: T): T {
  return Object.fromEntries(Object.entries(search).filter(([, value]) => value !== undefined)) as T;
}

/** Months back a period reaches, months ago a report stands, slices, thresholds … */
export const NPS_MONTHS = [3, 6, 12, 24] as const;
export const NPS_INTERVALS = ['week', 'month', 'quarter'] as const satisfies readonly Interval[];
export const AS_OF_MONTHS = [3, 6, 12] as const;
export const ABC_CLASSES = ['A', 'B', 'C'] as const;
export const PARETO_SLICES = [10, 20, 50] as const;
export const COHORT_MONTHS = [6, 12, 24] as const;
export const CHURN_INTERVALS = ['month', 'quarter', 'year'] as const;
export const MARGIN_MONTHS = [3, 6, 12, 24] as const;
export const MARGIN_THRESHOLDS = [10, 20, 30] as const;

export type DashboardSearch = { asOf?: (typeof AS_OF_MONTHS)[number]; segment?: string };
export type NpsSearch = {
  months?: (typeof NPS_MONTHS)[number];
  interval?: (typeof NPS_INTERVALS)[number];
  driverMonths?: (typeof NPS_MONTHS)[number];
  segment?: string;
};
export type ValueSearch = {
  abc?: (typeof ABC_CLASSES)[number];
  slices?: (typeof PARETO_SLICES)[number];
  segment?: string;
};
export type RetentionSearch = {
  months?: (typeof COHORT_MONTHS)[number];
  interval?: (typeof CHURN_INTERVALS)[number];
  segment?: string;
};
export type MarginsSearch = {
  months?: (typeof MARGIN_MONTHS)[number];
  threshold?: (typeof MARGIN_THRESHOLDS)[number];
  segment?: string;
};

export function parseDashboardSearch(search: Record<string, unknown>): DashboardSearch {
  return defined({ asOf: oneOf(AS_OF_MONTHS, search.asOf), segment: segmentOf(search.segment) });
}

export function parseNpsSearch(search: Record<string, unknown>): NpsSearch {
  return defined({
    months: oneOf(NPS_MONTHS, search.months),
    interval: oneOf(NPS_INTERVALS, search.interval),
    driverMonths: oneOf(NPS_MONTHS, search.driverMonths),
    segment: segmentOf(search.segment),
  });
}

export function parseValueSearch(search: Record<string, unknown>): ValueSearch {
  return defined({
    abc: oneOf(ABC_CLASSES, search.abc),
    slices: oneOf(PARETO_SLICES, search.slices),
    segment: segmentOf(search.segment),
  });
}

export function parseRetentionSearch(search: Record<string, unknown>): RetentionSearch {
  return defined({
    months: oneOf(COHORT_MONTHS, search.months),
    interval: oneOf(CHURN_INTERVALS, search.interval),
    segment: segmentOf(search.segment),
  });
}

export function parseMarginsSearch(search: Record<string, unknown>): MarginsSearch {
  return defined({
    months: oneOf(MARGIN_MONTHS, search.months),
    threshold: oneOf(MARGIN_THRESHOLDS, search.threshold),
    segment: segmentOf(search.segment),
  });
}
