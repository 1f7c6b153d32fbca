import { Badge, Button, Checkbox, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { TaskRead } from '@/client';
import { useFormatters } from '@/i18n/useFormatters';
import { ContactLink } from '@/modules/contacts/components/ContactLink';

import { useUpdateTask } from '../hooks/useUpdateTask';
import { isOverdue } from '../utils/byDueDate';

export type TaskRowProps = {
  task: TaskRead;
  userId: string | undefined;
};

export function TaskRow({ task, userId }: TaskRowProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const update = useUpdateTask();
  const overdue = isOverdue(task.due_at);

  return (
    <Group component="li" justify="space-between" wrap="nowrap" align="flex-start" py="xs">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <Checkbox
          mt={2}
          aria-label={t('today.complete', { title: task.title })}
          checked={update.isPending}
          disabled={update.isPending}
          onChange={() => {
            update.mutate({ path: { task_id: task.id }, body: { status: 'done' } });
          }}
        />
        <Stack gap={2}>
          <Text fw={500}>{task.title}</Text>
          <Group gap="xs">
            <ContactLink contactId={task.contact_id} />
            <Text size="sm" c={overdue ? 'red.8' : 'dimmed'}>
              {t('today.due', { date: format.dateTime(task.due_at) })}
            </Text>
            {overdue && (
              <Badge color="red" size="sm" variant="light">
                {t('today.overdue')}
              </Badge>
            )}
            <Badge color="gray" size="sm" variant="outline">
              {t(`today.origins.${task.origin}`)}
            </Badge>
          </Group>
        </Stack>
      </Group>
      {task.assignee_id === null && userId && (
        <Button
          size="xs"
          variant="light"
          style={{ flexShrink: 0 }}
          loading={update.isPending}
          onClick={() => {
            update.mutate({ path: { task_id: task.id }, body: { assignee_id: userId } });
          }}
        >
          {t('today.take')}
        </Button>
      )}
    </Group>
  );
}
