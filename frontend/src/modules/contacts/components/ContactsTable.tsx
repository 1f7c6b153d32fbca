import { Box, Button, Group, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

import type { ContactRead } from '@/client';
import { useFormatters } from '@/i18n/useFormatters';
import { AnchorLink } from '@/ui/AnchorLink';

import { LifecycleBadge } from './LifecycleBadge';
import classes from './ContactsTable.module.css';

export type ContactsTableProps = {
  contacts: ContactRead[];
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  onLoadMore: () => void;
};

const ROW_HEIGHT = 48;
// Start fetching the next page while this many rows are still ahead of the viewport.
const PREFETCH_ROWS = 30;

/** Virtualised: only the rows on screen are in the DOM, so a million contacts scroll like fifty. */
export function ContactsTable({ contacts, hasNextPage, isFetchingNextPage, onLoadMore }: ContactsTableProps) {
  const { t } = useTranslation();
  const format = useFormatters();
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

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= contacts.length - PREFETCH_ROWS) {
      onLoadMore();
    }
  }, [hasNextPage, isFetchingNextPage, lastIndex, contacts.length, onLoadMore]);

  return (
    <Box className={classes.table} role="table" aria-label={t('contacts.title')} aria-rowcount={contacts.length}>
      <div className={classes.header} role="row">
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
              <div
                key={contact.id}
                className={classes.row}
                role="row"
                aria-rowindex={item.index + 1}
                style={{ height: item.size, transform: `translateY(${String(item.start)}px)` }}
              >
                <span role="cell" className={classes.cell}>
                  <AnchorLink to="/contacts/$contactId" params={{ contactId: contact.id }} fw={500}>
                    {contact.first_name} {contact.last_name}
                  </AnchorLink>
                </span>
                <span role="cell" className={classes.cell}>
                  {contact.email ?? t('common.none')}
                </span>
                <span role="cell" className={classes.cell}>
                  {contact.company ?? t('common.none')}
                </span>
                <span role="cell" className={classes.cell}>
                  <LifecycleBadge stage={contact.lifecycle_stage} />
                </span>
                <span role="cell" className={classes.cell}>
                  <Text size="xs" c="dimmed" truncate>
                    {contact.tags.join(', ')}
                  </Text>
                </span>
                <span role="cell" className={classes.cell}>
                  {format.date(contact.created_at)}
                </span>
              </div>
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
