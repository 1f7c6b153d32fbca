import { createFileRoute } from '@tanstack/react-router';

import { RetentionPage } from '@/modules/analytics/components/RetentionPage';

export const Route = createFileRoute('/_app/analytics/retention')({
  component: RetentionPage,
});
