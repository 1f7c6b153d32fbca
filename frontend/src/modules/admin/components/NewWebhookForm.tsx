import { MultiSelect, Stack, TextInput, Textarea } from '@mantine/core';
import { type SyntheticEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { EventType, WebhookCreated } from '@/client';
import { zEventType } from '@/client/zod.gen';
import { ModalFormFooter } from '@/ui/ModalFormFooter';

import { useCreateWebhook } from '../hooks/useWebhooks';
import { useServerErrors } from '../hooks/useServerErrors';
import { FormErrors } from './FormErrors';

const FIELDS = ['url', 'event_types', 'description'] as const;

export type NewWebhookFormProps = {
  onCreated: (webhook: WebhookCreated) => void;
  onCancel: () => void;
};

export function NewWebhookForm({ onCreated, onCancel }: NewWebhookFormProps) {
  const { t } = useTranslation();
  const createWebhook = useCreateWebhook();
  const errors = useServerErrors(FIELDS);
  const [url, setUrl] = useState('');
  const [eventTypes, setEventTypes] = useState<EventType[]>([]);
  const [description, setDescription] = useState('');

  const handleSubmit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    errors.clear();
    const missing = {
      ...(url.trim() ? {} : { url: t('admin.webhooks.urlRequired') }),
      ...(eventTypes.length > 0 ? {} : { event_types: t('admin.webhooks.eventTypesRequired') }),
    };
    if (Object.keys(missing).length > 0) {
      errors.setFieldErrors(missing);
      return;
    }
    try {
      onCreated(await createWebhook.mutateAsync({ body: { url: url.trim(), event_types: eventTypes, description } }));
    } catch (error) {
      errors.show(error);
    }
  };

  return (
    <form noValidate onSubmit={(event) => void handleSubmit(event)}>
      <Stack gap="sm">
        <FormErrors errors={errors.formErrors} />
        <TextInput
          label={t('admin.webhooks.url')}
          withAsterisk
          type="url"
          placeholder="https://"
          value={url}
          onChange={(event) => {
            setUrl(event.currentTarget.value);
          }}
          error={errors.fieldErrors.url}
        />
        <MultiSelect
          label={t('admin.webhooks.eventTypes')}
          withAsterisk
          data={zEventType.options}
          value={eventTypes}
          onChange={(values) => {
            setEventTypes(zEventType.options.filter((known) => values.includes(known)));
          }}
          error={errors.fieldErrors.event_types}
          comboboxProps={{ withinPortal: false }}
        />
        <Textarea
          label={t('admin.webhooks.description')}
          rows={2}
          value={description}
          onChange={(event) => {
            setDescription(event.currentTarget.value);
          }}
          error={errors.fieldErrors.description}
        />
        <ModalFormFooter submitLabel={t('admin.webhooks.create')} loading={createWebhook.isPending} onCancel={onCancel} />
      </Stack>
    </form>
  );
}
