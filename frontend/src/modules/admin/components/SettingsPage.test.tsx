import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import { API_ORIGIN, renderWithProviders } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { SettingsPage } from './SettingsPage';

const URL = `${API_ORIGIN}/api/v1/settings`;
const CONTACTS = { follow_up_after_days: 14, renewal_window_days: 30 };
const SURVEYS = {
  default_quiet_period_days: 90,
  default_reminder_after_days: 5,
  default_max_reminders: 1,
  feedback_case_sla_hours: 48,
};
const ANALYTICS = {
  abc_a_percent: 80,
  abc_b_percent: 15,
  churn_risk_threshold: 0.6,
  margin_threshold_percent: 20,
  reporting_currency: 'EUR',
  exchange_rates: {},
};

function state<T>(values: T, defaults: T = values, changed = false) {
  return {
    values,
    defaults,
    updated_at: changed ? '2026-11-27T09:00:00Z' : null,
    updated_by: changed ? 'Anna Admin' : null,
    queued_jobs: [],
  };
}

/** GET answers the stored state; PUT and DELETE change it, as the services do. */
function serve(service: string, defaults: Record<string, unknown>, calls: { method: string; body?: unknown }[]) {
  let current = state(defaults);
  return [
    http.get(`${URL}/${service}`, () => HttpResponse.json(current)),
    http.put(`${URL}/${service}`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      calls.push({ method: 'PUT', body });
      current = state(body, defaults, true);
      return HttpResponse.json(current);
    }),
    http.delete(`${URL}/${service}`, () => {
      calls.push({ method: 'DELETE' });
      current = state(defaults);
      return HttpResponse.json(current);
    }),
  ];
}

describe('SettingsPage', () => {
  it('saves the changed follow-up days with the other values and shows who changed them', async () => {
    const user = userEvent.setup();
    const calls: { method: string; body?: unknown }[] = [];
    server.use(...serve('contacts', CONTACTS, calls), ...serve('surveys', SURVEYS, []), ...serve('analytics', ANALYTICS, []));
    renderWithProviders(<SettingsPage />);

    const form = await screen.findByRole('region', { name: 'Contacts and tasks' });
    const followUp = await within(form).findByLabelText(/^Follow-up after an order/);
    expect(followUp).toHaveValue('14 days');
    expect(followUp).toHaveAccessibleDescription(/Default: 14/);
    expect(within(form).getByText('All values are the defaults')).toBeInTheDocument();

    await user.clear(followUp);
    await user.type(followUp, '3');
    await user.click(within(form).getByRole('button', { name: 'Save' }));

    await waitFor(() => {
      expect(calls).toEqual([{ method: 'PUT', body: { follow_up_after_days: 3, renewal_window_days: 30 } }]);
    });
    expect(await within(form).findByText(/Last changed by Anna Admin/)).toBeInTheDocument();
    expect(within(form).getByLabelText(/^Follow-up after an order/)).toHaveValue('3 days');

    await user.click(within(form).getByRole('button', { name: 'Restore defaults' }));
    await waitFor(() => {
      expect(within(form).getByLabelText(/^Follow-up after an order/)).toHaveValue('14 days');
    });
    expect(calls.map((call) => call.method)).toEqual(['PUT', 'DELETE']);
  });

  it('shows a refused value at its field', async () => {
    const user = userEvent.setup();
    server.use(
      ...serve('contacts', CONTACTS, []),
      ...serve('surveys', SURVEYS, []),
      http.get(`${URL}/analytics`, () => HttpResponse.json(state(ANALYTICS))),
      http.put(`${URL}/analytics`, () =>
        HttpResponse.json(
          {
            type: 'urn:treue:problem:validation',
            title: 'The request is not valid',
            status: 422,
            detail: 'abc_b_percent: Value error, A and B together must stay under 100 %',
            errors: [{ field: 'abc_b_percent', message: 'Value error, A and B together must stay under 100 %' }],
          },
          { status: 422, headers: { 'Content-Type': 'application/problem+json' } },
        ),
      ),
    );
    renderWithProviders(<SettingsPage />);

    const form = await screen.findByRole('region', { name: 'Analytics' });
    const shareA = await within(form).findByLabelText(/^ABC: share of class A/);
    await user.clear(shareA);
    await user.type(shareA, '90');
    await user.click(within(form).getByRole('button', { name: 'Save' }));

    const shareB = within(form).getByLabelText(/^ABC: share of class B/);
    await waitFor(() => {
      expect(shareB).toHaveAttribute('aria-invalid', 'true');
    });
    expect(shareB).toHaveAccessibleDescription(/must stay under 100 %/);
    expect(shareA).not.toHaveAttribute('aria-invalid', 'true');
  });

  it('sets the reporting currency and an exchange rate, keeping the thresholds as they are', async () => {
    const user = userEvent.setup();
    const calls: { method: string; body?: unknown }[] = [];
    server.use(...serve('contacts', CONTACTS, []), ...serve('surveys', SURVEYS, []), ...serve('analytics', ANALYTICS, calls));
    renderWithProviders(<SettingsPage />);

    const form = await screen.findByRole('region', { name: 'Currency and exchange rates' });
    const currency = await within(form).findByLabelText(/^Reporting currency/);
    expect(currency).toHaveValue('EUR');
    await user.click(within(form).getByRole('button', { name: 'Add a rate' }));
    await user.type(within(form).getByLabelText('Currency'), 'usd');
    await user.type(within(form).getByLabelText('Rate of USD'), '0.92');
    await user.click(within(form).getByRole('button', { name: 'Save' }));

    await waitFor(() => {
      expect(calls).toEqual([{ method: 'PUT', body: { ...ANALYTICS, exchange_rates: { USD: 0.92 } } }]);
    });
  });

  it('asks for a number instead of sending an empty field', async () => {
    const user = userEvent.setup();
    const calls: { method: string; body?: unknown }[] = [];
    server.use(...serve('contacts', CONTACTS, []), ...serve('surveys', SURVEYS, calls), ...serve('analytics', ANALYTICS, []));
    renderWithProviders(<SettingsPage />);

    const form = await screen.findByRole('region', { name: 'Surveys and feedback cases' });
    const sla = await within(form).findByLabelText(/^Feedback case SLA/);
    await user.clear(sla);
    await user.click(within(form).getByRole('button', { name: 'Save' }));

    expect(sla).toHaveAccessibleDescription(/Please enter a number/);
    expect(calls).toEqual([]);
  });
});
