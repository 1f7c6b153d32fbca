import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import { API_ORIGIN, renderWithProviders } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { NpsCard } from './NpsCard';

const URL = `${API_ORIGIN}/api/v1/surveys/s1/nps`;

function nps(overall: object, rate: object | null = null) {
  return { overall, series: [], response_rate: rate };
}

describe('NpsCard', () => {
  it('shows the NPS with its confidence interval, the mix and the response rate in the locale', async () => {
    server.use(
      http.get(URL, () =>
        HttpResponse.json(
          nps(
            { nps: 12.5, n: 40, promoters: 15, passives: 15, detractors: 10, ci_low: -8.25, ci_high: 33.1 },
            { invitations: 80, answered: 40, rate: 0.5 },
          ),
        ),
      ),
    );
    renderWithProviders(<NpsCard surveyId="s1" />, 'de');

    expect(await screen.findByTestId('nps-value')).toHaveTextContent('13');
    expect(screen.getByText('95-%-Konfidenzintervall -8 bis 33')).toBeInTheDocument();
    expect(screen.getByText('40 Antworten: 15 Promotoren, 15 Passive, 10 Kritiker')).toBeInTheDocument();
    expect(screen.getByText('40 von 80 Einladungen beantwortet (50 %)')).toBeInTheDocument();
  });

  it('says so when nobody has answered yet', async () => {
    server.use(
      http.get(URL, () =>
        HttpResponse.json(
          nps({ nps: null, n: 0, promoters: 0, passives: 0, detractors: 0, ci_low: null, ci_high: null }),
        ),
      ),
    );
    renderWithProviders(<NpsCard surveyId="s1" />);

    expect(await screen.findByText(/No answers yet/)).toBeInTheDocument();
    expect(screen.queryByTestId('nps-value')).not.toBeInTheDocument();
  });
});
