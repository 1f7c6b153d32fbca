import { Button, Paper, Stack, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { useFormatters } from '@/i18n/useFormatters';
import { EmptyState } from '@/ui/EmptyState';

/** "My work today": a placeholder until tasks and feedback cases exist (F3). */
export function TodayInbox() {
  const { t } = useTranslation();
  const format = useFormatters();
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        {t('today.title')} · {format.date(new Date().toISOString())}
      </Title>
      <Paper withBorder p="lg">
        <EmptyState
          title={t('today.empty')}
          text={t('today.hint')}
          action={
            <Button component={Link} to="/contacts" variant="light">
              {t('today.toContacts')}
            </Button>
          }
        />
      </Paper>
    </Stack>
  );
}
