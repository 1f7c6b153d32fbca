import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import { API_ORIGIN, renderWithProviders } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { WebhooksPage } from './WebhooksPage';

const WEBHOOKS_URL = `${API_ORIGIN}/api/v1/webhooks`;
const SECRET = 'whsec_c2VjcmV0LXNpZ25pbmcta2V5';

function webhook(overrides: Record<string, unknown> = {}) {
  return {
    id: 'w1',
    url: 'https://crm.example.com/hooks',
    event_types: ['nps.detractor'],
    description: 'Support desk',
    enabled: true,
    disabled_reason: null,
    disabled_at: null,
    failing_since: null,
    previous_secret_expires_at: null,
    created_by: 'u1',
    created_at: '2026-11-01T09:00:00Z',
    updated_at: '2026-11-01T09:00:00Z',
    ...overrides,
  };
}

const DELIVERY = {
  id: 'd1',
  message_id: 'msg_1',
  event_type: 'nps.detractor',
  status: 'failed',
  attempt_count: 2,
  next_attempt_at: null,
  created_at: '2026-11-27T09:00:00Z',
  finished_at: '2026-11-27T09:05:00Z',
  body: { type: 'nps.detractor', data: { score: 3 } },
  attempts: [
    { attempted_at: '2026-11-27T09:00:00Z', status_code: 503, duration_ms: 120, response_body: null, error: null },
    { attempted_at: '2026-11-27T09:05:00Z', status_code: null, duration_ms: 10000, response_body: null, error: 'timeout' },
  ],
};

