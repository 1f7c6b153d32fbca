import { createFileRoute } from '@tanstack/react-router';

import { ApiKeysPage } from '@/modules/admin/components/ApiKeysPage';

export const Route = createFileRoute('/_app/admin/api-keys')({
  component: ApiKeysPage,
});
