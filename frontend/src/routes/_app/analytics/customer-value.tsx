import { createFileRoute } from '@tanstack/react-router';

import { CustomerValuePage } from '@/modules/analytics/components/CustomerValuePage';
import { parseValueSearch } from '@/modules/analytics/utils/analyticsSearch';

export const Route = createFileRoute('/_app/analytics/customer-value')({
  validateSearch: parseValueSearch,
  component: CustomerValuePage,
});
