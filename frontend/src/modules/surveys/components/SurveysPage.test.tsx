import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import { API_ORIGIN } from '@/test/renderWithProviders';
import { renderInRouter } from '@/test/renderInRouter';
import { server } from '@/test/server';

import { SurveysPage } from './SurveysPage';

function survey(id: string, name: string, answers: { responses: number; nps: number | null; last: string | null }) {
  return {
    id,
    name,
    question: { de: 'Wie wahrscheinlich …?', en: 'How likely …?' },
    follow_up_question: { de: 'Warum?', en: 'Why?' },
    quiet_period_days: 90,
    active: true,
    reminder_after_days: 7,
    max_reminders: 1,
    after_order_days: null,
    before_renewal_days: null,
    created_at: '2026-01-05T09:00:00Z',
    updated_at: '2026-01-05T09:00:00Z',
    responses: answers.responses,
    nps: answers.nps,
    last_response_on: answers.last,
  };
}

describe('SurveysPage', () => {
  it('shows how each survey is doing: answers, NPS (negative in red) and the latest answer', async () => {
    server.use(
      http.get(`${API_ORIGIN}/api/v1/surveys`, () =>
        HttpResponse.json({
          items: [
            survey('s1', 'After the purchase', { responses: 1250, nps: -12.4, last: '2026-11-20' }),
            survey('s2', 'Before the renewal', { responses: 0, nps: null, last: null }),
          ],
          next_cursor: null,
        }),
      ),
    );
    await renderInRouter(<SurveysPage />);

    const table = await screen.findByRole('table', { name: 'Surveys' });
    const [, asked, quiet] = within(table).getAllByRole('row') as [HTMLElement, HTMLElement, HTMLElement];
    const cells = within(asked).getAllByRole('cell');
    expect(cells.map((cell) => cell.textContent)).toEqual([
      'After the purchase',
      'active',
      '1,250',
      '-12',
      'Nov 20, 2026',
      '90 days',
      'Jan 5, 2026',
    ]);
    expect(cells[3]).toHaveStyle({ color: 'var(--mantine-color-red-8)' });
    expect(within(quiet).getAllByRole('cell').slice(2, 5).map((cell) => cell.textContent)).toEqual(['0', '—', '—']);
  });
});
