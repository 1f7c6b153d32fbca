import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import { API_ORIGIN, renderWithProviders } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { ApiKeysPage } from './ApiKeysPage';

const KEYS_URL = `${API_ORIGIN}/api/v1/api-keys`;
const SECRET = 'treue_live_0123456789abcdef';

function apiKey(id: string, name: string, revokedAt: string | null = null) {
  return {
    id,
    name,
    scopes: ['contacts:read'],
    prefix: 'treue_li',
    created_by: 'u1',
    created_at: '2026-11-01T09:00:00Z',
    last_used_at: null,
    revoked_at: revokedAt,
  };
}

describe('ApiKeysPage', () => {
  it('creates a key with its scopes and shows the secret once', async () => {
    const user = userEvent.setup();
    let sent: unknown;
    server.use(
      http.get(KEYS_URL, () => HttpResponse.json({ items: [], next_cursor: null })),
      http.post(KEYS_URL, async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(
          { id: 'k1', name: 'Shop sync', scopes: ['contacts:read', 'contacts:write'], key: SECRET, created_at: '2026-11-27T10:00:00Z' },
          { status: 201 },
        );
      }),
    );
    renderWithProviders(<ApiKeysPage />);

    expect(await screen.findByText('No API keys yet')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'New key' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/^name/i), 'Shop sync');
    await user.click(within(dialog).getByLabelText('contacts:read'));
    await user.click(within(dialog).getByLabelText('contacts:write'));
    await user.click(within(dialog).getByRole('button', { name: 'Create key' }));

    expect(await within(dialog).findByText(SECRET)).toBeInTheDocument();
    expect(within(dialog).getByText(/shown only now/)).toBeInTheDocument();
    expect(sent).toEqual({ name: 'Shop sync', scopes: ['contacts:read', 'contacts:write'] });

    await user.click(within(dialog).getByRole('button', { name: 'I have stored it' }));
    await waitFor(() => {
      expect(screen.queryByText(SECRET)).not.toBeInTheDocument();
    });
    // Opening the dialog again offers a new key, not the old secret.
    await user.click(screen.getByRole('button', { name: 'New key' }));
    expect(await screen.findByRole('button', { name: 'Create key' })).toBeInTheDocument();
    expect(screen.queryByText(SECRET)).not.toBeInTheDocument();
  });

  it('shows the API 422 at the field it names', async () => {
    const user = userEvent.setup();
    server.use(
      http.get(KEYS_URL, () => HttpResponse.json({ items: [], next_cursor: null })),
      http.post(KEYS_URL, () =>
        HttpResponse.json(
          {
            type: 'https://treue.dev/problems/validation',
            title: 'The request is not valid',
            status: 422,
            detail: 'name: String should have at most 100 characters',
            errors: [{ field: 'name', message: 'String should have at most 100 characters' }],
          },
          { status: 422, headers: { 'Content-Type': 'application/problem+json' } },
        ),
      ),
    );
    renderWithProviders(<ApiKeysPage />);

    await user.click(await screen.findByRole('button', { name: 'New key' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/^name/i), 'x');
    await user.click(within(dialog).getByLabelText('admin'));
    await user.click(within(dialog).getByRole('button', { name: 'Create key' }));

    const name = within(dialog).getByLabelText(/^name/i);
    await waitFor(() => {
      expect(name).toHaveAttribute('aria-invalid', 'true');
    });
    expect(name).toHaveAccessibleDescription(/at most 100 characters/);
  });

  it('revokes a key after confirmation', async () => {
    const user = userEvent.setup();
    let revoked: string | undefined;
    server.use(
      http.get(KEYS_URL, () =>
        HttpResponse.json({
          items: revoked
            ? [apiKey('k1', 'Shop sync', '2026-11-27T10:00:00Z'), apiKey('k2', 'Old', '2026-10-01T10:00:00Z')]
            : [apiKey('k1', 'Shop sync'), apiKey('k2', 'Old', '2026-10-01T10:00:00Z')],
          next_cursor: null,
        }),
      ),
      http.delete(`${KEYS_URL}/:keyId`, ({ params }) => {
        revoked = String(params.keyId);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    renderWithProviders(<ApiKeysPage />);

    const table = await screen.findByRole('table', { name: 'API keys' });
    // A revoked key offers no revoke button.
    expect(within(table).getAllByRole('button', { name: /^Revoke/ })).toHaveLength(1);
    await user.click(within(table).getByRole('button', { name: 'Revoke Shop sync' }));
    const dialog = await screen.findByRole('dialog', { name: 'Revoke the key?' });
    expect(revoked).toBeUndefined();
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));

    await waitFor(() => {
      expect(revoked).toBe('k1');
    });
    await waitFor(() => {
      expect(within(table).queryAllByRole('button', { name: /^Revoke/ })).toHaveLength(0);
    });
  });

  it('says so when the keys cannot be loaded', async () => {
    server.use(
      http.get(KEYS_URL, () =>
        HttpResponse.json(
          { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'only admins manage API keys' },
          { status: 403, headers: { 'Content-Type': 'application/problem+json' } },
        ),
      ),
    );
    renderWithProviders(<ApiKeysPage />);

    expect(await screen.findByText('The API keys could not be loaded')).toBeInTheDocument();
    expect(screen.getByText('only admins manage API keys')).toBeInTheDocument();
  });
});
