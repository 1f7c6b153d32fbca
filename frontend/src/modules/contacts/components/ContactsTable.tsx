import { Box, Button, Group, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';

import type { ContactRead } from '@/client';

import type { ContactSelection } from '../types/ContactSelection';
import { isSelected, loadedState } from '../utils/selection';
import { ContactRow } from './ContactRow';
import classes from './ContactsTable.module.css';

export type ContactsTableProps = {
  contacts: ContactRead[];
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  onLoadMore: () => void;
  selection: ContactSelection;
  /** A row's checkbox clicked; `shift` extends the range from the last row clicked. */
  onToggle: (id: string, shift: boolean) => void;
  onToggleLoaded: () => void;
};

const ROW_HEIGHT = 48;
// Start fetching the next page while this many rows are still ahead of the viewport.
const PREFETCH_ROWS = 30;

/** Virtualised: only the rows on screen are in the DOM, so a million contacts scroll like fifty. */
export function ContactsTable({
  contacts,
  hasNextPage,
  isFetchingNextPage,
  onLoadMore,
  selection,
  onToggle,
  onToggleLoaded,
}: ContactsTableProps) {
  const { t } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  // No React Compiler here; the virtualizer re-renders this component itself as the list scrolls.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: contacts.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  // Memoised: the virtualizer re-renders on every scroll frame, over up to all loaded rows.
  const headerState = useMemo(
    () =>
      loadedState(
        selection,
        contacts.map((contact) => contact.id),
      ),
    [selection, contacts],
  );

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= contacts.length - PREFETCH_ROWS) {
      onLoadMore();
    }
  }, [hasNextPage, isFetchingNextPage, lastIndex, contacts.length, onLoadMore]);

  return (
    <Box className={classes.table} role="table" aria-label={t('contacts.title')} aria-rowcount={contacts.length}>
      <div className={classes.header} role="row">
        <span role="columnheader" className={classes.check}>
          <input
            type="checkbox"
            aria-label={t('contacts.bulk.selectLoaded')}
            checked={headerState === 'all'}
            ref={(input) => {
              if (input) input.indeterminate = headerState === 'some';
            }}
            onChange={onToggleLoaded}
          />
        </span>
        <span role="columnheader">{t('contacts.columns.name')}</span>
        <span role="columnheader">{t('contacts.columns.email')}</span>
        <span role="columnheader">{t('contacts.columns.company')}</span>
        <span role="columnheader">{t('contacts.columns.stage')}</span>
        <span role="columnheader">{t('contacts.columns.tags')}</span>
        <span role="columnheader">{t('contacts.columns.created')}</span>
      </div>
      <div ref={scrollRef} className={classes.scroller} role="rowgroup">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const contact = contacts[item.index];
            if (!contact) return null;
            return (
              <ContactRow
                key={contact.id}
                contact={contact}
                index={item.index}
                start={item.start}
                size={item.size}
                selected={isSelected(selection, contact.id)}
                onToggle={onToggle}
              />
            );
          })}
        </div>
      </div>
      <Group className={classes.footer} justify="space-between">
        <Text size="sm" c="dimmed" aria-live="polite">
          {isFetchingNextPage
            ? t('contacts.loadingMore')
            : hasNextPage
              ? t('contacts.loaded', { count: contacts.length })
              : t('contacts.loadedAll', { count: contacts.length })}
        </Text>
        {hasNextPage && (
          <Button size="xs" variant="subtle" onClick={onLoadMore} loading={isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        )}
      </Group>
    </Box>
  );
}
