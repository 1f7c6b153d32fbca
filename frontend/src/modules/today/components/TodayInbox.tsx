import { Badge, Group, Paper, SegmentedControl, SimpleGrid, Stack, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { useFormatters } from '@/i18n/useFormatters';
import { problemMessage } from '@/lib/api/problemMessage';
import { useCurrentUser } from '@/modules/auth/hooks/useCurrentUser';
import { EmptyState } from '@/ui/EmptyState';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { useInboxCases } from '../hooks/useInboxCases';
import { useInboxTasks } from '../hooks/useInboxTasks';
import type { InboxScope } from '../types/InboxScope';
import { CaseRow } from './CaseRow';
import { TaskRow } from './TaskRow';

/** "My work today" (F3): open tasks and unresolved feedback cases, soonest due (overdue) first. */
export function TodayInbox() {
  const { t } = useTranslation();
  const format = useFormatters();
  const user = useCurrentUser();
  const userId = user.data?.id;
  const [scope, setScope] = useState<InboxScope>('mine');
  const tasks = useInboxTasks(scope, userId);
  const cases = useInboxCases(scope, userId);

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('today.title')} · {format.date(new Date().toISOString())}
        </Title>
        <SegmentedControl
          aria-label={t('today.scope')}
          value={scope}
          onChange={(value) => {
            setScope(value === 'unassigned' ? 'unassigned' : 'mine');
          }}
          data={[
            { value: 'mine', label: t('today.mine') },
            { value: 'unassigned', label: t('today.unassigned') },
          ]}
        />
      </Group>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Section title={t('today.tasks')} count={tasks.data?.length}>
          {tasks.isPending ? (
            <LoadingState label={t('common.loading')} />
          ) : tasks.isError ? (
            <ErrorState
              title={t('today.tasksError')}
              text={problemMessage(tasks.error, t('common.unexpectedError'))}
              retryLabel={t('common.retry')}
              onRetry={() => void tasks.refetch()}
            />
          ) : tasks.data.length === 0 ? (
            <EmptyState
              title={t(scope === 'mine' ? 'today.noTasks' : 'today.noFreeTasks')}
              text={t(scope === 'mine' ? 'today.noTasksHint' : 'today.noFreeHint')}
            />
          ) : (
            <List label={t('today.tasks')}>
              {tasks.data.map((task) => (
                <TaskRow key={task.id} task={task} userId={userId} />
              ))}
            </List>
          )}
        </Section>
        <Section title={t('today.cases')} count={cases.data?.length}>
          {cases.error ? (
            <ErrorState
              title={t('today.casesError')}
              text={problemMessage(cases.error, t('common.unexpectedError'))}
              retryLabel={t('common.retry')}
              onRetry={() => void cases.refetch()}
            />
          ) : !cases.data ? (
            <LoadingState label={t('common.loading')} />
          ) : cases.data.length === 0 ? (
            <EmptyState
              title={t(scope === 'mine' ? 'today.noCases' : 'today.noFreeCases')}
              text={t(scope === 'mine' ? 'today.noCasesHint' : 'today.noFreeHint')}
            />
          ) : (
            <List label={t('today.cases')}>
              {cases.data.map((feedbackCase) => (
                <CaseRow key={feedbackCase.id} feedbackCase={feedbackCase} userId={userId} />
              ))}
            </List>
          )}
        </Section>
      </SimpleGrid>
    </Stack>
  );
}

function Section({ title, count, children }: { title: string; count: number | undefined; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Group gap="xs" mb="xs">
        <Title order={2} size="h4">
          {title}
        </Title>
        {count !== undefined && (
          <Badge variant="light" color="gray">
            {count}
          </Badge>
        )}
      </Group>
      {children}
    </Paper>
  );
}

function List({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack component="ul" gap={0} aria-label={label} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {children}
    </Stack>
  );
}
