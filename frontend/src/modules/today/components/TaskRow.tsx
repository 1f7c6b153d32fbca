import { Badge, Button, Checkbox, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { TaskRead } from '@/client';
import { ContactLink } from '@/modules/contacts/components/ContactLink';

import { useTaskTitle } from '../hooks/useTaskTitle';
import { useUpdateTask } from '../hooks/useUpdateTask';

import { DueDate } from './DueDate';

export type TaskRowProps = {
  task: TaskRead;
  userId: string | undefined;
};

export function TaskRow({ task, userId }: TaskRowProps) {
  const { t } = useTranslation();
  const title = useTaskTitle()(task);
  const update = useUpdateTask();

  return (
    <Group component="li" justify="space-between" wrap="nowrap" align="flex-start" py="xs">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <Checkbox
          mt={2}
          aria-label={t('today.complete', { title })}
          checked={update.isPending}
          disabled={update.isPending}
          onChange={() => {
            update.mutate({ path: { task_id: task.id }, body: { status: 'done' } });
          }}
        />
        <Stack gap={2}>
          <Text fw={500}>{title}</Text>
          <Group gap="xs">
            <ContactLink contactId={task.contact_id} />
            <DueDate dueAt={task.due_at} label={(date) => t('today.due', { date })} />
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
