import { Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { CaseRead } from '@/client';

/** What the customer answered: the score, the "why?" and the survey, read before calling back. */
export function CaseAnswer({ feedbackCase }: { feedbackCase: CaseRead }) {
  const { t } = useTranslation();
  const { score, comment, survey_name: surveyName } = feedbackCase;
  if (score === null) {
    return (
      <Text size="sm" c="dimmed">
        {t('cases.answerErased')}
      </Text>
    );
  }
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Badge color="red" variant="light" aria-label={t('cases.scoreLabel', { score })}>
        {score}
      </Badge>
      <Stack gap={0}>
        {comment ? (
          <Text size="sm" lineClamp={2} title={comment}>
            {t('cases.quoted', { comment })}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t('cases.noComment')}
          </Text>
        )}
        {surveyName && (
          <Text size="xs" c="dimmed">
            {surveyName}
          </Text>
        )}
      </Stack>
    </Group>
  );
}
