import { Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { CaseRead } from '@/client';
import { useFormatters } from '@/i18n/useFormatters';
import { ContactLink } from '@/modules/contacts/components/ContactLink';
import { CaseActions } from '@/modules/surveys/components/CaseActions';
import { CaseStatusBadge } from '@/modules/surveys/components/CaseStatusBadge';

import { isOverdue } from '../utils/byDueDate';

export function CaseRow({ feedbackCase, userId }: { feedbackCase: CaseRead; userId: string | undefined }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const overdue = isOverdue(feedbackCase.due_at);

  return (
    <Group component="li" justify="space-between" align="flex-start" py="xs" gap="sm">
      <Stack gap={2}>
        <Group gap="xs">
          <ContactLink contactId={feedbackCase.contact_id} />
          <CaseStatusBadge status={feedbackCase.status} />
        </Group>
        <Group gap="xs">
          <Text size="sm" c={overdue ? 'red.8' : 'dimmed'}>
            {t('today.due', { date: format.dateTime(feedbackCase.due_at) })}
          </Text>
          {overdue && (
            <Badge color="red" size="sm" variant="light">
              {t('today.overdue')}
            </Badge>
          )}
        </Group>
      </Stack>
      <CaseActions feedbackCase={feedbackCase} userId={userId} />
    </Group>
  );
}
