export type SurveyFormValues = {
  name: string;
  question_de: string;
  question_en: string;
  follow_up_de: string;
  follow_up_en: string;
  quiet_period_days: number;
};
