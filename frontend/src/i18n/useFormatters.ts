import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

export type Formatters = {
  date: (iso: string) => string;
  dateTime: (iso: string) => string;
  number: (value: number | string, maximumFractionDigits?: number) => string;
  /** In the currency's style (€1,234.50, 1.234,50 €); without a currency a plain amount. */
  money: (value: number | string, currency: string | null) => string;
  /** Short, for chart axes and bin edges: €1.5K, 2 Mio. €. */
  moneyCompact: (value: number | string, currency: string | null) => string;
  percent: (value: number) => string;
};

/** The browser's own locale when it speaks the chosen language (de-AT, en-GB …), else the language itself. */
function localeFor(language: string): string {
  const browser = navigator.languages.find((tag) => tag.toLowerCase().split('-')[0] === language);
  return browser ?? language;
}

// What a value that is no number shows (a service older than its contract omitting a field), not NaN.
const NOT_A_NUMBER = '—';

function numeric(value: unknown): number | undefined {
  const number = typeof value === 'number' || typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A day (`2027-01-31`: a contract's end) is that day everywhere; `new Date` would read it as
 * UTC midnight, the day before west of UTC. A moment is shown in the user's time zone. */
function parse(iso: string): Date {
  const day = DATE_ONLY.exec(iso);
  return day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : new Date(iso);
}

function formatDate(format: Intl.DateTimeFormat, iso: string): string {
  const date = parse(iso);
  // Intl throws on an invalid date; a bad value must not take the page down.
  return Number.isNaN(date.getTime()) ? NOT_A_NUMBER : format.format(date);
}

/** Dates and numbers in the user's locale (F6); follows the language switch. */
export function useFormatters(): Formatters {
  const { i18n } = useTranslation();
  const locale = localeFor(i18n.language);
  return useMemo(() => {
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
    return {
      date: (iso) => formatDate(date, iso),
      dateTime: (iso) => formatDate(dateTime, iso),
      number: (value, maximumFractionDigits = 2) => {
        const number = numeric(value);
        return number === undefined
          ? NOT_A_NUMBER
          : new Intl.NumberFormat(locale, { maximumFractionDigits }).format(number);
      },
      money: (value, currency) => {
        const number = numeric(value);
        if (number === undefined) return NOT_A_NUMBER;
        return currency
          ? new Intl.NumberFormat(locale, { style: 'currency', currency }).format(number)
          : new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(number);
      },
      moneyCompact: (value, currency) => {
        const number = numeric(value);
        if (number === undefined) return NOT_A_NUMBER;
        const style = currency ? { style: 'currency' as const, currency } : {};
        return new Intl.NumberFormat(locale, { ...style, notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 }).format(number);
      },
      percent: (value) => {
        const number = numeric(value);
        return number === undefined ? NOT_A_NUMBER : percent.format(number);
      },
    };
  }, [locale]);
}
