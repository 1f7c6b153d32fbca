import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';

import { API_ORIGIN, renderWithProviders } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import type { DashboardSearch } from '../utils/analyticsSearch';
import { DashboardView } from './DashboardPage';

// jsdom has no canvas for ECharts; the KPIs are what this test reads.
vi.mock('./Chart', () => ({ Chart: () => null }));

const CHAMPIONS = '7f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

function dashboard(customers: number, revenue: string) {
  const trend = [{ month: '2026-11-01', revenue, orders: 3 }];
  return {
    as_of: '2026-11-27T12:00:00Z',
    segment_id: null,
    customers,
    active_customers: customers - 1,
    churn: { churned_12m: 1, customers_12m_ago: customers, rate_12m: 0.1 },
    nps: { score_12m: 30, responses_12m: 10, previous_score: 20, change: 10, trend: [{ month: '2026-11-01', score: 30, responses: 10 }] },
    revenue: { currency: 'EUR', last_12m: revenue, previous_12m: revenue, change: 0, orders_12m: 3, left_out: { orders: 0, currencies: [] }, trend },
    clv: { currency: 'EUR', left_out_customers: 0, left_out_currencies: [], customers, total: '1000.00', average: '100.00' },
    abc: { A: 1, B: 2, C: customers - 3 },
    at_risk: 2,
    risk_threshold: 0.6,
    renewals_due: { within_30_days: 1, within_60_days: 2 },
    feedback_cases: { open: 3, overdue: 1 },
  };
}

/** The page's URL state, as the route keeps it. */
function Harness({ seen }: { seen: DashboardSearch[] }) {
  const [search, setSearch] = useState<DashboardSearch>({});
  return (
    <DashboardView
      search={search}
      onFilter={(patch) => {
        const next = { ...search, ...patch };
        seen.push(next);
        setSearch(next);
      }}
    />
  );
}

describe('DashboardView', () => {
  it("narrows every figure to a saved segment's members and keeps the choice in the search", async () => {
    const asked: (string | null)[] = [];
    server.use(
      http.get(`${API_ORIGIN}/api/v1/analytics/segments`, () =>
        HttpResponse.json({
          items: [
            {
              id: CHAMPIONS,
              name: 'Champions',
              description: null,
              filters: {},
              members: 37,
              created_at: '2026-11-01T09:00:00Z',
              updated_at: '2026-11-01T09:00:00Z',
            },
          ],
          next_cursor: null,
        }),
      ),
      http.get(`${API_ORIGIN}/api/v1/analytics/dashboard`, ({ request }) => {
        const segment = new URL(request.url).searchParams.get('segment_id');
        asked.push(segment);
        return HttpResponse.json(segment === CHAMPIONS ? dashboard(37, '5000.00') : dashboard(412, '90000.00'));
      }),
    );
    const seen: DashboardSearch[] = [];
    renderWithProviders(<Harness seen={seen} />);

    const customers = await screen.findByRole('group', { name: 'Customers' });
    expect(await within(customers).findByText('412')).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(screen.getByRole('combobox', { name: 'Segment' }));
    await user.click(await screen.findByRole('option', { name: 'Champions', hidden: true }));

    // The card shows its loading state in between, so the KPI is a new element.
    await waitFor(() => {
      expect(within(screen.getByRole('group', { name: 'Customers' })).getByText('37')).toBeInTheDocument();
    });
    expect(within(screen.getByRole('group', { name: 'Revenue, 12 months' })).getByText(/5,000/)).toBeInTheDocument();
    expect(asked).toEqual([null, CHAMPIONS]);
    expect(seen).toEqual([{ segment: CHAMPIONS }]);
  });
});
