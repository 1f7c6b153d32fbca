import { ActionIcon, Button, Group, NumberInput, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type SyntheticEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { AnalyticsRuntimeSettings } from '@/client';

import { useServerErrors } from '../hooks/useServerErrors';
import { FormErrors } from './FormErrors';

type Rate = { currency: string; rate: number | string };

export type MoneySettingsFormProps = {
  values: AnalyticsRuntimeSettings;
  defaultCurrency: string;
  /** Saves every analytics setting: the thresholds as they are, the money ones as edited. */
  onSave: (values: AnalyticsRuntimeSettings) => Promise<{ queued_jobs?: unknown[] }>;
};

const FIELDS = ['reporting_currency', 'exchange_rates'] as const;

/** The reporting currency of analytics and the exchange rates into it (F5). */
export function MoneySettingsForm({ values, defaultCurrency, onSave }: MoneySettingsFormProps) {
  const { t, i18n } = useTranslation();
  const title = t('admin.settings.money.title');
  const errors = useServerErrors(FIELDS);
  const [currency, setCurrency] = useState(values.reporting_currency);
  const [rates, setRates] = useState<Rate[]>(
    Object.entries(values.exchange_rates).map(([code, rate]) => ({ currency: code, rate: Number(rate) })),
  );
  const [busy, setBusy] = useState(false);

  const setRate = (index: number, patch: Partial<Rate>) => {
    setRates((current) => current.map((rate, at) => (at === index ? { ...rate, ...patch } : rate)));
  };

  const handleSubmit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    errors.clear();
    const filled = rates.filter((rate) => rate.currency.trim() !== '');
    if (filled.some((rate) => typeof rate.rate !== 'number')) {
      errors.setFieldErrors({ exchange_rates: t('admin.settings.required') });
      return;
    }
    const exchangeRates = Object.fromEntries(filled.map((rate) => [rate.currency.trim().toUpperCase(), Number(rate.rate)]));
    setBusy(true);
    try {
      const saved = await onSave({ ...values, reporting_currency: currency.trim().toUpperCase(), exchange_rates: exchangeRates });
      notifications.show({ color: 'teal', message: t('admin.settings.saved') });
      if ((saved.queued_jobs?.length ?? 0) > 0) {
        notifications.show({ color: 'blue', message: t('admin.settings.money.fitQueued') });
      }
    } catch (error) {
      errors.show(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <form noValidate onSubmit={(event) => void handleSubmit(event)}>
        <Stack gap="sm">
          <div>
            <Title order={2} size="h4">
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              {t('admin.settings.money.applies')}
            </Text>
          </div>
          <FormErrors errors={errors.formErrors} />
          <TextInput
            label={t('admin.settings.money.currency')}
            description={`${t('admin.settings.money.currencyHint')} · ${t('admin.settings.default', { value: defaultCurrency })}`}
            withAsterisk
            maxLength={3}
            w={260}
            value={currency}
            onChange={(event) => {
              setCurrency(event.currentTarget.value);
            }}
            error={errors.fieldErrors.reporting_currency}
          />
          <Stack gap={4} role="group" aria-label={t('admin.settings.money.rates')}>
            <Text size="sm" fw={500}>
              {t('admin.settings.money.rates')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('admin.settings.money.ratesHint', { currency: currency.toUpperCase() || defaultCurrency })}
            </Text>
            {rates.map((rate, index) => (
              // The row's position is its identity while it is edited: its currency code may be typed anew.
              <Group key={index} gap="xs" align="flex-end">
                <TextInput
                  aria-label={t('admin.settings.money.rateCurrency')}
                  placeholder="USD"
                  maxLength={3}
                  w={90}
                  value={rate.currency}
                  onChange={(event) => {
                    setRate(index, { currency: event.currentTarget.value });
                  }}
                />
                <NumberInput
                  aria-label={t('admin.settings.money.rate', { currency: rate.currency.toUpperCase() || '…' })}
                  min={0}
                  decimalScale={6}
                  step={0.01}
                  clampBehavior="none"
                  decimalSeparator={i18n.language.startsWith('de') ? ',' : '.'}
                  w={160}
                  value={rate.rate}
                  onChange={(value) => {
                    setRate(index, { rate: value });
                  }}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="lg"
                  aria-label={t('admin.settings.money.removeRate', { currency: rate.currency || '…' })}
                  onClick={() => {
                    setRates((current) => current.filter((_, at) => at !== index));
                  }}
                >
                  ×
                </ActionIcon>
              </Group>
            ))}
            {errors.fieldErrors.exchange_rates && (
              <Text size="xs" c="red">
                {errors.fieldErrors.exchange_rates}
              </Text>
            )}
            <Group>
              <Button
                variant="light"
                size="xs"
                onClick={() => {
                  setRates((current) => [...current, { currency: '', rate: '' }]);
                }}
              >
                {t('admin.settings.money.addRate')}
              </Button>
            </Group>
          </Stack>
          <Group justify="flex-end">
            <Button type="submit" loading={busy} disabled={busy}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
