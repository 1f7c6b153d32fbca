import { Select, TextInput } from '@mantine/core';
import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { CustomFieldRead } from '@/client';

export type CustomFieldInputProps = {
  definition: CustomFieldRead;
  /** The value as text ('' when not set); see CustomFieldFormValues. */
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error?: string;
};

/**
 * One custom field's input, by its type. The API checks the value against the definition;
 * its answer shows at this input, so the rules are not repeated here.
 */
export function CustomFieldInput({ definition, value, onChange, onBlur, error }: CustomFieldInputProps) {
  const { t } = useTranslation();
  const common = { label: definition.label, withAsterisk: definition.required, error, onBlur };
  const handleText = (event: ChangeEvent<HTMLInputElement>) => {
    onChange(event.currentTarget.value);
  };
  const handleChoice = (choice: string | null) => {
    onChange(choice ?? '');
  };

  switch (definition.type) {
    case 'number':
      return <TextInput {...common} inputMode="decimal" value={value} onChange={handleText} />;
    case 'date':
      return <TextInput {...common} type="date" value={value} onChange={handleText} />;
    case 'boolean':
      return (
        <Select
          {...common}
          data={[
            { value: 'true', label: t('contacts.form.yes') },
            { value: 'false', label: t('contacts.form.no') },
          ]}
          placeholder={t('contacts.form.notSet')}
          value={value === '' ? null : value}
          onChange={handleChoice}
          clearable={!definition.required}
        />
      );
    case 'select':
      return (
        <Select
          {...common}
          data={definition.options}
          placeholder={t('contacts.form.notSet')}
          value={value === '' ? null : value}
          onChange={handleChoice}
          clearable={!definition.required}
          searchable={definition.options.length > 8}
        />
      );
    default:
      return <TextInput {...common} value={value} onChange={handleText} />;
  }
}
