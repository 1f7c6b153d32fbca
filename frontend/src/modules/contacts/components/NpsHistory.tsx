import { Badge, Button, Center, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useFormatters } from '@/i18n/useFormatters';
import { QueryView } from '@/ui/QueryView';

import { useContactNpsResponses } from '../hooks/useContactNpsResponses';
import { ContactPanel } from './ContactPanel';

export type NpsHistoryProps = {
  contactId: string;
};

const CATEGORY_COLORS: Record<string, string> = { promoter: 'teal', passive: 'yellow', detractor: 'red' };
const CATEGORIES = ['promoter', 'passive', 'detractor'] as const;

/** The contact's NPS answers to every survey, newest first, from survey-service; more on demand. */
export function NpsHistory({ contactId }: NpsHistoryProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const answers = useContactNpsResponses(contactId);

  return (
    <ContactPanel title={t('contact360.nps.title')}>
      <QueryView
        query={answers}
        errorTitle={t('contact360.nps.error')}
        isEmpty={(responses) => responses.length === 0}
        empty={
          <Text size="sm" c="dimmed">
            {t('contact360.nps.empty')}
          </Text>
        }
      >
        {(responses) => (
          <Stack gap="xs">
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
                        <Text size="xs" c="dimmed">
                          {response.survey_name}
                        </Text>
                      </Group>
                      <Text size="xs" c="dimmed">
                        {format.date(response.responded_at)}
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
            {answers.hasNextPage && (
              <Center>
                <Button variant="subtle" size="xs" loading={answers.isFetchingNextPage} onClick={() => void answers.fetchNextPage()}>
                  {t('common.loadMore')}
                </Button>
              </Center>
            )}
          </Stack>
        )}
      </QueryView>
    </ContactPanel>
  );
}
