import { Badge, Divider, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { ContactRead, CustomFieldRead } from '@/client';
import { customFieldsListCustomFieldsOptions } from '@/client/@tanstack/react-query.gen';
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

type Formatters = ReturnType<typeof useFormatters>;

/** A custom field's value as its type reads: dates and numbers in the user's locale, yes/no. */
function customValue(value: unknown, type: string | undefined, format: Formatters, yesNo: [string, string]): string {
  if (typeof value === 'boolean') return value ? yesNo[0] : yesNo[1];
  if (typeof value === 'number') return format.number(value);
  if (typeof value === 'string') return type === 'date' ? format.date(value) : value;
  return JSON.stringify(value);
}

/** Defined fields in their order first, then values whose definition is gone (by key). */
function customRows(values: Record<string, unknown>, definitions: CustomFieldRead[]) {
  const defined = definitions
    .filter((definition) => values[definition.key] !== undefined && values[definition.key] !== null)
    .map((definition) => ({ key: definition.key, label: definition.label, type: definition.type, value: values[definition.key] }));
  const known = new Set(definitions.map((definition) => definition.key));
  const orphans = Object.entries(values)
    .filter(([key, value]) => !known.has(key) && value !== null)
    .map(([key, value]) => ({ key, label: key, type: undefined, value }));
  return [...defined, ...orphans];
}

export function ContactProfile({ contact }: ContactProfileProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const definitions = useQuery(customFieldsListCustomFieldsOptions());
  const none = t('common.none');
  const custom = customRows(contact.custom_fields, definitions.data?.items ?? []);
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
        <Divider label={t('contact360.customFields')} labelPosition="left" />
        {custom.length === 0 ? (
          <Text size="xs" c="dimmed">
            {t('contact360.customFieldsEmpty')}
          </Text>
        ) : (
          custom.map((field) => (
            <Row key={field.key} label={field.label}>
              {customValue(field.value, field.type, format, [t('contact360.yes'), t('contact360.no')])}
            </Row>
          ))
        )}
      </Stack>
    </Paper>
  );
}
