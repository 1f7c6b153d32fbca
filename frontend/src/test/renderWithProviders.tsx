import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';

import { i18n } from '@/i18n/i18n';
import { configureClient } from '@/lib/api/configureClient';

export const API_ORIGIN = 'http://localhost:3000';

/** The component with the app's providers, a fresh query cache and the API client on API_ORIGIN. */
export function renderWithProviders(ui: ReactElement, language: 'de' | 'en' = 'en') {
  configureClient(API_ORIGIN);
  void i18n.changeLanguage(language);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <MantineProvider>
      <I18nextProvider i18n={i18n}>
        <QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>
      </I18nextProvider>
    </MantineProvider>,
  );
}
