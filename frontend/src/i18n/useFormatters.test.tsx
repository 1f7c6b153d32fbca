import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';

import { i18n } from './i18n';
import { useFormatters } from './useFormatters';

function wrapper({ children }: { children: ReactNode }) {
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
}

describe('useFormatters', () => {
  it('formats in the chosen language and follows the switch', async () => {
    await act(() => i18n.changeLanguage('de'));
    const { result } = renderHook(() => useFormatters(), { wrapper });
    expect(result.current.money('1234.5', 'EUR')).toMatch(/^1\.234,50\s€$/);
    expect(result.current.date('2026-03-01T12:00:00Z')).toBe('01.03.2026');

    await act(() => i18n.changeLanguage('en'));
    expect(result.current.money('1234.5', 'EUR')).toBe('€1,234.50');
    expect(result.current.percent(0.5)).toBe('50%');
  });

  it('shows a date-only value as that day also west of UTC', async () => {
    await act(() => i18n.changeLanguage('en'));
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const { result } = renderHook(() => useFormatters(), { wrapper });
      expect(result.current.date('2027-01-31')).toBe('Jan 31, 2027');
      expect(result.current.date('2027-01-31T02:00:00Z')).toBe('Jan 30, 2027');
    } finally {
      process.env.TZ = zone;
    }
  });

  it('formats money in the currency it is in, in the user\'s locale, also compact', async () => {
    await act(() => i18n.changeLanguage('en'));
    const { result } = renderHook(() => useFormatters(), { wrapper });
    expect(result.current.money('99.5', 'USD')).toBe('$99.50');
    expect(result.current.money('1234.5', null)).toBe('1,234.50');
    expect(result.current.moneyCompact('1500', 'EUR')).toBe('€1.5K');
    expect(result.current.moneyCompact('7000000', 'USD')).toBe('$7M');
    expect(result.current.moneyCompact('200', null)).toBe('200');

    await act(() => i18n.changeLanguage('de'));
    expect(result.current.money('99.5', 'USD')).toMatch(/^99,50\s\$$/);
    expect(result.current.moneyCompact('7000000', 'EUR')).toMatch(/^7\sMio\.\s€$/);
    expect(result.current.moneyCompact('x', 'EUR')).toBe('—');
  });

  it('shows a dash instead of NaN or a crash for values that are not there', async () => {
    await act(() => i18n.changeLanguage('de'));
    const { result } = renderHook(() => useFormatters(), { wrapper });
    expect(result.current.money(undefined as unknown as string, 'EUR')).toBe('—');
    expect(result.current.number('abc')).toBe('—');
    expect(result.current.date('not a date')).toBe('—');
  });
});
