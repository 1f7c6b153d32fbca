import { authMeOptions } from '@/client/@tanstack/react-query.gen';
import { createFileRoute, redirect } from '@tanstack/react-router';

import { AppLayout } from '@/modules/shell/components/AppLayout';

export const Route = createFileRoute('/_app')({
  beforeLoad: async ({ context, location }) => {
    try {
      await context.queryClient.query({ ...authMeOptions(), staleTime: 5 * 60_000 });
    } catch {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the router's redirect is thrown by design
      throw redirect({ to: '/login', search: { redirect: location.href } });
    }
  },
  component: AppLayout,
});
