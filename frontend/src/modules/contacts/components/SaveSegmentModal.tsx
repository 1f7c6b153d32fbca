import { Alert, Button, Group, List, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { problemMessage } from '@/lib/api/problemMessage';

import { useSaveSegment } from '../hooks/useSaveSegment';
import type { ContactsSearch } from '../types/ContactsSearch';
import { toSegmentFilters } from '../utils/toSegmentFilters';

export type SaveSegmentModalProps = {
  search: ContactsSearch;
  onClose: () => void;
  onSaved: (segmentId: string) => void;
};

/** Saves the list's stage and tag filters as a named segment (analytics evaluates its members). */
export function SaveSegmentModal({ search, onClose, onSaved }: SaveSegmentModalProps) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const save = useSaveSegment();
  const filters = toSegmentFilters(search);

  const handleSave = () => {
    if (!filters) return;
    save.mutate(
      { body: { name: name.trim(), description: description.trim() || null, filters } },
      {
        onSuccess: (segment) => {
          notifications.show({
            color: 'teal',
            message: t('contacts.segments.saved', { name: segment.name, count: segment.members }),
          });
          onSaved(segment.id);
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t('contacts.segments.saveTitle')}>
      <Stack gap="sm">
        <Text size="sm">{t('contacts.segments.saveIntro')}</Text>
        <List size="sm">
          {search.stage && <List.Item>{t('contacts.segments.stageIs', { stage: t(`contacts.stages.${search.stage}`) })}</List.Item>}
          {search.tag && <List.Item>{t('contacts.segments.tagIs', { tag: search.tag })}</List.Item>}
        </List>
        {search.q && (
          <Alert color="yellow">{t('contacts.segments.searchNotSaved', { q: search.q })}</Alert>
        )}
        <TextInput
          label={t('contacts.segments.name')}
          value={name}
          onChange={(event) => {
            setName(event.currentTarget.value);
          }}
          maxLength={100}
          required
          data-autofocus
        />
        <Textarea
          label={t('contacts.segments.description')}
          value={description}
          onChange={(event) => {
            setDescription(event.currentTarget.value);
          }}
          maxLength={2000}
          autosize
          minRows={2}
        />
        {save.isError && (
          <Alert color="red" role="alert">
            {problemMessage(save.error, t('common.unexpectedError'))}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={handleSave} disabled={!filters || name.trim() === ''} loading={save.isPending}>
            {t('contacts.segments.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
