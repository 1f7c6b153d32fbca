import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import { API_ORIGIN, renderWithProviders } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { ChurnRiskCard } from './ChurnRiskCard';

const URL = `${API_ORIGIN}/api/v1/analytics/customers/c1`;

describe('ChurnRiskCard', () => {
  it('shows the ABC class, the risk band and each reason in words, strongest first', async () => {
    server.use(
      http.get(URL, () =>
        HttpResponse.json({ contact_id: 'c1', lifecycle_stage: 'customer', abc_class: 'A', churn_risk: 0.79, p_alive: 0.35, churn_drivers: ['detractor', 'low_p_alive'] }),
      ),
    );
    renderWithProviders(<ChurnRiskCard contactId="c1" />);

    const reasons = await screen.findByRole('list', { name: 'Why' });
    expect(within(reasons).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'Latest NPS answer was a detractor’s',
      'Buying pause: by the past buying rhythm, 35% likely to be still active',
    ]);
    expect(screen.getByText('high · 79%')).toBeInTheDocument();
    expect(screen.getByLabelText('ABC class A')).toBeInTheDocument();
  });

  it('says a churned customer is no longer at risk', async () => {
    server.use(
      http.get(URL, () =>
        HttpResponse.json({ contact_id: 'c1', lifecycle_stage: 'churned', abc_class: null, churn_risk: null, churn_drivers: null }),
      ),
    );
    renderWithProviders(<ChurnRiskCard contactId="c1" />);

    expect(await screen.findByText('churned')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Why' })).not.toBeInTheDocument();
  });
});
