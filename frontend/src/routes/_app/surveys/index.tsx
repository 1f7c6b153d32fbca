import { createFileRoute } from '@tanstack/react-router';

import { SurveysPage } from '@/modules/surveys/components/SurveysPage';

export const Route = createFileRoute('/_app/surveys/')({
  component: SurveysPage,
});
