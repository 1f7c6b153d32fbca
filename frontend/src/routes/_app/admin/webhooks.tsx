import { createFileRoute } from '@tanstack/react-router';

import { WebhooksPage } from '@/modules/admin/components/WebhooksPage';

export const Route = createFileRoute('/_app/admin/webhooks')({
  component: WebhooksPage,
});
