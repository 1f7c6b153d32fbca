import { Badge, Group, List, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { analyticsGetCustomerOptions } from '@/client/@tanstack/react-query.gen';
import { useFormatters } from '@/i18n/useFormatters';
import { QueryView } from '@/ui/QueryView';

import { knownDriver, riskBand } from '../utils/churnDrivers';
import { ContactPanel } from './ContactPanel';
import { NotSeenYet } from './NotSeenYet';

export type ChurnRiskCardProps = {
  contactId: string;
};

const BAND_COLORS = { high: 'red', medium: 'orange', low: 'teal' } as const;
const CLASS_COLORS: Record<string, string> = { A: 'teal', B: 'blue', C: 'gray' };

/** ABC class and churn risk with the reasons behind it, from the analytics read model. */
export function ChurnRiskCard({ contactId }: ChurnRiskCardProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  // The same query as the value card: one request for both.
  const customer = useQuery(analyticsGetCustomerOptions({ path: { contact_id: contactId } }));

  return (
    <ContactPanel title={t('contact360.risk.title')}>
      <QueryView
        query={customer}
        errorTitle={t('contact360.risk.error')}
        notFound={<NotSeenYet />}
      >
        {(value) => {
          const risk = value.churn_risk ?? null;
          const drivers = value.churn_drivers ?? [];
          return (
            <Stack gap="sm">
              <Group justify="space-between">
                <Text size="sm" c="dimmed">
                  {t('contact360.risk.abcClass')}
                </Text>
                {value.abc_class ? (
                  <Badge color={CLASS_COLORS[value.abc_class] ?? 'gray'} variant="filled" aria-label={t('contact360.risk.abcLabel', { abc: value.abc_class })}>
                    {value.abc_class}
                  </Badge>
                ) : (
                  <Text size="sm">{t('common.none')}</Text>
                )}
              </Group>
              <Group justify="space-between">
                <Text size="sm" c="dimmed">
                  {t('contact360.risk.churnRisk')}
                </Text>
                {risk === null ? (
                  <Text size="sm">{value.lifecycle_stage === 'churned' ? t('contact360.risk.churned') : t('common.none')}</Text>
                ) : (
                  <Badge color={BAND_COLORS[riskBand(risk)]} variant="light" size="lg">
                    {t(`contact360.risk.bands.${riskBand(risk)}`, { percent: format.percent(risk) })}
                  </Badge>
                )}
              </Group>
              {risk !== null &&
                (drivers.length === 0 ? (
                  <Text size="xs" c="dimmed">
                    {t('contact360.risk.noDrivers')}
                  </Text>
                ) : (
                  <Stack gap={4}>
                    <Text size="sm" fw={600}>
                      {t('contact360.risk.why')}
                    </Text>
                    <List size="sm" spacing={4} aria-label={t('contact360.risk.why')}>
                      {drivers.map((driver) => {
                        const known = knownDriver(driver);
                        // The dormancy signal is weighed by 1 − P(alive): its text states that probability.
                        const percent = format.percent(value.p_alive ?? 0);
                        return <List.Item key={driver}>{known ? t(`contact360.risk.drivers.${known}`, { percent }) : driver}</List.Item>;
                      })}
                    </List>
                  </Stack>
                ))}
            </Stack>
          );
        }}
      </QueryView>
    </ContactPanel>
  );
}