describe('WebhooksPage', () => {
  it('creates an endpoint and shows its signing secret once', async () => {
    const user = userEvent.setup();
    let sent: unknown;
    server.use(
      http.get(WEBHOOKS_URL, () => HttpResponse.json({ items: [], next_cursor: null })),
      http.post(WEBHOOKS_URL, async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json({ ...webhook(), secret: SECRET }, { status: 201 });
      }),
    );
    renderWithProviders(<WebhooksPage />);

    expect(await screen.findByText('No webhooks yet')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'New endpoint' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/^url/i), 'https://crm.example.com/hooks');
    await user.click(within(dialog).getByRole('combobox', { name: /^events/i }));
    await user.click(await within(dialog).findByRole('option', { name: 'nps.detractor', hidden: true }));
    await user.type(within(dialog).getByLabelText(/^description/i), 'Support desk');
    await user.click(within(dialog).getByRole('button', { name: 'Create endpoint' }));

    expect(await within(dialog).findByText(SECRET)).toBeInTheDocument();
    expect(sent).toEqual({ url: 'https://crm.example.com/hooks', event_types: ['nps.detractor'], description: 'Support desk' });
    await user.click(within(dialog).getByRole('button', { name: 'I have stored it' }));
    await waitFor(() => {
      expect(screen.queryByText(SECRET)).not.toBeInTheDocument();
    });
  });

  it('shows a refused URL at the URL field', async () => {
    const user = userEvent.setup();
    server.use(
      http.get(WEBHOOKS_URL, () => HttpResponse.json({ items: [], next_cursor: null })),
      http.post(WEBHOOKS_URL, () =>
        HttpResponse.json(
          {
            type: 'https://treue.dev/problems/validation',
            title: 'The request is not valid',
            status: 422,
            detail: 'url: hosts in private networks are refused',
            errors: [{ field: 'url', message: 'hosts in private networks are refused' }],
          },
          { status: 422, headers: { 'Content-Type': 'application/problem+json' } },
        ),
      ),
    );
    renderWithProviders(<WebhooksPage />);

    await user.click(await screen.findByRole('button', { name: 'New endpoint' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/^url/i), 'http://10.0.0.1/hook');
    await user.click(within(dialog).getByRole('combobox', { name: /^events/i }));
    await user.click(await within(dialog).findByRole('option', { name: 'order.recorded', hidden: true }));
    await user.click(within(dialog).getByRole('button', { name: 'Create endpoint' }));

    const url = within(dialog).getByLabelText(/^url/i);
    await waitFor(() => {
      expect(url).toHaveAttribute('aria-invalid', 'true');
    });
    expect(url).toHaveAccessibleDescription(/private networks are refused/);
  });

  it('shows why an endpoint was disabled and enables it again', async () => {
    const user = userEvent.setup();
    let patched: unknown;
    server.use(
      http.get(WEBHOOKS_URL, () =>
        HttpResponse.json({
          items: [webhook({ enabled: false, disabled_reason: 'the endpoint answered 410 Gone', disabled_at: '2026-11-26T09:00:00Z' })],
          next_cursor: null,
        }),
      ),
      http.patch(`${WEBHOOKS_URL}/w1`, async ({ request }) => {
        patched = await request.json();
        return HttpResponse.json(webhook());
      }),
    );
    renderWithProviders(<WebhooksPage />);

    expect(await screen.findByText(/answered 410 Gone/)).toBeInTheDocument();
    await user.click(screen.getByRole('switch', { name: /^Enable/ }));

    await waitFor(() => {
      expect(patched).toEqual({ enabled: true });
    });
  });

  it('sends a test event and rotates the secret, showing the new one', async () => {
    const user = userEvent.setup();
    const calls: string[] = [];
    server.use(
      http.get(WEBHOOKS_URL, () => HttpResponse.json({ items: [webhook()], next_cursor: null })),
      http.post(`${WEBHOOKS_URL}/w1/test`, () => {
        calls.push('test');
        return HttpResponse.json({ delivery_id: 'd9' }, { status: 202 });
      }),
      http.post(`${WEBHOOKS_URL}/w1/rotate-secret`, () => {
        calls.push('rotate');
        return HttpResponse.json({ secret: 'whsec_bmV3', previous_secret_expires_at: '2026-11-28T09:00:00Z' });
      }),
    );
    renderWithProviders(<WebhooksPage />);

    await user.click(await screen.findByRole('button', { name: 'Send test event' }));
    await waitFor(() => {
      expect(calls).toEqual(['test']);
    });
    await user.click(screen.getByRole('button', { name: 'Rotate secret' }));
    const dialog = await screen.findByRole('dialog', { name: 'New signing secret' });
    expect(within(dialog).getByText('whsec_bmV3')).toBeInTheDocument();
    expect(calls).toEqual(['test', 'rotate']);
  });

  it('shows the delivery log with each attempt and the body, and redelivers one', async () => {
    const user = userEvent.setup();
    let redelivered: string | undefined;
    server.use(
      http.get(WEBHOOKS_URL, () => HttpResponse.json({ items: [webhook()], next_cursor: null })),
      http.get(`${WEBHOOKS_URL}/w1/deliveries`, () => HttpResponse.json({ items: [DELIVERY], next_cursor: null })),
      http.post(`${WEBHOOKS_URL}/w1/deliveries/:deliveryId/redeliver`, ({ params }) => {
        redelivered = String(params.deliveryId);
        return HttpResponse.json({ delivery_id: 'd2' }, { status: 202 });
      }),
    );
    renderWithProviders(<WebhooksPage />);

    await user.click(await screen.findByRole('button', { name: 'Deliveries' }));
    const drawer = await screen.findByRole('dialog', { name: /Deliveries to/ });
    const attempts = await within(drawer).findByRole('table', { name: 'Attempts' });
    const [, first, second, ...rest] = within(attempts).getAllByRole('row');
    expect(rest).toHaveLength(0);
    expect(first).toHaveTextContent(/503.*120 ms/);
    expect(second).toHaveTextContent(/no answer.*10,000 ms.*timeout/);
    expect(within(drawer).getByText('failed')).toBeInTheDocument();

    expect(within(drawer).queryByText(/"score": 3/)).not.toBeInTheDocument();
    await user.click(within(drawer).getByRole('button', { name: 'Show body' }));
    expect(await within(drawer).findByText(/"score": 3/)).toBeInTheDocument();

    await user.click(within(drawer).getByRole('button', { name: 'Redeliver' }));
    await waitFor(() => {
      expect(redelivered).toBe('d1');
    });
  });
});
