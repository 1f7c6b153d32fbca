import { Button, Group, Paper, Stack, Title } from '@mantine/core';
import { getRouteApi, Link } from '@tanstack/react-router';
import { lazy, Suspense, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { BulkActionKind } from '@/client';
import { problemMessage } from '@/lib/api/problemMessage';
import { useCurrentUser } from '@/modules/auth/hooks/useCurrentUser';
import { EmptyState } from '@/ui/EmptyState';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';
import { notifyProblem } from '@/ui/notifyProblem';

import { useContactCount } from '../hooks/useContactCount';
import { useContactsList } from '../hooks/useContactsList';
import type { ContactSelection } from '../types/ContactSelection';
import { downloadSelection } from '../utils/downloadSelection';
import { ALL_MATCHING, EMPTY_SELECTION, selectedCount, toggle, toggleLoaded } from '../utils/selection';
import { selectionTarget } from '../utils/selectionTarget';
import { toListFilter } from '../utils/toListFilter';
import { type BulkTool } from '../utils/bulkTools';
import { BulkBar } from './BulkBar';
import { ContactsFilters } from './ContactsFilters';
import { ContactsTable } from './ContactsTable';

const NewContactModal = lazy(() =>
  import('./NewContactModal').then((module) => ({ default: module.NewContactModal })),
);
const SaveSegmentModal = lazy(() =>
  import('./SaveSegmentModal').then((module) => ({ default: module.SaveSegmentModal })),
);
const BulkActionModal = lazy(() =>
  import('./BulkActionModal').then((module) => ({ default: module.BulkActionModal })),
);
const InviteSelectionModal = lazy(() =>
  import('./InviteSelectionModal').then((module) => ({ default: module.InviteSelectionModal })),
);

const route = getRouteApi('/_app/contacts/');

export function ContactsPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [creating, setCreating] = useState(false);
  const [filtersKey, setFiltersKey] = useState(0);
  const [savingSegment, setSavingSegment] = useState(false);
  const [tool, setTool] = useState<BulkActionKind | 'invite' | null>(null);
  const [exporting, setExporting] = useState(false);
  // The selection belongs to one set of filters: other filters, other rows, nothing selected.
  const filterKey = JSON.stringify(toListFilter(search));
  const [picked, setPicked] = useState({ key: filterKey, selection: EMPTY_SELECTION });
  const selection = picked.key === filterKey ? picked.selection : EMPTY_SELECTION;
  const contacts = useContactsList(search);
  const user = useCurrentUser();
  const anySelected = selection.mode === 'matching' || selection.ids.size > 0;
  const matching = useContactCount(search, anySelected);
  const selected = selectedCount(selection, matching.data ?? 0);
  const filtered = Boolean(search.q ?? search.stage ?? search.tag ?? search.segment);
  const { fetchNextPage } = contacts;
  const rows = contacts.data;

  const select = useCallback(
    (next: ContactSelection) => {
      setPicked({ key: filterKey, selection: next });
    },
    [filterKey],
  );
  const handleToggle = useCallback(
    (id: string, shift: boolean) => {
      select(toggle(selection, id, shift, (rows ?? []).map((contact) => contact.id)));
    },
    [select, selection, rows],
  );
  const handleToggleLoaded = useCallback(() => {
    select(toggleLoaded(selection, (rows ?? []).map((contact) => contact.id)));
  }, [select, selection, rows]);
  const handleTool = (chosen: BulkTool) => {
    if (chosen !== 'export') {
      setTool(chosen);
      return;
    }
    setExporting(true);
    downloadSelection(selectionTarget(selection, search), 'contacts.csv')
      .catch((error: unknown) => {
        notifyProblem(error, t);
      })
      .finally(() => {
        setExporting(false);
      });
  };
  const handleSegmentSaved = (segmentId: string) => {
    setSavingSegment(false);
    // The segment holds the stage and tag filters now; the list shows it, as a link.
    void navigate({ search: (previous) => ({ sort: previous.sort, segment: segmentId }) }).then(() => {
      setFiltersKey((key) => key + 1);
    });
  };

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
      <ContactsFilters
        key={filtersKey}
        onSaveSegment={() => {
          setSavingSegment(true);
        }}
      />
      {anySelected && (
        <BulkBar
          selection={selection}
          selected={selected}
          matching={matching.data}
          role={user.data?.role}
          exporting={exporting}
          onSelectMatching={() => {
            select(ALL_MATCHING);
          }}
          onClear={() => {
            select(EMPTY_SELECTION);
          }}
          onTool={handleTool}
        />
      )}
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
              text={search.segment ? t('contacts.segments.emptyText') : t('contacts.noMatchText')}
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
          selection={selection}
          onToggle={handleToggle}
          onToggleLoaded={handleToggleLoaded}
        />
      )}
      {savingSegment && (
        <Suspense fallback={null}>
          <SaveSegmentModal
            search={search}
            onClose={() => {
              setSavingSegment(false);
            }}
            onSaved={handleSegmentSaved}
          />
        </Suspense>
      )}
      {tool !== null && (
        <Suspense fallback={null}>
          {tool === 'invite' ? (
            <InviteSelectionModal
              selection={selection}
              search={search}
              count={selected}
              onClose={() => {
                setTool(null);
              }}
            />
          ) : (
            <BulkActionModal
              kind={tool}
              target={selectionTarget(selection, search)}
              count={selected}
              onClose={() => {
                setTool(null);
              }}
            />
          )}
        </Suspense>
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
