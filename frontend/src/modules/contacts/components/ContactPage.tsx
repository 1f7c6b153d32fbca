import { Grid, Group, Stack, Tabs, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { contactsGetContactOptions } from '@/client/@tanstack/react-query.gen';
import { isProblem } from '@/lib/api/isProblem';
import { problemMessage } from '@/lib/api/problemMessage';
import { CustomerValueCard } from '@/modules/analytics/components/CustomerValueCard';
import { AnchorLink } from '@/ui/AnchorLink';
import { EmptyState } from '@/ui/EmptyState';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { ContactOrders } from './ContactOrders';
import { ContactProfile } from './ContactProfile';
import { ContactTimeline } from './ContactTimeline';
import { LifecycleBadge } from './LifecycleBadge';
import { LogInteractionForm } from './LogInteractionForm';

const route = getRouteApi('/_app/contacts/$contactId');

/** The contact 360° page: who they are, what happened, what they bought, what they are worth. */
export function ContactPage() {
  const { t } = useTranslation();
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
  return (
    <Stack gap="md">
      {back}
      <Group gap="sm">
        <Title order={1} size="h2">
          {person.first_name} {person.last_name}
        </Title>
        <LifecycleBadge stage={person.lifecycle_stage} />
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <LogInteractionForm contactId={person.id} />
            <Tabs defaultValue="timeline" keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="timeline">{t('contact.timeline')}</Tabs.Tab>
                <Tabs.Tab value="orders">{t('contact.orders')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="timeline" pt="md">
                <ContactTimeline contactId={person.id} />
              </Tabs.Panel>
              <Tabs.Panel value="orders" pt="md">
                <ContactOrders contactId={person.id} />
              </Tabs.Panel>
            </Tabs>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <CustomerValueCard contactId={person.id} />
            <ContactProfile contact={person} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
