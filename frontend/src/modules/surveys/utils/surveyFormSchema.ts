import type { TFunction } from 'i18next';
import { z } from 'zod';

const TEXT_MAX = 1000;

/**
 * The new-survey form; limits mirror SurveyCreate. A custom question needs both languages
 * (the API takes them as one {de, en} pair), or neither for the standard NPS wording.
 */
export function surveyFormSchema(t: TFunction) {
  const text = z
    .string()
    .trim()
    .max(TEXT_MAX, t('surveys.form.tooLong', { max: TEXT_MAX }));
  return z
    .object({
      name: z
        .string()
        .trim()
        .min(1, t('surveys.form.required'))
        .max(200, t('surveys.form.tooLong', { max: 200 })),
      question_de: text,
      question_en: text,
      follow_up_de: text,
      follow_up_en: text,
      quiet_period_days: z.number().int().min(0).max(3650, t('surveys.form.quietMax')),
    })
    .superRefine((values, context) => {
      for (const [de, en] of [
        ['question_de', 'question_en'],
        ['follow_up_de', 'follow_up_en'],
      ] as const) {
        if (values[de] === '' && values[en] !== '') {
          context.addIssue({ code: 'custom', path: [de], message: t('surveys.form.bothLanguages') });
        }
        if (values[en] === '' && values[de] !== '') {
          context.addIssue({ code: 'custom', path: [en], message: t('surveys.form.bothLanguages') });
        }
      }
    });
}
