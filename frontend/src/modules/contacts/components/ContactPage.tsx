import { Alert, Grid, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { contactsGetContactOptions } from '@/client/@tanstack/react-query.gen';
import { isProblem } from '@/lib/api/isProblem';
import { problemMessage } from '@/lib/api/problemMessage';
import { useFormatters } from '@/i18n/useFormatters';
import { CustomerValueCard } from '@/modules/analytics/components/CustomerValueCard';
import { AnchorLink } from '@/ui/AnchorLink';
import { EmptyState } from '@/ui/EmptyState';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { ChurnRiskCard } from './ChurnRiskCard';
import { ContactActions } from './ContactActions';
import { ContactContracts } from './ContactContracts';
import { ContactOffers } from './ContactOffers';
import { ContactOrders } from './ContactOrders';
import { ContactProfile } from './ContactProfile';
import { ContactTimeline } from './ContactTimeline';
import { LifecycleBadge } from './LifecycleBadge';
import { ContactTasks } from './ContactTasks';
import { LogInteractionForm } from './LogInteractionForm';
import { NpsHistory } from './NpsHistory';
import { knownChurnReason } from '../utils/churnReasons';

const route = getRouteApi('/_app/contacts/$contactId');

/** The contact 360° page: who they are, what happened, what they bought, what they are worth. */
export function ContactPage() {
  const { t } = useTranslation();
  const format = useFormatters();
  const { contactId } = route.useParams();
  const contact = useQuery(contactsGetContactOptions({ path: { contact_id: contactId } }));

  const back = (
    <AnchorLink to="/contacts" size="sm">
      ← {t('contact.back')}
    </AnchorLink>
  );
  if (contact.isPending) {
    return <LoadingState label={t('common.loading')} />;
  }
  if (contact.isError) {
    const missing = isProblem(contact.error) && (contact.error.status === 404 || contact.error.status === 422);
    return (
      <Stack>
        {back}
        {missing ? (
          <EmptyState title={t('contact.notFoundTitle')} text={t('contact.notFoundText')} />
        ) : (
          <ErrorState
            title={t('common.unexpectedError')}
            text={problemMessage(contact.error, '')}
            retryLabel={t('common.retry')}
            onRetry={() => void contact.refetch()}
          />
        )}
      </Stack>
    );
  }

  const person = contact.data;
  const churnReason = knownChurnReason(person.churn_reason);
  return (
    <Stack gap="md">
      {back}
      <Group justify="space-between" align="flex-start">
        <Group gap="sm">
          <Title order={1} size="h2">
            {person.first_name} {person.last_name}
          </Title>
          <LifecycleBadge stage={person.lifecycle_stage} />
        </Group>
        <ContactActions contact={person} />
      </Group>
      {person.lifecycle_stage === 'churned' && (
        <Alert color="red" variant="light" title={t('contact360.churn.lostTitle')}>
          <Text size="sm">
            {t('contact360.churn.lostText', {
              date: person.churned_at ? format.date(person.churned_at) : t('common.none'),
              reason: churnReason ? t(`contact360.churn.reasons.${churnReason}`) : (person.churn_reason ?? t('common.none')),
            })}
          </Text>
          {person.churn_note && (
            <Text size="sm" fs="italic">
              “{person.churn_note}”
            </Text>
          )}
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <ContactTasks contactId={person.id} />
            <LogInteractionForm contactId={person.id} />
            <Tabs defaultValue="timeline" keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="timeline">{t('contact.timeline')}</Tabs.Tab>
                <Tabs.Tab value="orders">{t('contact.orders')}</Tabs.Tab>
                <Tabs.Tab value="contracts">{t('contact360.contracts.tab')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="timeline" pt="md">
                <ContactTimeline contactId={person.id} />
              </Tabs.Panel>
              <Tabs.Panel value="orders" pt="md">
                <ContactOrders contactId={person.id} />
              </Tabs.Panel>
              <Tabs.Panel value="contracts" pt="md">
                <ContactContracts contactId={person.id} />
              </Tabs.Panel>
            </Tabs>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <ChurnRiskCard contactId={person.id} />
            <CustomerValueCard contactId={person.id} />
            <ContactOffers contactId={person.id} />
            <NpsHistory contactId={person.id} />
            <ContactProfile contact={person} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
