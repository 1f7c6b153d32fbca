import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import { API_ORIGIN, renderWithProviders } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { CustomerValueCard } from './CustomerValueCard';

const URL = `${API_ORIGIN}/api/v1/analytics/customers/c1`;

const CUSTOMER = {
  contact_id: 'c1',
  currency: 'EUR',
  revenue: '1234.50',
  margin: '400.00',
  net_value: '350.00',
  orders: 3,
  clv: null,
  p_alive: 0.82,
  expected_purchases_12m: null,
};

describe('CustomerValueCard', () => {
  it('shows figures in the locale and null ones as a dash', async () => {
    server.use(http.get(URL, () => HttpResponse.json(CUSTOMER)));
    renderWithProviders(<CustomerValueCard contactId="c1" />, 'de');

    expect(await screen.findByText('1.234,50 €')).toBeInTheDocument();
    expect(screen.getByText('82 %')).toBeInTheDocument();
    expect(screen.getAllByText('—')).toHaveLength(2);
  });

  it('says analytics has not seen the customer on 404', async () => {
    server.use(
      http.get(URL, () =>
        HttpResponse.json({ type: 'about:blank', title: 'Not Found', status: 404 }, { status: 404 }),
      ),
    );
    renderWithProviders(<CustomerValueCard contactId="c1" />);

    expect(await screen.findByText(/analytics has not seen this customer yet/i)).toBeInTheDocument();
  });
});
