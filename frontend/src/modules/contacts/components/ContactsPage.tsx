import { Button, Group, Paper, Stack, Title } from '@mantine/core';
import { getRouteApi, Link } from '@tanstack/react-router';
import { lazy, Suspense, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { problemMessage } from '@/lib/api/problemMessage';
import { EmptyState } from '@/ui/EmptyState';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { useContactsList } from '../hooks/useContactsList';
import { ContactsFilters } from './ContactsFilters';
import { ContactsTable } from './ContactsTable';

const NewContactModal = lazy(() =>
  import('./NewContactModal').then((module) => ({ default: module.NewContactModal })),
);

const route = getRouteApi('/_app/contacts/');

export function ContactsPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [creating, setCreating] = useState(false);
  const [filtersKey, setFiltersKey] = useState(0);
  const contacts = useContactsList(search);
  const filtered = Boolean(search.q ?? search.stage ?? search.tag);
  const { fetchNextPage } = contacts;

  const handleLoadMore = useCallback(() => {
    void fetchNextPage();
  }, [fetchNextPage]);
  const handleClearFilters = () => {
    // Remount the inputs once the URL is clear, so they start from it rather than from the old text.
    void navigate({ search: (previous) => ({ sort: previous.sort }) }).then(() => {
      setFiltersKey((key) => key + 1);
    });
  };
  const handleOpenNew = () => {
    setCreating(true);
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('contacts.title')}
        </Title>
        <Group gap="sm">
          <Button component={Link} to="/contacts/import" variant="default">
            {t('imports.entry')}
          </Button>
          <Button onClick={handleOpenNew}>{t('contacts.new')}</Button>
        </Group>
      </Group>
      <ContactsFilters key={filtersKey} />
      {contacts.isPending ? (
        <LoadingState label={t('common.loading')} />
      ) : contacts.isError ? (
        <ErrorState
          title={t('contacts.errorTitle')}
          text={t('contacts.errorText')}
          detail={problemMessage(contacts.error, '')}
          retryLabel={t('common.retry')}
          onRetry={() => void contacts.refetch()}
        />
      ) : contacts.data.length === 0 ? (
        <Paper withBorder p="lg">
          {filtered ? (
            <EmptyState
              title={t('contacts.noMatchTitle')}
              text={t('contacts.noMatchText')}
              action={
                <Button variant="light" onClick={handleClearFilters}>
                  {t('contacts.clearFilters')}
                </Button>
              }
            />
          ) : (
            <EmptyState
              title={t('contacts.emptyTitle')}
              text={t('contacts.emptyText')}
              action={<Button onClick={handleOpenNew}>{t('contacts.new')}</Button>}
            />
          )}
        </Paper>
      ) : (
        <ContactsTable
          contacts={contacts.data}
          hasNextPage={contacts.hasNextPage}
          isFetchingNextPage={contacts.isFetchingNextPage}
          onLoadMore={handleLoadMore}
        />
      )}
      {creating && (
        <Suspense fallback={null}>
          <NewContactModal
            opened={creating}
            onClose={() => {
              setCreating(false);
            }}
          />
        </Suspense>
      )}
    </Stack>
  );
}
