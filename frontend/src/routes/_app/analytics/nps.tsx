import { createFileRoute } from '@tanstack/react-router';

import { NpsPage } from '@/modules/analytics/components/NpsPage';

export const Route = createFileRoute('/_app/analytics/nps')({
  component: NpsPage,
});
