import {
  Alert,
  Button,
  CopyButton,
  Group,
  MultiSelect,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { InvitationBatch } from '@/client';
import { problemMessage } from '@/lib/api/problemMessage';

import { useContactSearch } from '../hooks/useContactSearch';
import { useSegments } from '../hooks/useSegments';
import { useInviteContacts } from '../hooks/useInviteContacts';

type Audience = 'contacts' | 'segment';

/** Invite picked contacts, or every member of a saved segment, by personal link. */
export function InviteContacts({ surveyId }: { surveyId: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [picked, setPicked] = useState<{ value: string; label: string }[]>([]);
  const [batch, setBatch] = useState<InvitationBatch | null>(null);
  const [audience, setAudience] = useState<Audience>('contacts');
  const [segmentId, setSegmentId] = useState<string | null>(null);
  const contacts = useContactSearch(debounced);
  const segments = useSegments(audience === 'segment');
  const invite = useInviteContacts();

  const options = [
    ...picked,
    ...(contacts.data ?? [])
      .filter((contact) => !picked.some((chosen) => chosen.value === contact.id))
      .map((contact) => ({
        value: contact.id,
        label: `${contact.first_name} ${contact.last_name}${contact.email ? ` <${contact.email}>` : ''}`,
      })),
  ];
  const labelOf = (id: string) => options.find((option) => option.value === id)?.label ?? id;

  const handleInvite = () => {
    const who =
      audience === 'segment' ? { segment_id: segmentId } : { contact_ids: picked.map((chosen) => chosen.value) };
    invite.mutate(
      { path: { survey_id: surveyId }, body: { ...who, channel: 'link' } },
      {
        onSuccess: (result) => {
          setBatch(result);
          setPicked([]);
          setSegmentId(null);
        },
      },
    );
  };
  const ready = audience === 'segment' ? segmentId !== null : picked.length > 0;

  return (
    <Paper withBorder p="md" component="section" aria-label={t('surveys.invite.title')}>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('surveys.invite.title')}
        </Title>
        <SegmentedControl
          aria-label={t('surveys.invite.audience')}
          value={audience}
          onChange={(value) => {
            setAudience(value === 'segment' ? 'segment' : 'contacts');
          }}
          data={[
            { value: 'contacts', label: t('surveys.invite.pickContacts') },
            { value: 'segment', label: t('surveys.invite.segment') },
          ]}
        />
        {audience === 'segment' ? (
          <Select
            label={t('surveys.invite.segmentLabel')}
            description={t('surveys.invite.segmentHint')}
            placeholder={segments.isPending ? t('common.loading') : t('surveys.invite.segmentPlaceholder')}
            data={(segments.data ?? []).map((segment) => ({
              value: segment.id,
              label: t('surveys.invite.segmentOption', { name: segment.name, count: segment.members }),
            }))}
            value={segmentId}
            onChange={setSegmentId}
            searchable
            nothingFoundMessage={t('surveys.invite.noSegments')}
            error={segments.isError ? problemMessage(segments.error, t('common.unexpectedError')) : undefined}
          />
        ) : (
          <MultiSelect
            label={t('surveys.invite.contacts')}
            description={t('surveys.invite.hint')}
            placeholder={t('surveys.invite.placeholder')}
            searchable
            searchValue={search}
            onSearchChange={setSearch}
            // The server searched already; the list shows what it found.
            filter={({ options: found }) => found}
            data={options}
            value={picked.map((chosen) => chosen.value)}
            onChange={(ids) => {
              setPicked(ids.map((id) => ({ value: id, label: labelOf(id) })));
            }}
            nothingFoundMessage={t('surveys.invite.nothingFound')}
          />
        )}
        {invite.isError && (
          <Alert color="red" role="alert">
            {problemMessage(invite.error, t('common.unexpectedError'))}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button onClick={handleInvite} disabled={!ready} loading={invite.isPending}>
            {audience === 'segment'
              ? t('surveys.invite.submitSegment')
              : t('surveys.invite.submit', { count: picked.length })}
          </Button>
        </Group>
        {batch && (
          <Stack gap="xs" role="status">
            <Text size="sm" fw={500}>
              {t('surveys.invite.done', { count: batch.items.length })}
              {batch.skipped.length > 0 && ` ${t('surveys.invite.skipped', { count: batch.skipped.length })}`}
            </Text>
            {batch.items.map((invitation) => (
              <Group key={invitation.id} gap="xs" wrap="nowrap">
                <Text size="sm" ff="monospace" truncate="end" style={{ flex: 1 }}>
                  <a href={invitation.url} target="_blank" rel="noreferrer">
                    {invitation.url}
                  </a>
                </Text>
                <CopyButton value={invitation.url}>
                  {({ copied, copy }) => (
                    <Button size="compact-xs" variant="subtle" onClick={copy}>
                      {copied ? t('surveys.invite.copied') : t('surveys.invite.copy')}
                    </Button>
                  )}
                </CopyButton>
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
