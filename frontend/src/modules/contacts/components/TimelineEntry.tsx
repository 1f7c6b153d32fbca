import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type {
  TimelineAnalyticsFlag,
  TimelineContract,
  TimelineInteraction,
  TimelineLifecycle,
  TimelineOrder,
  TimelineSurveyResponse,
  TimelineTask,
} from '@/client';
import { useFormatters } from '@/i18n/useFormatters';
import { useTaskTitle } from '@/modules/today/hooks/useTaskTitle';

import { knownDriver } from '../utils/churnDrivers';
import { knownChurnReason } from '../utils/churnReasons';

export type TimelineEntryProps = {
  item:
    | TimelineInteraction
    | TimelineOrder
    | TimelineContract
    | TimelineTask
    | TimelineSurveyResponse
    | TimelineAnalyticsFlag
    | TimelineLifecycle;
};

type EntryRowProps = {
  badge: string;
  color: string;
  occurredAt: string;
  children: ReactNode;
};

const CATEGORY_COLORS: Record<string, string> = { promoter: 'teal', passive: 'yellow', detractor: 'red' };

function EntryRow({ badge, color, occurredAt, children }: EntryRowProps) {
  const format = useFormatters();
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="xs">
          <Badge color={color} variant="light" size="sm">
            {badge}
          </Badge>
          {children}
        </Group>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {format.dateTime(occurredAt)}
        </Text>
      </Group>
    </Paper>
  );
}

const INTERACTION_KINDS = ['call', 'email', 'meeting', 'note', 'ticket', 'chat'] as const;
const DIRECTIONS = ['inbound', 'outbound'] as const;
const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
const SENTIMENT_COLORS = { positive: 'teal', neutral: 'gray', negative: 'red' } as const;

function useAnalyticsFlagText(): (item: TimelineAnalyticsFlag) => string {
  const { t } = useTranslation();
  const format = useFormatters();
  return (item) => {
    if (item.flag === 'abc_class') {
      // A first classification is no change from a class, and a class can also be dropped.
      if (!item.previous_class) return t('contact.abcClassFirst', { current: item.current_class ?? t('common.none') });
      if (!item.current_class) return t('contact.abcClassDropped', { previous: item.previous_class });
      return t('contact.abcClassChange', { previous: item.previous_class, current: item.current_class });
    }
    const percent = format.percent(item.score ?? 0);
    const drivers = (item.drivers ?? []).map((driver) => {
      const known = knownDriver(driver);
      return known ? t(`contact.flagDrivers.${known}`) : driver;
    });
    return drivers.length === 0
      ? t('contact.churnRiskRose', { percent })
      : t('contact.churnRiskRoseBecause', { percent, drivers: drivers.join(', ') });
  };
}

function useLifecycleText(): (item: TimelineLifecycle) => string {
  const { t } = useTranslation();
  return (item) => {
    if (item.change === 'won_back') {
      return t('contact.wonBack');
    }
    const known = knownChurnReason(item.reason);
    // The churn dialog's words for the reason codes.
    const reason = known ? t(`contact360.churn.reasons.${known}`) : (item.reason ?? t('common.none'));
    return item.note ? t('contact.churnedWithNote', { reason, note: item.note }) : t('contact.churned', { reason });
  };
}

function known<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.find((candidate) => candidate === value);
}

export function TimelineEntry({ item }: TimelineEntryProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const taskTitle = useTaskTitle();
  const flagText = useAnalyticsFlagText();
  const lifecycleText = useLifecycleText();

  if (item.kind === 'analytics_flag') {
    return (
      <EntryRow
        badge={t('contact.flagBadge')}
        color={item.flag === 'churn_risk' ? 'red' : 'blue'}
        occurredAt={item.occurred_at}
      >
        <Text size="sm">{flagText(item)}</Text>
      </EntryRow>
    );
  }
  if (item.kind === 'lifecycle') {
    return (
      <EntryRow
        badge={t('contact.lifecycleBadge')}
        color={item.change === 'churned' ? 'red' : 'teal'}
        occurredAt={item.occurred_at}
      >
        <Text size="sm" fw={500}>
          {lifecycleText(item)}
        </Text>
      </EntryRow>
    );
  }
  if (item.kind === 'contract') {
    return (
      <EntryRow badge={t('contact.contractBadge')} color="indigo" occurredAt={item.occurred_at}>
        <Text size="sm">
          {t('contact.contractPeriod', {
            start: format.date(item.start_date),
            end: format.date(item.end_date),
            value: format.money(item.monthly_value, item.currency),
          })}
        </Text>
      </EntryRow>
    );
  }
  if (item.kind === 'task') {
    return (
      <EntryRow badge={t('contact.taskBadge')} color="orange" occurredAt={item.occurred_at}>
        <Text size="sm" fw={500}>
          {taskTitle(item)}
        </Text>
        <Text size="xs" c="dimmed">
          {item.status === 'done' ? t('contact.taskDone') : t('contact.taskDue', { due: format.date(item.due_at) })}
        </Text>
      </EntryRow>
    );
  }
  if (item.kind === 'survey_response') {
    return (
      <EntryRow
        badge={t('contact.responseBadge')}
        color={CATEGORY_COLORS[item.category] ?? 'gray'}
        occurredAt={item.occurred_at}
      >
        <Text size="sm" fw={500}>
          {t('contact.responseScore', { score: item.score })}
        </Text>
        {item.comment && (
          <Text size="sm" c="dimmed" lineClamp={1}>
            {item.comment}
          </Text>
        )}
      </EntryRow>
    );
  }
  if (item.kind === 'order') {
    return (
      <Paper withBorder p="sm">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Badge color="grape" variant="light" size="sm">
              {t('contact.orderBadge')}
            </Badge>
            <Text size="sm" fw={500}>
              {t('contact.order', { id: item.external_id ?? item.id.slice(0, 8) })}
            </Text>
            <Text size="sm" c="dimmed">
              {t('contact.orderLines', { count: item.line_count })}
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            <Text size="sm" fw={600}>
              {format.money(item.revenue, item.currency)}
            </Text>
            <Text size="xs" c="dimmed">
              {format.dateTime(item.occurred_at)}
            </Text>
          </Group>
        </Group>
      </Paper>
    );
  }

  const kind = known(INTERACTION_KINDS, item.interaction_kind);
  const direction = known(DIRECTIONS, item.direction);
  const sentiment = known(SENTIMENTS, item.sentiment);
  return (
    <Paper withBorder p="sm">
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Badge variant="light" size="sm">
              {kind ? t(`contact.interactionKinds.${kind}`) : item.interaction_kind}
            </Badge>
            {direction && (
              <Text size="xs" c="dimmed">
                {t(`contact.directions.${direction}`)}
              </Text>
            )}
            {sentiment && (
              <Badge variant="dot" color={SENTIMENT_COLORS[sentiment]} size="sm">
                {t(`contact.sentiments.${sentiment}`)}
              </Badge>
            )}
            {item.subject && (
              <Text size="sm" fw={500}>
                {item.subject}
              </Text>
            )}
          </Group>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {format.dateTime(item.occurred_at)}
          </Text>
        </Group>
        {item.body && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} lineClamp={6}>
            {item.body}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
