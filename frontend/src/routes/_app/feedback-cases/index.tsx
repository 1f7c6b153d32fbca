import { createFileRoute } from '@tanstack/react-router';

import { CasesPage } from '@/modules/surveys/components/CasesPage';

export const Route = createFileRoute('/_app/feedback-cases/')({
  component: CasesPage,
});
