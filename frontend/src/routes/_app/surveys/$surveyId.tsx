import { createFileRoute } from '@tanstack/react-router';

import { SurveyPage } from '@/modules/surveys/components/SurveyPage';

export const Route = createFileRoute('/_app/surveys/$surveyId')({
  component: SurveyPage,
});
