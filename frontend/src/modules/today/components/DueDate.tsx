import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useFormatters } from '@/i18n/useFormatters';

import { isOverdue } from '../utils/byDueDate';

type DueDateProps = {
  dueAt: string;
  /** Done work is never overdue. */
  done?: boolean;
  /** Words around the date, e.g. "due {{date}}"; the bare date when absent. */
  label?: (date: string) => string;
};

/** A due date, red with an "overdue" badge once it has passed while the work is still open. */
export function DueDate({ dueAt, done = false, label }: DueDateProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const overdue = !done && isOverdue(dueAt);
  const date = format.dateTime(dueAt);
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" c={overdue ? 'red.8' : label ? 'dimmed' : undefined}>
        {label ? label(date) : date}
      </Text>
      {overdue && (
        <Badge color="red" size="sm" variant="light">
          {t('today.overdue')}
        </Badge>
      )}
    </Group>
  );
}
