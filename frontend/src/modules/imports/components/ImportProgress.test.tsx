import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';

import type { ImportRead } from '@/client';
import { renderInRouter } from '@/test/renderInRouter';
import { API_ORIGIN } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { ImportProgress } from './ImportProgress';

const JOB_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const JOB_URL = `${API_ORIGIN}/api/v1/imports/${JOB_ID}`;
const LOADED = { timeout: 15_000 };

function job(overrides: Partial<ImportRead>): ImportRead {
  return {
    id: JOB_ID,
    kind: 'contacts.import',
    status: 'running',
    progress: 0,
    params: {},
    result: null,
    error: null,
    created_at: '2026-11-27T10:00:00Z',
    started_at: '2026-11-27T10:00:01Z',
    finished_at: null,
    created_by: 'u1',
    created_by_name: 'Anna',
    import_kind: 'contacts',
    format: 'csv',
    filename: 'leads.csv',
    size_bytes: 2048,
    records: 0,
    created: 0,
    updated: 0,
    skipped: 0,
    failed: 0,
    errors_url: `/api/v1/imports/${JOB_ID}/errors`,
    ...overrides,
  };
}

const REFUSED_ROWS = [
  { row: 4, field: 'email', message: 'not a valid e-mail address: no @-sign', code: 'value_error', ctx: null },
  { row: 7, field: 'company', message: 'must have at most 200 characters', code: 'string_too_long', ctx: { max_length: 200 } },
];

describe('ImportProgress', { timeout: 60_000 }, () => {
  it('follows the job to its end, then shows the counts and the refused rows', async () => {
    const answers = [
      job({ status: 'running', progress: 0.4, records: 2, created: 2 }),
      job({ status: 'succeeded', progress: 1, records: 5, created: 3, updated: 1, failed: 1, finished_at: '2026-11-27T10:00:03Z' }),
    ];
    let polls = 0;
    server.use(
      http.get(JOB_URL, () => HttpResponse.json(answers[Math.min(polls++, answers.length - 1)])),
      http.get(`${JOB_URL}/errors`, () => HttpResponse.json(REFUSED_ROWS)),
    );
    await renderInRouter(<ImportProgress importId={JOB_ID} onRestart={vi.fn()} />);

    const bar = await screen.findByRole('progressbar', { name: 'Import progress' }, LOADED);
    expect(bar).toHaveAttribute('aria-valuenow', '40');
    expect(screen.getByText('Running')).toBeInTheDocument();
    expect(screen.getByText(/2 records processed · 40%/)).toBeInTheDocument();

    expect(await screen.findByText('Done', {}, LOADED)).toBeInTheDocument();
    expect(bar).toHaveAttribute('aria-valuenow', '100');
    expect(screen.getByText('Done: 5 records processed')).toBeInTheDocument();
    const failedCard = screen.getByText('Rows with errors').parentElement;
    expect(failedCard).toHaveTextContent('1');
    const report = await screen.findByRole('table', { name: 'Error report' });
    expect(within(report).getByRole('row', { name: /4 email not a valid e-mail address/ })).toBeInTheDocument();
    expect(within(report).getByRole('row', { name: /7 company At most 200 characters/ })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Download the error report (CSV)' })).toHaveAttribute(
      'href',
      `/api/v1/imports/${JOB_ID}/errors?format=csv`,
    );
    // Finished: no more polling.
    const pollsWhenDone = polls;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(polls).toBe(pollsWhenDone);
  });

  it('shows the refused rows in the user\'s language by their codes', async () => {
    server.use(
      http.get(JOB_URL, () => HttpResponse.json(job({ status: 'succeeded', progress: 1, records: 9, failed: 2 }))),
      http.get(`${JOB_URL}/errors`, () => HttpResponse.json(REFUSED_ROWS)),
    );
    await renderInRouter(<ImportProgress importId={JOB_ID} onRestart={vi.fn()} />, 'de');

    const report = await screen.findByRole('table', { name: 'Fehlerbericht' }, LOADED);
    // A code the app translates shows its text with the code's values; the rest the API's message.
    expect(within(report).getByRole('row', { name: /7 company Höchstens 200 Zeichen/ })).toBeInTheDocument();
    expect(within(report).getByRole('row', { name: /4 email not a valid e-mail address/ })).toBeInTheDocument();
  });

  it('says when the job does not exist and offers a new import', async () => {
    server.use(
      http.get(JOB_URL, () =>
        HttpResponse.json(
          { type: 'about:blank', title: 'Not found', status: 404, detail: `import ${JOB_ID} does not exist` },
          { status: 404, headers: { 'Content-Type': 'application/problem+json' } },
        ),
      ),
    );
    const handleRestart = vi.fn();
    const user = userEvent.setup();
    await renderInRouter(<ImportProgress importId={JOB_ID} onRestart={handleRestart} />);

    expect(await screen.findByText('Import not found', {}, LOADED)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Import another file' }));
    expect(handleRestart).toHaveBeenCalled();
  });

  it('shows why a job stopped', async () => {
    server.use(
      http.get(JOB_URL, () =>
        HttpResponse.json(job({ status: 'failed', progress: 0.5, records: 1000, created: 1000, error: 'database went away' })),
      ),
    );
    await renderInRouter(<ImportProgress importId={JOB_ID} onRestart={vi.fn()} />, 'de');

    const alert = await screen.findByRole('alert', {}, LOADED);
    expect(alert).toHaveTextContent('Der Import wurde abgebrochen');
    expect(alert).toHaveTextContent('database went away');
    expect(screen.getByText('Fertig: 1.000 Datensätze verarbeitet')).toBeInTheDocument();
  });
});
