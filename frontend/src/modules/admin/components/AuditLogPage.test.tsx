import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import { API_ORIGIN, renderWithProviders } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { AuditLogPage } from './AuditLogPage';

function entry(id: number, path: string) {
  return {
    id,
    occurred_at: '2026-11-27T09:00:00Z',
    actor_kind: 'api_key',
    actor_id: 'k1',
    method: 'POST',
    path,
    status_code: 201,
    resource_id: null,
    client_address: '203.0.113.7',
    user_agent: 'curl/8.5',
    request_id: null,
  };
}

function namesOf() {
  return [
    http.get(`${API_ORIGIN}/api/v1/users`, () => HttpResponse.json({ items: [], next_cursor: null })),
    http.get(`${API_ORIGIN}/api/v1/api-keys`, () =>
      HttpResponse.json({
        items: [
          {
            id: 'k1',
            name: 'Shop sync',
            scopes: ['contacts:write'],
            prefix: 'treue_ab',
            created_by: 'u1',
            created_at: '2026-11-01T09:00:00Z',
            last_used_at: null,
            revoked_at: null,
          },
        ],
        next_cursor: null,
      }),
    ),
  ];
}

describe('AuditLogPage', () => {
  it('shows who did what from where and pages along the cursor', async () => {
    const user = userEvent.setup();
    const cursors: (string | null)[] = [];
    server.use(
      ...namesOf(),
      http.get(`${API_ORIGIN}/api/v1/audit-log`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        cursors.push(cursor);
        return cursor === 'page-2'
          ? HttpResponse.json({ items: [entry(1, '/api/v1/contacts/c1')], next_cursor: null })
          : HttpResponse.json({ items: [entry(2, '/api/v1/orders')], next_cursor: 'page-2' });
      }),
    );
    renderWithProviders(<AuditLogPage />);

    const table = await screen.findByRole('table', { name: 'Audit log' });
    expect(within(table).getByText('POST /api/v1/orders')).toBeInTheDocument();
    expect(await within(table).findByText('API key: Shop sync')).toBeInTheDocument();
    expect(within(table).getByText('203.0.113.7')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await within(table).findByText('POST /api/v1/contacts/c1')).toBeInTheDocument();
    expect(cursors).toEqual([null, 'page-2']);
    await waitFor(() => {
      expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    });
  });

  it('names the id a create made, and not the id its path already shows', async () => {
    server.use(
      ...namesOf(),
      http.get(`${API_ORIGIN}/api/v1/audit-log`, () =>
        HttpResponse.json({
          items: [
            { ...entry(2, '/api/v1/users'), resource_id: 'u-new' },
            { ...entry(1, '/api/v1/contacts/c1'), resource_id: 'c1' },
          ],
          next_cursor: null,
        }),
      ),
    );
    renderWithProviders(<AuditLogPage />);

    const table = await screen.findByRole('table', { name: 'Audit log' });
    expect(await within(table).findByText('created: u-new')).toBeInTheDocument();
    expect(within(table).queryByText('created: c1')).not.toBeInTheDocument();
  });

  it('says so when the log is empty', async () => {
    server.use(
      ...namesOf(),
      http.get(`${API_ORIGIN}/api/v1/audit-log`, () => HttpResponse.json({ items: [], next_cursor: null })),
    );
    renderWithProviders(<AuditLogPage />);

    expect(await screen.findByText('No entries yet')).toBeInTheDocument();
  });
});
