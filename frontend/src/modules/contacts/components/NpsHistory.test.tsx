import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import { API_ORIGIN, renderWithProviders } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { NpsHistory } from './NpsHistory';

const URL = `${API_ORIGIN}/api/v1/surveys/contacts/c1/responses`;

function answer(id: string, score: number, category: string, surveyName: string, comment: string | null = null) {
  return {
    id,
    survey_id: `s-${surveyName}`,
    survey_name: surveyName,
    score,
    category,
    comment,
    responded_at: '2026-03-02T10:15:00+00:00',
    channel: 'link',
  };
}

describe('NpsHistory', () => {
  it('lists the contact’s answers across surveys and loads older ones on demand', async () => {
    const cursors: (string | null)[] = [];
    server.use(
      http.get(URL, ({ request }) => {
        const cursor = new globalThis.URL(request.url).searchParams.get('cursor');
        cursors.push(cursor);
        if (cursor === null) {
          return HttpResponse.json({ items: [answer('r1', 9, 'promoter', 'Nach dem Kauf', 'Schnell geliefert')], next_cursor: 'page-2' });
        }
        return HttpResponse.json({ items: [answer('r2', 3, 'detractor', 'Jahresumfrage')], next_cursor: null });
      }),
    );
    renderWithProviders(<NpsHistory contactId="c1" />);

    const list = await screen.findByRole('list', { name: 'NPS history' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    expect(within(list).getByText('Nach dem Kauf')).toBeInTheDocument();
    expect(within(list).getByText('“Schnell geliefert”')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));

    expect(await within(list).findByText('Jahresumfrage')).toBeInTheDocument();
    expect(within(list).getByText('Detractor')).toBeInTheDocument();
    expect(cursors).toEqual([null, 'page-2']);
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('invites to a survey when the contact never answered', async () => {
    server.use(http.get(URL, () => HttpResponse.json({ items: [], next_cursor: null })));
    renderWithProviders(<NpsHistory contactId="c1" />);

    expect(await screen.findByText('No answers yet. Invite the contact to a survey.')).toBeInTheDocument();
  });
});
