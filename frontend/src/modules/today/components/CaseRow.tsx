import { Group, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { CaseRead } from '@/client';
import { ContactLink } from '@/modules/contacts/components/ContactLink';
import { CaseActions } from '@/modules/surveys/components/CaseActions';
import { CaseAnswer } from '@/modules/surveys/components/CaseAnswer';
import { CaseStatusBadge } from '@/modules/surveys/components/CaseStatusBadge';

import { DueDate } from './DueDate';

export function CaseRow({ feedbackCase, userId }: { feedbackCase: CaseRead; userId: string | undefined }) {
  const { t } = useTranslation();

  return (
    <Group component="li" justify="space-between" align="flex-start" py="xs" gap="sm">
      <Stack gap={4}>
        <Group gap="xs">
          <ContactLink contactId={feedbackCase.contact_id} />
          <CaseStatusBadge status={feedbackCase.status} />
        </Group>
        <CaseAnswer feedbackCase={feedbackCase} />
        <DueDate dueAt={feedbackCase.due_at} label={(date) => t('today.due', { date })} />
      </Stack>
      <CaseActions feedbackCase={feedbackCase} userId={userId} />
    </Group>
  );
}
