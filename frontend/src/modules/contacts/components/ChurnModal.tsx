import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import type { ContactRead } from '@/client';
import { showProblemInForm } from '@/lib/api/formErrors';
import { FormErrors } from '@/ui/FormErrors';

import { useChurnActions } from '../hooks/useChurnActions';
import { churnFormSchema, type ChurnFormValues } from '../utils/churnFormSchema';
import { CHURN_REASONS, knownChurnReason } from '../utils/churnReasons';

export type ChurnModalProps = {
  contact: ContactRead;
  onClose: () => void;
};

const FIELDS = ['reason', 'note', 'churned_at'] as const;

/** Marks the customer as lost; the reason code is mandatory so churn can be analysed by cause. */
export function ChurnModal({ contact, onClose }: ChurnModalProps) {
  const { t } = useTranslation();
  const schema = useMemo(() => churnFormSchema(t), [t]);
  const { churn } = useChurnActions();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const {
    control,
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ChurnFormValues>({ resolver: zodResolver(schema), defaultValues: { reason: '', note: '', churned_at: '' } });

  const handleValidSubmit = async (values: ChurnFormValues) => {
    setFormErrors([]);
    const reason = knownChurnReason(values.reason);
    if (!reason) return;
    try {
      await churn.mutateAsync({
        path: { contact_id: contact.id },
        body: {
          reason,
          note: values.note,
          churned_at: values.churned_at === '' ? null : new Date(values.churned_at).toISOString(),
        },
      });
      onClose();
    } catch (error) {
      setFormErrors(showProblemInForm(error, FIELDS, setError, t, t('common.unexpectedError')));
    }
  };

  return (
    <Modal opened onClose={onClose} title={t('contact360.churn.title', { name: `${contact.first_name} ${contact.last_name}` })}>
      <form noValidate onSubmit={(event) => void handleSubmit(handleValidSubmit)(event)}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('contact360.churn.intro')}
          </Text>
          <FormErrors messages={formErrors} />
          <Controller
            control={control}
            name="reason"
            render={({ field, fieldState }) => (
              <Select
                label={t('contact360.churn.reason')}
                withAsterisk
                placeholder={t('contact360.churn.reasonPlaceholder')}
                data={CHURN_REASONS.map((reason) => ({ value: reason, label: t(`contact360.churn.reasons.${reason}`) }))}
                value={field.value === '' ? null : field.value}
                onChange={(value) => {
                  field.onChange(value ?? '');
                }}
                error={fieldState.error?.message}
              />
            )}
          />
          <Textarea label={t('contact360.churn.note')} withAsterisk autosize minRows={2} {...register('note')} error={errors.note?.message} />
          <TextInput
            label={t('contact360.churn.churnedAt')}
            description={t('contact360.churn.churnedAtHint')}
            type="datetime-local"
            {...register('churned_at')}
            error={errors.churned_at?.message}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={isSubmitting}>
              {t('contact360.churn.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
