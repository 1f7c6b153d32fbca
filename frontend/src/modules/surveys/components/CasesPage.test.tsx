import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import type { CaseRead } from '@/client';
import { AGENT, feedbackCaseFixture, LONG_AGO } from '@/test/fixtures';
import { API_ORIGIN } from '@/test/renderWithProviders';
import { renderInRouter } from '@/test/renderInRouter';
import { server } from '@/test/server';

import { CasesPage } from './CasesPage';

function feedbackCase(id: string, status: CaseRead['status'], answer: Pick<CaseRead, 'score' | 'comment'>) {
  return feedbackCaseFixture(id, {
    status,
    resolution_note: status === 'resolved' ? 'Called back, sent a voucher' : null,
    resolved_at: status === 'resolved' ? LONG_AGO : null,
    survey_name: answer.score === null ? null : 'After the purchase',
    ...answer,
  });
}

describe('CasesPage', () => {
  it('shows what the customer said, marks overdue cases and filters by owner', async () => {
    const queries: Record<string, string>[] = [];
    server.use(
      http.get(`${API_ORIGIN}/api/v1/auth/me`, () => HttpResponse.json(AGENT)),
      http.get(`${API_ORIGIN}/api/v1/contacts/c1`, () =>
        HttpResponse.json({ id: 'c1', first_name: 'Erika', last_name: 'Muster' }),
      ),
      http.get(`${API_ORIGIN}/api/v1/feedback-cases`, ({ request }) => {
        const query = Object.fromEntries(new URL(request.url).searchParams);
        queries.push(query);
        const items =
          query.status === 'resolved'
            ? [feedbackCase('k3', 'resolved', { score: 2, comment: null })]
            : [
                feedbackCase('k1', 'open', { score: 4, comment: 'Nobody called back' }),
                feedbackCase('k2', 'open', { score: null, comment: null }),
              ];
        return HttpResponse.json({ items, next_cursor: null });
      }),
    );
    await renderInRouter(<CasesPage />);
    const user = userEvent.setup();

    const table = await screen.findByRole('table', { name: 'Feedback cases' });
    const [, said, erased] = within(table).getAllByRole('row') as [HTMLElement, HTMLElement, HTMLElement];
    expect(said).toHaveTextContent(/“Nobody called back”.*After the purchase.*open.*overdue/);
    expect(within(said).getByLabelText('Score 4 of 10')).toBeInTheDocument();
    expect(erased).toHaveTextContent('Answer erased (GDPR)');
    expect(within(table).queryByRole('columnheader', { name: 'Resolution note' })).toBeNull();

    await user.click(screen.getByRole('radio', { name: 'Mine' }));
    await waitFor(() => {
      expect(queries.at(-1)).toEqual({ status: 'open', sort: 'due_at', owner_id: 'u1', limit: '200' });
    });
    await user.click(screen.getByRole('radio', { name: 'Unassigned' }));
    await waitFor(() => {
      expect(queries.at(-1)).toEqual({ status: 'open', sort: 'due_at', unowned: 'true', limit: '200' });
    });

    await user.click(screen.getByRole('radio', { name: 'resolved' }));
    const resolved = await screen.findByRole('row', { name: /Called back, sent a voucher/ });
    expect(resolved).toHaveTextContent('no comment');
    expect(resolved).not.toHaveTextContent('overdue');
  });
});
