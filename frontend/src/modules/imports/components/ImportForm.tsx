import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Code, FileInput, Group, Radio, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import type { ImportRead } from '@/client';
import { showProblemInForm } from '@/lib/api/formErrors';
import { isProblem } from '@/lib/api/isProblem';
import { FormErrors } from '@/ui/FormErrors';

import { useStartImport } from '../hooks/useStartImport';
import type { ImportFormValues } from '../types/ImportFormValues';
import { IMPORT_COLUMNS, IMPORT_FILE_TYPES, IMPORT_KINDS } from '../utils/importColumns';
import { importFormSchema } from '../utils/importFormSchema';

export type ImportFormProps = {
  onStarted: (job: ImportRead) => void;
};

const FIELDS = ['kind', 'file'] as const satisfies readonly (keyof ImportFormValues)[];

/** Choose what the file holds and the file; the upload answers with the job to follow. */
export function ImportForm({ onStarted }: ImportFormProps) {
  const { t } = useTranslation();
  const schema = useMemo(() => importFormSchema(t), [t]);
  const startImport = useStartImport();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const {
    control,
    handleSubmit,
    setError,
    formState: { isSubmitting },
  } = useForm<ImportFormValues>({
    resolver: zodResolver(schema),
    defaultValues: { kind: 'contacts', file: null },
  });
  const kind = useWatch({ control, name: 'kind' });

  const handleValidSubmit = async ({ kind: chosen, file }: ImportFormValues) => {
    if (!file) return;
    setFormErrors([]);
    try {
      onStarted(await startImport.mutateAsync({ body: { kind: chosen, file } }));
    } catch (error) {
      if (isProblem(error) && error.status === 413) {
        // Too large names no field, but it is the file's fault: say so at the file.
        setError('file', { type: 'server', message: error.detail ?? error.title }, { shouldFocus: true });
        return;
      }
      setFormErrors(showProblemInForm(error, FIELDS, setError, t, t('imports.form.failed')));
    }
  };

  return (
    <form
      noValidate
      aria-label={t('imports.form.title')}
      onSubmit={(event) => void handleSubmit(handleValidSubmit)(event)}
    >
      <Stack gap="md">
        <FormErrors messages={formErrors} />
        <Controller
          control={control}
          name="kind"
          render={({ field, fieldState }) => (
            <Radio.Group
              label={t('imports.form.kind')}
              value={field.value}
              onChange={(value) => {
                const chosen = IMPORT_KINDS.find((candidate) => candidate === value);
                if (chosen) field.onChange(chosen);
              }}
              error={fieldState.error?.message}
            >
              <Group gap="lg" mt="xs">
                {IMPORT_KINDS.map((option) => (
                  <Radio key={option} value={option} label={t(`imports.kinds.${option}`)} />
                ))}
              </Group>
            </Radio.Group>
          )}
        />
        <Stack gap={4}>
          <Text size="sm">{t(`imports.columns.${kind}`)}</Text>
          <Code block style={{ whiteSpace: 'pre-wrap' }}>
            {IMPORT_COLUMNS[kind].join(',')}
          </Code>
        </Stack>
        <Controller
          control={control}
          name="file"
          render={({ field, fieldState }) => (
            <FileInput
              ref={field.ref}
              label={t('imports.form.file')}
              description={t('imports.form.fileHint')}
              placeholder={t('imports.form.filePlaceholder')}
              accept={IMPORT_FILE_TYPES}
              withAsterisk
              clearable
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              error={fieldState.error?.message}
            />
          )}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={isSubmitting}>
            {t('imports.form.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
