import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import {
  createMemoryHistory,
  createRootRoute,
  createRoute,
  createRouter,
  Outlet,
  RouterProvider,
} from '@tanstack/react-router';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';

import { i18n } from '@/i18n/i18n';
import type { createAppRouter } from '@/router';
import { configureClient } from '@/lib/api/configureClient';

import { API_ORIGIN } from './renderWithProviders';

type AppRouter = ReturnType<typeof createAppRouter>;

/**
 * Like renderWithProviders, inside a router whose every path shows the component: for
 * components with links. It resolves once the router has rendered.
 */
export async function renderInRouter(ui: ReactElement, language: 'de' | 'en' = 'en') {
  configureClient(API_ORIGIN);
  await i18n.changeLanguage(language);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const rootRoute = createRootRoute({ component: Outlet });
  const page = createRoute({ getParentRoute: () => rootRoute, path: '$', component: () => ui });
  const index = createRoute({ getParentRoute: () => rootRoute, path: '/', component: () => ui });
  const router = createRouter({
    routeTree: rootRoute.addChildren([index, page]),
    history: createMemoryHistory({ initialEntries: ['/'] }),
  });
  await router.load();
  return render(
    <MantineProvider>
      <I18nextProvider i18n={i18n}>
        <QueryClientProvider client={queryClient}>
          {/* A test router, not the app's registered one: its type differs only in the routes. */}
          <RouterProvider router={router as unknown as AppRouter} />
        </QueryClientProvider>
      </I18nextProvider>
    </MantineProvider>,
  );
}
