import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Paper, Select, SimpleGrid, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { showProblemInForm } from '@/lib/api/formErrors';
import { FormErrors } from '@/ui/FormErrors';

import { useLogInteraction } from '../hooks/useLogInteraction';
import type { InteractionFormValues } from '../types/InteractionFormValues';
import { interactionFormSchema } from '../utils/interactionFormSchema';
import { toInteractionCreate } from '../utils/toInteractionCreate';

export type LogInteractionFormProps = {
  contactId: string;
};

const FIELDS = ['kind', 'direction', 'sentiment', 'subject', 'body', 'occurred_at'] as const satisfies readonly (keyof InteractionFormValues)[];
const KINDS = ['call', 'email', 'meeting', 'note', 'ticket', 'chat'] as const;
const EMPTY: InteractionFormValues = { kind: 'call', direction: '', sentiment: '', subject: '', body: '', occurred_at: '' };

export function LogInteractionForm({ contactId }: LogInteractionFormProps) {
  const { t } = useTranslation();
  const schema = useMemo(() => interactionFormSchema(t), [t]);
  const logInteraction = useLogInteraction();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const {
    control,
    register,
    handleSubmit,
    reset,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<InteractionFormValues>({ resolver: zodResolver(schema), defaultValues: EMPTY });

  const handleValidSubmit = async (values: InteractionFormValues) => {
    setFormErrors([]);
    try {
      await logInteraction.mutateAsync({ path: { contact_id: contactId }, body: toInteractionCreate(values) });
      reset(EMPTY);
      notifications.show({ color: 'teal', message: t('interaction.logged') });
    } catch (error) {
      setFormErrors(showProblemInForm(error, FIELDS, setError, t, t('common.unexpectedError')));
    }
  };

  const choice = (value: string, label: string) => ({ value, label });
  return (
    <Paper withBorder p="md">
      <form noValidate onSubmit={(event) => void handleSubmit(handleValidSubmit)(event)} aria-label={t('interaction.title')}>
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('interaction.title')}
          </Title>
          <FormErrors messages={formErrors} />
          <SimpleGrid cols={{ base: 1, sm: 4 }} spacing="sm">
            <Controller
              control={control}
              name="kind"
              render={({ field, fieldState }) => (
                <Select
                  label={t('interaction.kind')}
                  data={KINDS.map((kind) => choice(kind, t(`contact.interactionKinds.${kind}`)))}
                  value={field.value}
                  onChange={(value) => {
                    if (value) field.onChange(value);
                  }}
                  allowDeselect={false}
                  error={fieldState.error?.message}
                />
              )}
            />
            <Controller
              control={control}
              name="direction"
              render={({ field, fieldState }) => (
                <Select
                  label={t('interaction.direction')}
                  data={[
                    choice('', t('interaction.noChoice')),
                    choice('inbound', t('contact.directions.inbound')),
                    choice('outbound', t('contact.directions.outbound')),
                  ]}
                  value={field.value}
                  onChange={(value) => {
                    field.onChange(value ?? '');
                  }}
                  allowDeselect={false}
                  error={fieldState.error?.message}
                />
              )}
            />
            <Controller
              control={control}
              name="sentiment"
              render={({ field, fieldState }) => (
                <Select
                  label={t('interaction.sentiment')}
                  data={[
                    choice('', t('interaction.noChoice')),
                    choice('positive', t('contact.sentiments.positive')),
                    choice('neutral', t('contact.sentiments.neutral')),
                    choice('negative', t('contact.sentiments.negative')),
                  ]}
                  value={field.value}
                  onChange={(value) => {
                    field.onChange(value ?? '');
                  }}
                  allowDeselect={false}
                  error={fieldState.error?.message}
                />
              )}
            />
            <TextInput
              label={t('interaction.occurredAt')}
              description={t('interaction.occurredAtHint')}
              type="datetime-local"
              {...register('occurred_at')}
              error={errors.occurred_at?.message}
            />
          </SimpleGrid>
          <TextInput label={t('interaction.subject')} {...register('subject')} error={errors.subject?.message} />
          <Textarea label={t('interaction.body')} autosize minRows={2} maxRows={8} {...register('body')} error={errors.body?.message} />
          <Group justify="flex-end">
            <Button type="submit" loading={isSubmitting}>
              {t('interaction.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
