import { authMeOptions } from '@/client/@tanstack/react-query.gen';
import { createFileRoute, redirect } from '@tanstack/react-router';

// The API refuses non-admins anyway; this keeps them from a page of error states.
export const Route = createFileRoute('/_app/admin')({
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.query({ ...authMeOptions(), staleTime: 5 * 60_000 });
    if (me.role !== 'admin') {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the router's redirect is thrown by design
      throw redirect({ to: '/' });
    }
  },
});
