import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Group, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import type { SurveyRead } from '@/client';
import { formLevelErrors } from '@/lib/api/formErrors';
import { mapProblemToFields } from '@/lib/api/mapProblemToFields';

import { useCreateSurvey } from '../hooks/useCreateSurvey';
import type { SurveyFormValues } from '../types/SurveyFormValues';
import { surveyFormSchema } from '../utils/surveyFormSchema';
import { toSurveyCreate } from '../utils/toSurveyCreate';

export type SurveyFormProps = {
  onCreated: (survey: SurveyRead) => void;
  onCancel: () => void;
};

// The API names nested fields (question.de); the form has one input per language.
const API_FIELDS: Record<string, keyof SurveyFormValues> = {
  name: 'name',
  'question.de': 'question_de',
  'question.en': 'question_en',
  'follow_up_question.de': 'follow_up_de',
  'follow_up_question.en': 'follow_up_en',
  quiet_period_days: 'quiet_period_days',
};

export function SurveyForm({ onCreated, onCancel }: SurveyFormProps) {
  const { t } = useTranslation();
  const schema = useMemo(() => surveyFormSchema(t), [t]);
  const createSurvey = useCreateSurvey();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const {
    control,
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<SurveyFormValues>({
    resolver: zodResolver(schema),
    defaultValues: {
      name: '',
      question_de: '',
      question_en: '',
      follow_up_de: '',
      follow_up_en: '',
      quiet_period_days: 90,
    },
  });

  const handleValidSubmit = async (values: SurveyFormValues) => {
    setFormErrors([]);
    try {
      onCreated(await createSurvey.mutateAsync({ body: toSurveyCreate(values) }));
    } catch (error) {
      const mapping = mapProblemToFields(error, Object.keys(API_FIELDS), t);
      for (const [field, message] of Object.entries(mapping.fieldErrors)) {
        const name = API_FIELDS[field];
        if (name) setError(name, { type: 'server', message }, { shouldFocus: true });
      }
      setFormErrors(formLevelErrors(mapping, t('common.unexpectedError')));
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
        <TextInput
          label={t('surveys.form.name')}
          withAsterisk
          autoFocus
          {...register('name')}
          error={errors.name?.message}
        />
        <Text size="sm" c="dimmed">
          {t('surveys.form.questionsHint')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label={t('surveys.form.questionDe')}
            {...register('question_de')}
            error={errors.question_de?.message}
          />
          <TextInput
            label={t('surveys.form.questionEn')}
            {...register('question_en')}
            error={errors.question_en?.message}
          />
          <TextInput
            label={t('surveys.form.followUpDe')}
            {...register('follow_up_de')}
            error={errors.follow_up_de?.message}
          />
          <TextInput
            label={t('surveys.form.followUpEn')}
            {...register('follow_up_en')}
            error={errors.follow_up_en?.message}
          />
        </SimpleGrid>
        <Controller
          control={control}
          name="quiet_period_days"
          render={({ field, fieldState }) => (
            <NumberInput
              label={t('surveys.form.quietPeriod')}
              description={t('surveys.form.quietPeriodHint')}
              min={0}
              max={3650}
              allowDecimal={false}
              value={field.value}
              onChange={(value) => {
                field.onChange(typeof value === 'number' ? value : 0);
              }}
              error={fieldState.error?.message}
            />
          )}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={isSubmitting}>
            {t('surveys.form.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
