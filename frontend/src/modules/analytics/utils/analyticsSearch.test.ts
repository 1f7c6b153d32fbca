import { describe, expect, it } from 'vitest';

import { parseDashboardSearch, parseMarginsSearch, parseNpsSearch, parseValueSearch } from './analyticsSearch';

const SEGMENT = '7f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

describe('analytics search params', () => {
  it('keeps the choices a page offers', () => {
    expect(parseNpsSearch({ months: 6, interval: 'week', driverMonths: 24, segment: SEGMENT })).toEqual({
      months: 6,
      interval: 'week',
      driverMonths: 24,
      segment: SEGMENT,
    });
    expect(parseValueSearch({ abc: 'B', slices: 50 })).toEqual({ abc: 'B', slices: 50 });
    expect(parseDashboardSearch({ asOf: 12, segment: SEGMENT })).toEqual({ asOf: 12, segment: SEGMENT });
  });

  it('drops what is not a choice, so the page falls back to its default', () => {
    expect(parseNpsSearch({ months: 7, interval: 'year', segment: 'champions' })).toEqual({});
    expect(parseMarginsSearch({ months: '12', threshold: 25, segment: `${SEGMENT}x` })).toEqual({});
    expect(parseDashboardSearch({ asOf: 5, segment: 'champions' })).toEqual({});
  });
});
