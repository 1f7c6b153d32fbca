import { Text } from '@mantine/core';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';

import type { ContactRead } from '@/client';
import { useFormatters } from '@/i18n/useFormatters';
import { AnchorLink } from '@/ui/AnchorLink';

import { LifecycleBadge } from './LifecycleBadge';
import classes from './ContactsTable.module.css';

export type ContactRowProps = {
  contact: ContactRead;
  index: number;
  start: number;
  size: number;
  selected: boolean;
  onToggle: (id: string, shift: boolean) => void;
};

/**
 * One row of the virtualised list. Memoised: a row keeps its place while the list scrolls,
 * so a scroll frame renders only the rows that come into view, not every visible one again.
 */
export const ContactRow = memo(function ContactRow({ contact, index, start, size, selected, onToggle }: ContactRowProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const name = `${contact.first_name} ${contact.last_name}`;
  return (
    <div
      className={classes.row}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      data-selected={selected || undefined}
      style={{ height: size, transform: `translateY(${String(start)}px)` }}
    >
      <span role="cell" className={classes.check}>
        <input
          type="checkbox"
          aria-label={t('contacts.bulk.selectRow', { name })}
          checked={selected}
          onChange={(event) => {
            const native = event.nativeEvent;
            onToggle(contact.id, native instanceof MouseEvent && native.shiftKey);
          }}
        />
      </span>
      <span role="cell" className={classes.cell}>
        <AnchorLink to="/contacts/$contactId" params={{ contactId: contact.id }} fw={500}>
          {name}
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
});
