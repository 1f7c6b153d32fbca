import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';

import { configureClient } from '@/lib/api/configureClient';
import { API_ORIGIN } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { useContactsList } from './useContactsList';

function contact(id: string) {
  return { id, first_name: 'Anna', last_name: id };
}

function wrapper({ children }: { children: ReactNode }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}

describe('useContactsList', () => {
  it('pages with the cursor and sends the filters', async () => {
    const requests: URLSearchParams[] = [];
    server.use(
      http.get(`${API_ORIGIN}/api/v1/contacts`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        requests.push(params);
        return params.get('cursor') === 'page-2'
          ? HttpResponse.json({ items: [contact('c3')], next_cursor: null })
          : HttpResponse.json({ items: [contact('c1'), contact('c2')], next_cursor: 'page-2' });
      }),
    );
    configureClient(API_ORIGIN);

    const { result } = renderHook(() => useContactsList({ q: 'berg', stage: 'customer' }), { wrapper });

    await waitFor(() => {
      expect(result.current.data?.map((row) => row.id)).toEqual(['c1', 'c2']);
    });
    expect(result.current.hasNextPage).toBe(true);
    await act(() => result.current.fetchNextPage());
    await waitFor(() => {
      expect(result.current.data?.map((row) => row.id)).toEqual(['c1', 'c2', 'c3']);
    });
    expect(result.current.hasNextPage).toBe(false);
    expect(requests.map((params) => Object.fromEntries(params))).toEqual([
      { q: 'berg', lifecycle_stage: 'customer', limit: '100' },
      { q: 'berg', lifecycle_stage: 'customer', limit: '100', cursor: 'page-2' },
    ]);
  });
});
