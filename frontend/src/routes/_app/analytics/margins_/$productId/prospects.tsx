import { createFileRoute } from '@tanstack/react-router';

import { ProspectsPage } from '@/modules/analytics/components/ProspectsPage';

export const Route = createFileRoute('/_app/analytics/margins_/$productId/prospects')({
  component: ProspectsPage,
});
