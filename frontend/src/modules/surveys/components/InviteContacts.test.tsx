import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import { API_ORIGIN, renderWithProviders } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { InviteContacts } from './InviteContacts';

const SEGMENT = {
  id: 'seg-1',
  name: 'VIP',
  description: null,
  filters: {},
  members: 12,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

describe('InviteContacts', () => {
  it('invites a saved segment and lists the links it created', async () => {
    let sent: unknown;
    server.use(
      http.get(`${API_ORIGIN}/api/v1/contacts`, () => HttpResponse.json({ items: [], next_cursor: null })),
      http.get(`${API_ORIGIN}/api/v1/analytics/segments`, () =>
        HttpResponse.json({ items: [SEGMENT], next_cursor: null }),
      ),
      http.post(`${API_ORIGIN}/api/v1/surveys/s1/invitations`, async ({ request }) => {
        sent = await request.json();
        const invitation = {
          id: 'i1',
          survey_id: 's1',
          contact_id: 'c1',
          channel: 'link',
          token: 'tok',
          url: 'https://treue.example/s/tok',
          created_at: '2026-01-01T00:00:00Z',
          expires_at: '2026-02-01T00:00:00Z',
        };
        return HttpResponse.json({ items: [invitation], skipped: [] }, { status: 201 });
      }),
    );
    renderWithProviders(<InviteContacts surveyId="s1" />);
    const user = userEvent.setup();
    expect(screen.getByRole('button', { name: 'Invite 0 contacts' })).toBeDisabled();

    await user.click(screen.getByRole('radio', { name: 'Segment' }));
    await user.click(screen.getByLabelText('Saved segment', { selector: 'input' }));
    // jsdom runs no CSS transitions, so the open dropdown still counts as hidden.
    await user.click(await screen.findByRole('option', { name: 'VIP (12 members)', hidden: true }));
    await user.click(screen.getByRole('button', { name: 'Invite segment' }));

    await waitFor(() => {
      expect(sent).toEqual({ segment_id: 'seg-1', channel: 'link' });
    });
    expect(await screen.findByRole('link', { name: 'https://treue.example/s/tok' })).toBeInTheDocument();
    expect(screen.getByText('1 invitation created.')).toBeInTheDocument();
  });
});
