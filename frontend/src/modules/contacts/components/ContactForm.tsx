import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Checkbox, Group, Select, SimpleGrid, Stack, TagsInput, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import type { ContactRead } from '@/client';
import { mapProblemToFields } from '@/lib/api/mapProblemToFields';

import { useCreateContact } from '../hooks/useCreateContact';
import type { ContactFormValues } from '../types/ContactFormValues';
import { contactFormSchema } from '../utils/contactFormSchema';
import { LIFECYCLE_STAGES } from '../utils/lifecycleStages';
import { toContactCreate } from '../utils/toContactCreate';

export type ContactFormProps = {
  onCreated: (contact: ContactRead) => void;
  onCancel: () => void;
};

const FIELDS = [
  'first_name',
  'last_name',
  'email',
  'phone',
  'company',
  'lifecycle_stage',
  'language',
  'tags',
  'marketing_consent',
] as const satisfies readonly (keyof ContactFormValues)[];

export function ContactForm({ onCreated, onCancel }: ContactFormProps) {
  const { t, i18n } = useTranslation();
  const schema = useMemo(() => contactFormSchema(t), [t]);
  const createContact = useCreateContact();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const {
    control,
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ContactFormValues>({
    resolver: zodResolver(schema),
    defaultValues: {
      first_name: '',
      last_name: '',
      email: '',
      phone: '',
      company: '',
      lifecycle_stage: 'lead',
      language: i18n.language === 'en' ? 'en' : 'de',
      tags: [],
      marketing_consent: false,
    },
  });

  const handleValidSubmit = async (values: ContactFormValues) => {
    setFormErrors([]);
    try {
      onCreated(await createContact.mutateAsync({ body: toContactCreate(values) }));
    } catch (error) {
      const { fieldErrors, formErrors: unplaced } = mapProblemToFields(error, FIELDS);
      for (const [field, message] of Object.entries(fieldErrors)) {
        setError(field as keyof ContactFormValues, { type: 'server', message }, { shouldFocus: true });
      }
      setFormErrors(unplaced.length > 0 || Object.keys(fieldErrors).length > 0 ? unplaced : [t('common.unexpectedError')]);
    }
  };

  return (
    <form noValidate onSubmit={(event) => void handleSubmit(handleValidSubmit)(event)}>
      <Stack gap="sm">
        {formErrors.length > 0 && (
          <Alert color="red" role="alert">
            {formErrors.join(' · ')}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label={t('contacts.form.firstName')}
            withAsterisk
            autoFocus
            {...register('first_name')}
            error={errors.first_name?.message}
          />
          <TextInput
            label={t('contacts.form.lastName')}
            withAsterisk
            {...register('last_name')}
            error={errors.last_name?.message}
          />
          <TextInput
            label={t('contacts.form.email')}
            type="email"
            {...register('email')}
            error={errors.email?.message}
          />
          <TextInput label={t('contacts.form.phone')} type="tel" {...register('phone')} error={errors.phone?.message} />
          <TextInput label={t('contacts.form.company')} {...register('company')} error={errors.company?.message} />
          <Controller
            control={control}
            name="lifecycle_stage"
            render={({ field, fieldState }) => (
              <Select
                label={t('contacts.form.stage')}
                data={LIFECYCLE_STAGES.map((stage) => ({ value: stage, label: t(`contacts.stages.${stage}`) }))}
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
            name="language"
            render={({ field, fieldState }) => (
              <Select
                label={t('contacts.form.language')}
                data={[
                  { value: 'de', label: t('language.de') },
                  { value: 'en', label: t('language.en') },
                ]}
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
            name="tags"
            render={({ field, fieldState }) => (
              <TagsInput
                label={t('contacts.form.tags')}
                description={t('contacts.form.tagsHint')}
                value={field.value}
                onChange={field.onChange}
                error={fieldState.error?.message}
              />
            )}
          />
        </SimpleGrid>
        <Controller
          control={control}
          name="marketing_consent"
          render={({ field }) => (
            <Checkbox
              label={t('contacts.form.consent')}
              checked={field.value}
              onChange={(event) => {
                field.onChange(event.currentTarget.checked);
              }}
            />
          )}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={isSubmitting}>
            {t('contacts.form.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
