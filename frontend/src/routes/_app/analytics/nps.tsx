import { createFileRoute } from '@tanstack/react-router';

import { NpsPage } from '@/modules/analytics/components/NpsPage';
import { parseNpsSearch } from '@/modules/analytics/utils/analyticsSearch';

export const Route = createFileRoute('/_app/analytics/nps')({
  validateSearch: parseNpsSearch,
  component: NpsPage,
});
