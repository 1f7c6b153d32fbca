import { createFileRoute } from '@tanstack/react-router';

import { DashboardPage } from '@/modules/analytics/components/DashboardPage';
import { parseDashboardSearch } from '@/modules/analytics/utils/analyticsSearch';

export const Route = createFileRoute('/_app/analytics/')({
  validateSearch: parseDashboardSearch,
  component: DashboardPage,
});
