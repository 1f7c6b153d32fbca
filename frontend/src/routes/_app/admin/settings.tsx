import { createFileRoute } from '@tanstack/react-router';

import { SettingsPage } from '@/modules/admin/components/SettingsPage';

export const Route = createFileRoute('/_app/admin/settings')({
  component: SettingsPage,
});
