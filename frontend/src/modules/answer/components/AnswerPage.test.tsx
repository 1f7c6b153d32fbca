import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import { i18n } from '@/i18n/i18n';
import { API_ORIGIN, renderWithProviders } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { AnswerView } from './AnswerPage';

const TOKEN = 'tok-0123456789abcdefghij';
const URL = `${API_ORIGIN}/api/v1/public/invitations/${TOKEN}`;

function invitation(language: string, response: unknown = null) {
  return {
    survey_id: 's1',
    language,
    question: language === 'de' ? 'Wie wahrscheinlich empfehlen Sie uns?' : 'How likely are you to recommend us?',
    follow_up_question: language === 'de' ? 'Warum?' : 'Why?',
    scale_min: 0,
    scale_max: 10,
    response,
  };
}

function problem(status: number) {
  return HttpResponse.json({ type: 'about:blank', title: 'Problem', status }, { status });
}

describe('AnswerView', () => {
  it('is answered by keyboard and thanks the customer, with the answer editable', async () => {
    let sent: unknown;
    server.use(
      http.get(URL, () => HttpResponse.json(invitation('en'))),
      http.post(`${URL}/response`, async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(
          {
            score: 3,
            comment: 'Too slow',
            responded_at: '2026-11-27T10:00:00Z',
            editable_until: '2999-01-01T10:00:00Z',
          },
          { status: 201 },
        );
      }),
    );
    renderWithProviders(<AnswerView token={TOKEN} />, 'de');
    const user = userEvent.setup();

    const group = await screen.findByRole('radiogroup', { name: 'How likely are you to recommend us?' });
    expect(group).toHaveAccessibleDescription(/0 = not at all likely/);
    expect(screen.getAllByRole('radio')).toHaveLength(11);
    // The customer's language wins over the one the page started in.
    await waitFor(() => {
      expect(i18n.language).toBe('en');
    });

    await user.tab();
    expect(screen.getByRole('radio', { name: /^0/ })).toHaveFocus();
    await user.keyboard('{ArrowRight}{ArrowRight}{ArrowRight}');
    expect(screen.getByRole('radio', { name: '3' })).toBeChecked();
    await user.tab();
    await user.keyboard('Too slow');
    await user.tab();
    await user.keyboard('{Enter}');

    expect(await screen.findByRole('heading', { name: 'Thank you for your answer!' })).toBeInTheDocument();
    expect(sent).toEqual({ score: 3, comment: 'Too slow' });
    expect(screen.getByText('Your score: 3 of 10')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Change answer' }));
    expect(screen.getByRole('radio', { name: '3' })).toBeChecked();
    expect(screen.getByLabelText(/^Why\?/)).toHaveValue('Too slow');
  });

  it('asks for a score instead of sending none', async () => {
    let posted = false;
    server.use(
      http.get(URL, () => HttpResponse.json(invitation('en'))),
      http.post(`${URL}/response`, () => {
        posted = true;
        return problem(422);
      }),
    );
    renderWithProviders(<AnswerView token={TOKEN} />);

    await userEvent.click(await screen.findByRole('button', { name: 'Send answer' }));

    expect(screen.getByRole('radiogroup')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('radiogroup')).toHaveAccessibleDescription(/Please choose a score/);
    expect(posted).toBe(false);
  });

  it('shows the question in German for a German customer', async () => {
    server.use(http.get(URL, () => HttpResponse.json(invitation('de'))));
    renderWithProviders(<AnswerView token={TOKEN} />, 'en');

    expect(await screen.findByRole('button', { name: 'Antwort senden' })).toBeInTheDocument();
    expect(screen.getByRole('radiogroup', { name: 'Wie wahrscheinlich empfehlen Sie uns?' })).toBeInTheDocument();
  });

  it.each([
    [404, 'We do not know this survey link'],
    [410, 'This survey has closed'],
  ])('explains a %i', async (status, title) => {
    server.use(http.get(URL, () => problem(status)));
    renderWithProviders(<AnswerView token={TOKEN} />);

    expect(await screen.findByRole('heading', { name: title })).toBeInTheDocument();
    expect(screen.queryByRole('radiogroup')).not.toBeInTheDocument();
  });

  it('tells a German customer in German why sending failed, not in the server\'s English', async () => {
    server.use(
      http.get(URL, () => HttpResponse.json(invitation('de'))),
      http.post(`${URL}/response`, () =>
        HttpResponse.json(
          { type: 'urn:treue:problem:gone', title: 'Gone', status: 410, detail: 'this survey link has expired' },
          { status: 410 },
        ),
      ),
    );
    renderWithProviders(<AnswerView token={TOKEN} />, 'de');

    await userEvent.click(await screen.findByRole('radio', { name: /^8/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Antwort senden' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Der Link ist abgelaufen. Danke für Ihr Interesse!');
    expect(screen.getByRole('alert')).not.toHaveTextContent('expired');
  });

  it('says an answer past its 24 hours is final', async () => {
    const old = {
      score: 9,
      comment: null,
      responded_at: '2026-01-01T10:00:00Z',
      editable_until: '2026-01-02T10:00:00Z',
    };
    server.use(http.get(URL, () => HttpResponse.json(invitation('en', old))));
    renderWithProviders(<AnswerView token={TOKEN} />);

    expect(await screen.findByRole('heading', { name: 'You have answered already' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Change answer' })).not.toBeInTheDocument();
  });
});
