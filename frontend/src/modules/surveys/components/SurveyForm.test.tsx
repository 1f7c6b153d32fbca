import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';

import { API_ORIGIN, renderWithProviders } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { SurveyForm } from './SurveyForm';

const SURVEYS_URL = `${API_ORIGIN}/api/v1/surveys`;

describe('SurveyForm', () => {
  it('asks for the other language of a custom question before sending', async () => {
    const post = vi.fn();
    server.use(http.post(SURVEYS_URL, post));
    renderWithProviders(<SurveyForm onCreated={vi.fn()} onCancel={vi.fn()} />);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText(/^Name/), 'After the purchase');
    await user.type(screen.getByLabelText('Question (German)'), 'Wie war der Kauf?');
    await user.click(screen.getByRole('button', { name: 'Create survey' }));

    expect(await screen.findByLabelText('Question (English)')).toHaveAccessibleDescription(
      'Please fill in both languages',
    );
    expect(post).not.toHaveBeenCalled();
  });

  it('sends the survey and shows the API problem at the nested field it names', async () => {
    let sent: unknown;
    server.use(
      http.post(SURVEYS_URL, async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(
          {
            type: 'about:blank',
            title: 'Unprocessable',
            status: 422,
            errors: [{ field: 'question.en', message: 'String should have at most 1000 characters' }],
          },
          { status: 422 },
        );
      }),
    );
    const handleCreated = vi.fn();
    renderWithProviders(<SurveyForm onCreated={handleCreated} onCancel={vi.fn()} />);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText(/^Name/), 'After the purchase');
    await user.type(screen.getByLabelText('Question (German)'), 'Wie war der Kauf?');
    await user.type(screen.getByLabelText('Question (English)'), 'How was it?');
    await user.click(screen.getByRole('button', { name: 'Create survey' }));

    await waitFor(() => {
      expect(screen.getByLabelText('Question (English)')).toHaveAttribute('aria-invalid', 'true');
    });
    expect(screen.getByLabelText('Question (English)')).toHaveAccessibleDescription(/at most 1000/);
    expect(sent).toEqual({
      name: 'After the purchase',
      quiet_period_days: 90,
      question: { de: 'Wie war der Kauf?', en: 'How was it?' },
    });
    expect(handleCreated).not.toHaveBeenCalled();
  });
});
