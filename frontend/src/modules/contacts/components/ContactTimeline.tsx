import { Button, Center, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { problemMessage } from '@/lib/api/problemMessage';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { useContactTimeline } from '../hooks/useContactTimeline';
import { TimelineEntry } from './TimelineEntry';

export type ContactTimelineProps = {
  contactId: string;
};

export function ContactTimeline({ contactId }: ContactTimelineProps) {
  const { t } = useTranslation();
  const timeline = useContactTimeline(contactId);

  if (timeline.isPending) {
    return <LoadingState label={t('common.loading')} />;
  }
  if (timeline.isError) {
    return (
      <ErrorState
        title={t('contact.timelineError')}
        text={problemMessage(timeline.error, t('common.unexpectedError'))}
        retryLabel={t('common.retry')}
        onRetry={() => void timeline.refetch()}
      />
    );
  }
  if (timeline.data.length === 0) {
    return (
      <Text c="dimmed" size="sm" ta="center" py="lg">
        {t('contact.timelineEmpty')}
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      {timeline.data.map((item) => (
        <TimelineEntry key={`${item.kind}-${item.id}`} item={item} />
      ))}
      {timeline.hasNextPage && (
        <Center>
          <Button variant="subtle" loading={timeline.isFetchingNextPage} onClick={() => void timeline.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </Center>
      )}
    </Stack>
  );
}
