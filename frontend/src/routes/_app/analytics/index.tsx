import { createFileRoute } from '@tanstack/react-router';

import { DashboardPage } from '@/modules/analytics/components/DashboardPage';

export const Route = createFileRoute('/_app/analytics/')({
  component: DashboardPage,
});
