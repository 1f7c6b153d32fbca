import type { SurveyCreate } from '@/client';

import type { SurveyFormValues } from '../types/SurveyFormValues';

/** Empty question pairs are left out, so the survey gets the standard NPS wording. */
export function toSurveyCreate(values: SurveyFormValues): SurveyCreate {
  const body: SurveyCreate = { name: values.name.trim(), quiet_period_days: values.quiet_period_days };
  if (values.question_de.trim() && values.question_en.trim()) {
    body.question = { de: values.question_de.trim(), en: values.question_en.trim() };
  }
  if (values.follow_up_de.trim() && values.follow_up_en.trim()) {
    body.follow_up_question = { de: values.follow_up_de.trim(), en: values.follow_up_en.trim() };
  }
  return body;
}
