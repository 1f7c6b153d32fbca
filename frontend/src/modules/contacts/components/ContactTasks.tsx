import { Badge, Button, Checkbox, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { TaskRead } from '@/client';
import { useFormatters } from '@/i18n/useFormatters';
import { useTaskTitle } from '@/modules/today/hooks/useTaskTitle';
import { useUpdateTask } from '@/modules/today/hooks/useUpdateTask';
import { isOverdue } from '@/modules/today/utils/byDueDate';
import { QueryView } from '@/ui/QueryView';

import { useContactTasks } from '../hooks/useContactTasks';
import { ContactPanel } from './ContactPanel';
import { NewTaskForm } from './NewTaskForm';

export type ContactTasksProps = {
  contactId: string;
};

function TaskItem({ task }: { task: TaskRead }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const title = useTaskTitle()(task);
  const update = useUpdateTask();
  const done = task.status === 'done';
  const overdue = !done && isOverdue(task.due_at);

  return (
    <Group component="li" gap="sm" wrap="nowrap" align="flex-start" py={4}>
      <Checkbox
        mt={2}
        aria-label={t('today.complete', { title })}
        checked={done || update.isPending}
        disabled={done || update.isPending}
        onChange={() => {
          update.mutate({ path: { task_id: task.id }, body: { status: 'done' } });
        }}
      />
      <Stack gap={0}>
        <Text size="sm" fw={500} td={done ? 'line-through' : undefined} c={done ? 'dimmed' : undefined}>
          {title}
        </Text>
        <Group gap="xs">
          <Text size="xs" c={overdue ? 'red.8' : 'dimmed'}>
            {done && task.completed_at
              ? t('contact360.tasks.doneAt', { date: format.dateTime(task.completed_at) })
              : t('today.due', { date: format.dateTime(task.due_at) })}
          </Text>
          {overdue && (
            <Badge color="red" size="xs" variant="light">
              {t('today.overdue')}
            </Badge>
          )}
          {task.origin !== 'manual' && (
            <Badge color="gray" size="xs" variant="outline">
              {t(`today.origins.${task.origin}`)}
            </Badge>
          )}
        </Group>
      </Stack>
    </Group>
  );
}

/** Open tasks first (soonest due first), then the done ones. */
function ordered(tasks: TaskRead[]): TaskRead[] {
  return [...tasks].sort((a, b) =>
    a.status === b.status ? a.due_at.localeCompare(b.due_at) : a.status === 'open' ? -1 : 1,
  );
}

export function ContactTasks({ contactId }: ContactTasksProps) {
  const { t } = useTranslation();
  const tasks = useContactTasks(contactId);
  const [adding, setAdding] = useState(false);

  return (
    <ContactPanel
      title={t('contact360.tasks.heading')}
      action={
        !adding && (
          <Button
            size="xs"
            variant="light"
            onClick={() => {
              setAdding(true);
            }}
          >
            {t('contact360.tasks.new')}
          </Button>
        )
      }
    >
      {adding && (
        <NewTaskForm
          contactId={contactId}
          onDone={() => {
            setAdding(false);
          }}
        />
      )}
      <QueryView
        query={tasks}
        errorTitle={t('contact360.tasks.error')}
        isEmpty={(page) => page.items.length === 0}
        empty={
          <Text size="sm" c="dimmed">
            {t('contact360.tasks.empty')}
          </Text>
        }
      >
        {(page) => (
          <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('contact360.tasks.heading')}>
            {ordered(page.items).map((task) => (
              <TaskItem key={task.id} task={task} />
            ))}
          </Stack>
        )}
      </QueryView>
    </ContactPanel>
  );
}
