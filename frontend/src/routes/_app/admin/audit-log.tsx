import { createFileRoute } from '@tanstack/react-router';

import { AuditLogPage } from '@/modules/admin/components/AuditLogPage';

export const Route = createFileRoute('/_app/admin/audit-log')({
  component: AuditLogPage,
});
