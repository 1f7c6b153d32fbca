import { createFileRoute } from '@tanstack/react-router';

import { MarginsPage } from '@/modules/analytics/components/MarginsPage';
import { parseMarginsSearch } from '@/modules/analytics/utils/analyticsSearch';

export const Route = createFileRoute('/_app/analytics/margins')({
  validateSearch: parseMarginsSearch,
  component: MarginsPage,
});
