import { createFileRoute } from '@tanstack/react-router';

import { CustomFieldsPage } from '@/modules/admin/components/CustomFieldsPage';

export const Route = createFileRoute('/_app/admin/custom-fields')({
  component: CustomFieldsPage,
});
