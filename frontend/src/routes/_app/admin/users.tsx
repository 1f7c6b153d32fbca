import { createFileRoute } from '@tanstack/react-router';

import { UsersPage } from '@/modules/admin/components/UsersPage';

export const Route = createFileRoute('/_app/admin/users')({
  component: UsersPage,
});
