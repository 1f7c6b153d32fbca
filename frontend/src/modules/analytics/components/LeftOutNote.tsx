import { Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

type LeftOut = {
  count: number;
  /** What was left out: orders (revenue, margins, cohorts) or customers (CLV). */
  what: 'orders' | 'customers';
  currencies: string[];
  /** The reporting currency the figures are in. */
  currency: string;
};

/** Why a money figure is smaller than the sales: what had no exchange rate into the reporting currency; none when nothing. */
export function leftOutText(t: TFunction, { count, what, currencies, currency }: LeftOut): string | null {
  if (count === 0) return null;
  return t(`analytics.leftOut.${what}`, { count, currencies: currencies.join(', '), currency });
}

/** The left-out note under a chart; nothing when every order counted. */
export function LeftOutNote(props: LeftOut) {
  const { t } = useTranslation();
  const text = leftOutText(t, props);
  return text === null ? null : (
    <Text size="xs" c="orange.8" role="note">
      {text}
    </Text>
  );
}
