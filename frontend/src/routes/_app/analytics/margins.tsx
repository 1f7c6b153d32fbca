import { createFileRoute } from '@tanstack/react-router';

import { MarginsPage } from '@/modules/analytics/components/MarginsPage';

export const Route = createFileRoute('/_app/analytics/margins')({
  component: MarginsPage,
});
