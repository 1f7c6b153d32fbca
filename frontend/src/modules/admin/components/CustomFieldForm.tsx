import { Select, Stack, Switch, TagsInput, TextInput } from '@mantine/core';
import { type SyntheticEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { CustomFieldRead, FieldType } from '@/client';
import { zFieldType } from '@/client/zod.gen';
import { ModalFormFooter } from '@/ui/ModalFormFooter';

import { useChangeCustomField, useDefineCustomField } from '../hooks/useCustomFields';
import { useServerErrors } from '../hooks/useServerErrors';
import { FormErrors } from './FormErrors';

const FIELDS = ['key', 'label', 'type', 'required', 'options'] as const;
const KEY_PATTERN = /^[a-z][a-z0-9_]*$/;

export type CustomFieldFormProps = {
  /** The definition to edit; without one, a new field is defined. */
  field?: CustomFieldRead;
  onDone: (field: CustomFieldRead) => void;
  onCancel: () => void;
};

/** Defines a custom field of contacts, or edits one (key and type stay: stored values depend on them). */
export function CustomFieldForm({ field, onDone, onCancel }: CustomFieldFormProps) {
  const { t } = useTranslation();
  const define = useDefineCustomField();
  const change = useChangeCustomField();
  const errors = useServerErrors(FIELDS);
  const [key, setKey] = useState(field?.key ?? '');
  const [label, setLabel] = useState(field?.label ?? '');
  const [type, setType] = useState<FieldType>(zFieldType.catch('text').parse(field?.type));
  const [required, setRequired] = useState(field?.required ?? false);
  const [options, setOptions] = useState<string[]>(field?.options ?? []);
  const editing = field !== undefined;

  const handleSubmit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    errors.clear();
    const missing = {
      ...(editing || KEY_PATTERN.test(key) ? {} : { key: t('admin.customFields.keyInvalid') }),
      ...(label.trim() ? {} : { label: t('admin.customFields.labelRequired') }),
      ...(type !== 'select' || options.length > 0 ? {} : { options: t('admin.customFields.optionsRequired') }),
    };
    if (Object.keys(missing).length > 0) {
      errors.setFieldErrors(missing);
      return;
    }
    const choices = type === 'select' ? options : [];
    try {
      onDone(
        editing
          ? await change.mutateAsync({ path: { key: field.key }, body: { label: label.trim(), required, options: choices } })
          : await define.mutateAsync({ body: { key, label: label.trim(), type, required, options: choices } }),
      );
    } catch (error) {
      errors.show(error);
    }
  };

  return (
    <form noValidate onSubmit={(event) => void handleSubmit(event)}>
      <Stack gap="sm">
        <FormErrors errors={errors.formErrors} />
        <TextInput
          label={t('admin.customFields.key')}
          description={t('admin.customFields.keyHint')}
          withAsterisk
          disabled={editing}
          value={key}
          onChange={(event) => {
            setKey(event.currentTarget.value);
          }}
          error={errors.fieldErrors.key}
        />
        <TextInput
          label={t('admin.customFields.label')}
          withAsterisk
          value={label}
          onChange={(event) => {
            setLabel(event.currentTarget.value);
          }}
          error={errors.fieldErrors.label}
        />
        <Select
          label={t('admin.customFields.type')}
          withAsterisk
          disabled={editing}
          allowDeselect={false}
          data={zFieldType.options.map((value) => ({ value, label: t(`admin.customFields.types.${value}`) }))}
          value={type}
          onChange={(value) => {
            setType(zFieldType.catch('text').parse(value));
          }}
          error={errors.fieldErrors.type}
          comboboxProps={{ withinPortal: false }}
        />
        {type === 'select' && (
          <TagsInput
            label={t('admin.customFields.options')}
            description={t('admin.customFields.optionsHint')}
            withAsterisk
            value={options}
            onChange={setOptions}
            error={errors.fieldErrors.options}
            comboboxProps={{ withinPortal: false }}
          />
        )}
        <Switch
          label={t('admin.customFields.required')}
          checked={required}
          onChange={(event) => {
            setRequired(event.currentTarget.checked);
          }}
          error={errors.fieldErrors.required}
        />
        <ModalFormFooter
          submitLabel={editing ? t('common.save') : t('admin.customFields.create')}
          loading={define.isPending || change.isPending}
          onCancel={onCancel}
        />
      </Stack>
    </form>
  );
}
