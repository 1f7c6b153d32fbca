import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { showProblemInForm } from '@/lib/api/formErrors';
import { FormErrors } from '@/ui/FormErrors';

import { useCreateTask } from '../hooks/useCreateTask';
import { taskFormSchema, type TaskFormValues } from '../utils/taskFormSchema';

export type NewTaskFormProps = {
  contactId: string;
  onDone: () => void;
};

const FIELDS = ['title', 'due_at'] as const;

export function NewTaskForm({ contactId, onDone }: NewTaskFormProps) {
  const { t } = useTranslation();
  const schema = useMemo(() => taskFormSchema(t), [t]);
  const createTask = useCreateTask();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<TaskFormValues>({ resolver: zodResolver(schema), defaultValues: { title: '', due_at: '' } });

  const handleValidSubmit = async (values: TaskFormValues) => {
    setFormErrors([]);
    try {
      await createTask.mutateAsync({
        body: { contact_id: contactId, title: values.title, due_at: new Date(values.due_at).toISOString() },
      });
      onDone();
    } catch (error) {
      setFormErrors(showProblemInForm(error, FIELDS, setError, t, t('common.unexpectedError')));
    }
  };

  return (
    <form noValidate onSubmit={(event) => void handleSubmit(handleValidSubmit)(event)} aria-label={t('contact360.tasks.new')}>
      <Stack gap="xs">
        <FormErrors messages={formErrors} />
        <Group align="flex-start" grow>
          <TextInput label={t('contact360.tasks.title')} withAsterisk autoFocus {...register('title')} error={errors.title?.message} />
          <TextInput
            label={t('contact360.tasks.dueAt')}
            type="datetime-local"
            withAsterisk
            {...register('due_at')}
            error={errors.due_at?.message}
          />
        </Group>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" size="xs" loading={isSubmitting}>
            {t('contact360.tasks.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
