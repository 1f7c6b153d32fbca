import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Checkbox, Divider, Group, Select, SimpleGrid, Stack, TagsInput, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Controller, type FieldPath, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import type { ContactRead, CustomFieldRead } from '@/client';
import { showProblemInForm } from '@/lib/api/formErrors';
import { FormErrors } from '@/ui/FormErrors';
import { LoadingState } from '@/ui/LoadingState';

import { useCreateContact } from '../hooks/useCreateContact';
import { useCustomFieldDefinitions } from '../hooks/useCustomFieldDefinitions';
import { useUpdateContact } from '../hooks/useUpdateContact';
import type { ContactFormValues } from '../types/ContactFormValues';
import { contactFormSchema } from '../utils/contactFormSchema';
import { toCustomFieldFormValues } from '../utils/customFieldValues';
import { LIFECYCLE_STAGES } from '../utils/lifecycleStages';
import { toContactCreate } from '../utils/toContactCreate';
import { toContactFormValues } from '../utils/toContactFormValues';
import { CustomFieldInput } from './CustomFieldInput';

export type ContactFormProps = {
  /** The contact to edit (PATCH); without it the form creates one. */
  contact?: ContactRead;
  onSaved: (contact: ContactRead) => void;
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

/** The custom fields' definitions first: the form's inputs and starting values come from them. */
export function ContactForm(props: ContactFormProps) {
  const { t } = useTranslation();
  const definitions = useCustomFieldDefinitions();
  if (definitions.isPending) {
    return <LoadingState label={t('common.loading')} />;
  }
  return <ContactFormFields {...props} customFields={definitions.data} />;
}

type ContactFormFieldsProps = ContactFormProps & {
  /** The definitions; undefined when they could not be loaded (the rest of the form still works). */
  customFields: CustomFieldRead[] | undefined;
};

function ContactFormFields({ contact, onSaved, onCancel, customFields }: ContactFormFieldsProps) {
  const { t, i18n } = useTranslation();
  const schema = useMemo(() => contactFormSchema(t), [t]);
  const createContact = useCreateContact();
  const updateContact = useUpdateContact();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const churned = contact?.lifecycle_stage === 'churned';
  const {
    control,
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting, dirtyFields },
  } = useForm<ContactFormValues>({
    resolver: zodResolver(schema),
    defaultValues: contact ? toContactFormValues(contact, customFields ?? []) : {
      first_name: '',
      last_name: '',
      email: '',
      phone: '',
      company: '',
      lifecycle_stage: 'lead',
      language: i18n.language === 'en' ? 'en' : 'de',
      tags: [],
      marketing_consent: false,
      custom_fields: toCustomFieldFormValues(customFields ?? []),
    },
  });
  const fields = useMemo(
    () => [
      ...FIELDS,
      ...(customFields ?? []).map((definition): FieldPath<ContactFormValues> => `custom_fields.${definition.key}`),
    ],
    [customFields],
  );

  const handleValidSubmit = async (values: ContactFormValues) => {
    setFormErrors([]);
    // The API replaces all custom fields at once: an edit that left them alone does not send
    // them, so values of fields defined no more are kept.
    const customTouched = Object.values(dirtyFields.custom_fields ?? {}).some(Boolean);
    const sendCustomFields = customFields && (!contact || customTouched);
    try {
      const body = toContactCreate(values, sendCustomFields ? customFields : undefined);
      onSaved(
        contact
          ? await updateContact.mutateAsync({ path: { contact_id: contact.id }, body })
          : await createContact.mutateAsync({ body }),
      );
    } catch (error) {
      setFormErrors(showProblemInForm(error, fields, setError, t, t('common.unexpectedError')));
    }
  };

  return (
    <form noValidate onSubmit={(event) => void handleSubmit(handleValidSubmit)(event)}>
      <Stack gap="sm">
        <FormErrors messages={formErrors} />
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
                // Churn has its own flow (with a reason) and so has winning back: a form sets neither.
                data={LIFECYCLE_STAGES.filter((stage) => stage !== 'churned' || churned).map((stage) => ({
                  value: stage,
                  label: t(`contacts.stages.${stage}`),
                }))}
                disabled={churned}
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
        {customFields === undefined ? (
          <Alert color="yellow" role="status">
            {t('contacts.form.customFieldsUnavailable')}
          </Alert>
        ) : (
          customFields.length > 0 && (
            <>
              <Divider label={t('contacts.form.customFields')} labelPosition="left" />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                {customFields.map((definition) => (
                  <Controller
                    key={definition.key}
                    control={control}
                    name={`custom_fields.${definition.key}`}
                    render={({ field, fieldState }) => (
                      <CustomFieldInput
                        definition={definition}
                        value={field.value}
                        onChange={field.onChange}
                        onBlur={field.onBlur}
                        error={fieldState.error?.message}
                      />
                    )}
                  />
                ))}
              </SimpleGrid>
            </>
          )
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={isSubmitting}>
            {contact ? t('common.save') : t('contacts.form.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
