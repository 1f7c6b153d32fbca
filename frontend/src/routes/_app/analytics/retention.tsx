import { createFileRoute } from '@tanstack/react-router';

import { RetentionPage } from '@/modules/analytics/components/RetentionPage';
import { parseRetentionSearch } from '@/modules/analytics/utils/analyticsSearch';

export const Route = createFileRoute('/_app/analytics/retention')({
  validateSearch: parseRetentionSearch,
  component: RetentionPage,
});
