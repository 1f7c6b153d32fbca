import { createFileRoute } from '@tanstack/react-router';

import { TodayInbox } from '@/modules/today/components/TodayInbox';

export const Route = createFileRoute('/_app/')({
  component: TodayInbox,
});
