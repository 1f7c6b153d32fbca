import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import { API_ORIGIN } from '@/test/renderWithProviders';
import { renderInRouter } from '@/test/renderInRouter';
import { server } from '@/test/server';

import { AppLayout } from './AppLayout';

function signedInAs(role: string) {
  server.use(
    http.get(`${API_ORIGIN}/api/v1/auth/me`, () =>
      HttpResponse.json({ id: 'u1', email: 'anna@treue.local', name: 'Anna', role, active: true, created_at: '2026-01-01T00:00:00Z' }),
    ),
  );
}

describe('AppLayout', () => {
  it('shows the admin pages in the navigation to an admin', async () => {
    signedInAs('admin');
    await renderInRouter(<AppLayout />);

    // A role query walks the whole navigation; on a busy machine one pass takes over the default second.
    expect(await screen.findByRole('link', { name: 'API keys' }, { timeout: 10_000 })).toHaveAttribute('href', '/admin/api-keys');
    expect(screen.getByRole('link', { name: 'NPS' })).toHaveAttribute('href', '/analytics/nps');
    expect(screen.getByRole('link', { name: 'Webhooks' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Users & roles' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Audit log' })).toBeInTheDocument();
  });

  it('hides them from everyone else', async () => {
    signedInAs('manager');
    await renderInRouter(<AppLayout />);

    expect(await screen.findByText('Anna')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Contacts' })).toBeInTheDocument();
    expect(screen.queryByText('Administration')).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'API keys' })).not.toBeInTheDocument();
  });
});
