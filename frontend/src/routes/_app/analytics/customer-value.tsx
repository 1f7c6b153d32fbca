import { createFileRoute } from '@tanstack/react-router';

import { CustomerValuePage } from '@/modules/analytics/components/CustomerValuePage';

export const Route = createFileRoute('/_app/analytics/customer-value')({
  component: CustomerValuePage,
});
