import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';

import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { detectLanguage } from './i18n/detectLanguage';
import { switchLanguage } from './i18n/i18n';
import { configureClient } from './lib/api/configureClient';
import { createQueryClient } from './lib/createQueryClient';
import { createAppRouter } from './router';
import { theme } from './ui/theme';

configureClient();
const queryClient = createQueryClient(() => {
  if (router.state.location.pathname !== '/login') {
    queryClient.clear();
    void router.navigate({ to: '/login', search: { redirect: router.state.location.href } });
  }
});
const router = createAppRouter(queryClient);

const root = document.getElementById('root');
if (!root) {
  throw new Error('index.html has no #root element');
}
await switchLanguage(detectLanguage());
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
