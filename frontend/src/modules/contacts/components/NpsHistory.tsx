import { Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { TimelineSurveyResponse } from '@/client';
import { useFormatters } from '@/i18n/useFormatters';

import { useContactTimeline } from '../hooks/useContactTimeline';
import { ContactPanel } from './ContactPanel';
import { QueryView } from './QueryView';

export type NpsHistoryProps = {
  contactId: string;
};

const CATEGORY_COLORS: Record<string, string> = { promoter: 'teal', passive: 'yellow', detractor: 'red' };
const CATEGORIES = ['promoter', 'passive', 'detractor'] as const;

/** The contact's NPS answers, newest first, as the timeline (shared with the Timeline tab) holds them. */
export function NpsHistory({ contactId }: NpsHistoryProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const timeline = useContactTimeline(contactId);

  return (
    <ContactPanel title={t('contact360.nps.title')}>
      <QueryView
        query={{
          ...timeline,
          data: timeline.data?.filter((item): item is TimelineSurveyResponse => item.kind === 'survey_response'),
        }}
        errorTitle={t('contact.timelineError')}
        isEmpty={(responses) => responses.length === 0}
        empty={
          <Text size="sm" c="dimmed">
            {t('contact360.nps.empty')}
          </Text>
        }
      >
        {(responses) => (
          <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('contact360.nps.title')}>
            {responses.map((response) => {
              const category = CATEGORIES.find((candidate) => candidate === response.category);
              return (
                <Stack component="li" key={response.id} gap={2}>
                  <Group justify="space-between" wrap="nowrap">
                    <Group gap="xs">
                      <Badge color={CATEGORY_COLORS[response.category] ?? 'gray'} variant="filled" circle size="lg">
                        {response.score}
                      </Badge>
                      <Text size="sm">{category ? t(`contact360.nps.categories.${category}`) : response.category}</Text>
                    </Group>
                    <Text size="xs" c="dimmed">
                      {format.date(response.occurred_at)}
                    </Text>
                  </Group>
                  {response.comment && (
                    <Text size="xs" c="dimmed" fs="italic">
                      “{response.comment}”
                    </Text>
                  )}
                </Stack>
              );
            })}
          </Stack>
        )}
      </QueryView>
    </ContactPanel>
  );
}
