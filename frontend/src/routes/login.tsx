import { createFileRoute } from '@tanstack/react-router';

import { LoginPage } from '@/modules/auth/components/LoginPage';

type LoginSearch = {
  redirect?: string;
};

export const Route = createFileRoute('/login')({
  validateSearch: (search: Record<string, unknown>): LoginSearch =>
    typeof search.redirect === 'string' && search.redirect.startsWith('/') ? { redirect: search.redirect } : {},
  component: LoginPage,
});
