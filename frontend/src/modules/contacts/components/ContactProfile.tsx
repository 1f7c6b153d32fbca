import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { ContactRead } from '@/client';
import { useFormatters } from '@/i18n/useFormatters';

export type ContactProfileProps = {
  contact: ContactRead;
};

type RowProps = { label: string; children: ReactNode };

function Row({ label, children }: RowProps) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm" ta="right" style={{ wordBreak: 'break-word' }}>
        {children}
      </Text>
    </Group>
  );
}

export function ContactProfile({ contact }: ContactProfileProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const none = t('common.none');
  const consent = contact.marketing_consent
    ? contact.marketing_consent_at
      ? t('contact.consentGiven', { date: format.date(contact.marketing_consent_at) })
      : t('contact.consentGivenUndated')
    : t('contact.consentMissing');

  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('contact.profile')}
        </Title>
        <Row label={t('contact.email')}>{contact.email ?? none}</Row>
        <Row label={t('contact.phone')}>{contact.phone ?? none}</Row>
        <Row label={t('contact.company')}>{contact.company ?? none}</Row>
        <Row label={t('contact.language')}>{contact.language.toUpperCase()}</Row>
        <Row label={t('contact.consent')}>{consent}</Row>
        <Row label={t('contact.channel')}>{contact.acquisition_channel ?? none}</Row>
        <Row label={t('contact.createdAt')}>{format.date(contact.created_at)}</Row>
        <Row label={t('contact.tags')}>
          {contact.tags.length === 0
            ? none
            : contact.tags.map((tag) => (
                <Badge key={tag} variant="outline" size="sm" mr={4}>
                  {tag}
                </Badge>
              ))}
        </Row>
      </Stack>
    </Paper>
  );
}
