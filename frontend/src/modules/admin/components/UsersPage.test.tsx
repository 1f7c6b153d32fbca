import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import { API_ORIGIN, renderWithProviders } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { UsersPage } from './UsersPage';

const USERS_URL = `${API_ORIGIN}/api/v1/users`;

function person(id: string, name: string, role: string, active = true) {
  return { id, email: `${id}@treue.local`, name, role, active, created_at: '2026-11-01T09:00:00Z' };
}

describe('UsersPage', () => {
  it('creates a user and shows the API 422 at the password field', async () => {
    const user = userEvent.setup();
    let sent: unknown;
    server.use(
      http.get(USERS_URL, () => HttpResponse.json({ items: [person('u1', 'Anna', 'admin')], next_cursor: null })),
      http.post(USERS_URL, async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(
          {
            type: 'https://treue.dev/problems/validation',
            title: 'The request is not valid',
            status: 422,
            detail: 'password: String should have at least 12 characters',
            errors: [{ field: 'password', message: 'String should have at least 12 characters' }],
          },
          { status: 422, headers: { 'Content-Type': 'application/problem+json' } },
        );
      }),
    );
    renderWithProviders(<UsersPage />);

    await user.click(await screen.findByRole('button', { name: 'New user' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/^name/i), 'Ben');
    await user.type(within(dialog).getByLabelText(/^e-mail/i), 'ben@treue.local');
    await user.type(within(dialog).getByLabelText(/^password/i), 'short');
    await user.click(within(dialog).getByRole('button', { name: 'Create user' }));

    const password = within(dialog).getByLabelText(/^password/i);
    await waitFor(() => {
      expect(password).toHaveAccessibleDescription(/String should have at least 12 characters/);
    });
    expect(sent).toEqual({ name: 'Ben', email: 'ben@treue.local', role: 'agent', password: 'short' });
  });

  it('changes a role and deactivates a user after confirmation', async () => {
    const user = userEvent.setup();
    let patched: unknown;
    let deactivated: string | undefined;
    server.use(
      http.get(USERS_URL, () =>
        HttpResponse.json({
          items: [person('u1', 'Anna', 'admin'), person('u2', 'Ben', 'agent', deactivated !== 'u2')],
          next_cursor: null,
        }),
      ),
      http.patch(`${USERS_URL}/:userId`, async ({ request }) => {
        patched = await request.json();
        return HttpResponse.json(person('u2', 'Ben', 'manager'));
      }),
      http.delete(`${USERS_URL}/:userId`, ({ params }) => {
        deactivated = String(params.userId);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    renderWithProviders(<UsersPage />);

    await user.click(await screen.findByRole('combobox', { name: 'Role of Ben' }));
    const roles = await screen.findByRole('listbox', { name: 'Role of Ben', hidden: true });
    await user.click(within(roles).getByRole('option', { name: 'Manager', hidden: true }));
    await waitFor(() => {
      expect(patched).toEqual({ role: 'manager' });
    });

    await user.click(screen.getByRole('button', { name: 'Deactivate Ben' }));
    const dialog = await screen.findByRole('dialog', { name: 'Deactivate the user?' });
    await user.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
    await waitFor(() => {
      expect(deactivated).toBe('u2');
    });
    expect(await screen.findByText('deactivated')).toBeInTheDocument();
  });

  it('offers no deactivation of your own account', async () => {
    server.use(
      http.get(`${API_ORIGIN}/api/v1/auth/me`, () => HttpResponse.json(person('u1', 'Anna', 'admin'))),
      http.get(USERS_URL, () =>
        HttpResponse.json({ items: [person('u1', 'Anna', 'admin'), person('u2', 'Ben', 'admin')], next_cursor: null }),
      ),
    );
    renderWithProviders(<UsersPage />);

    expect(await screen.findByText('Your account')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Deactivate Ben' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Deactivate Anna' })).not.toBeInTheDocument();
  });
});
