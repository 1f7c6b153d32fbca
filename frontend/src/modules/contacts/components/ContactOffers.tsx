import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { analyticsGetOffersOptions } from '@/client/@tanstack/react-query.gen';
import { useFormatters } from '@/i18n/useFormatters';
import { QueryView } from '@/ui/QueryView';

import { ContactPanel } from './ContactPanel';
import { NotSeenYet } from './NotSeenYet';

export type ContactOffersProps = {
  contactId: string;
};

/** Next best offers: products the customer has not bought, each with why it is suggested. */
export function ContactOffers({ contactId }: ContactOffersProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const offers = useQuery(analyticsGetOffersOptions({ path: { contact_id: contactId }, query: { limit: 5 } }));

  return (
    <ContactPanel title={t('contact360.offers.title')}>
      <QueryView
        query={offers}
        errorTitle={t('contact360.offers.error')}
        notFound={<NotSeenYet />}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <Text size="sm" c="dimmed">
            {t('contact360.offers.empty')}
          </Text>
        }
      >
        {(data) => (
          <Stack gap="xs" component="ol" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('contact360.offers.title')}>
            {data.items.map((offer) => (
              <Paper component="li" key={offer.product_id} withBorder p="xs" radius="sm">
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <div>
                    <Text fw={600} size="sm">
                      {offer.product_name ?? offer.sku}
                    </Text>
                    {offer.product_name && (
                      <Text size="xs" c="dimmed">
                        {offer.sku}
                      </Text>
                    )}
                  </div>
                  {/* The product's name wraps; the value is read whole. */}
                  <Badge variant="light" color="grape" style={{ flexShrink: 0 }}>
                    {t('contact360.offers.expected', { value: format.money(offer.score, data.currency) })}
                  </Badge>
                </Group>
                <Text size="xs" c="dimmed" mt={4}>
                  {t(offer.margin_per_sale === null ? 'contact360.offers.whyNoMargin' : 'contact360.offers.why', {
                    share: format.percent(offer.confidence),
                    owned: offer.because_of_name ?? offer.because_of_sku,
                    lift: format.number(offer.lift, 1),
                    margin: offer.margin_per_sale === null ? '' : format.money(offer.margin_per_sale, data.currency),
                  })}
                </Text>
              </Paper>
            ))}
          </Stack>
        )}
      </QueryView>
    </ContactPanel>
  );
}
