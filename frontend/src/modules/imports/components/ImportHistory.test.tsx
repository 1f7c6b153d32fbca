import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import type { ImportRead } from '@/client';
import { renderInRouter } from '@/test/renderInRouter';
import { API_ORIGIN } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { ImportHistory } from './ImportHistory';

const LIST_URL = `${API_ORIGIN}/api/v1/imports`;
const LOADED = { timeout: 15_000 };

function pastImport(id: string, overrides: Partial<ImportRead>): ImportRead {
  return {
    id,
    kind: 'contacts.import',
    status: 'succeeded',
    progress: 1,
    params: {},
    result: null,
    error: null,
    created_at: '2026-11-27T10:00:00Z',
    started_at: '2026-11-27T10:00:01Z',
    finished_at: '2026-11-27T10:00:09Z',
    created_by: 'u1',
    created_by_name: 'Anna',
    import_kind: 'contacts',
    format: 'csv',
    filename: 'leads.csv',
    size_bytes: 2048,
    records: 10,
    created: 7,
    updated: 1,
    skipped: 0,
    failed: 2,
    errors_url: `/api/v1/imports/${id}/errors`,
    ...overrides,
  };
}

const BY_THE_SYSTEM = { filename: 'orders.csv', import_kind: 'orders', failed: 0, created_by: null, created_by_name: null } as const;

describe('ImportHistory', { timeout: 60_000 }, () => {
  it('lists earlier imports with who, the result and yesterday’s error report, then older ones on demand', async () => {
    const cursors: (string | null)[] = [];
    server.use(
      http.get(LIST_URL, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        cursors.push(cursor);
        return cursor === null
          ? HttpResponse.json({ items: [pastImport('i2', {}), pastImport('i1', BY_THE_SYSTEM)], next_cursor: 'next' })
          : HttpResponse.json({ items: [pastImport('i0', { filename: 'old.csv', status: 'failed', failed: 0 })], next_cursor: null });
      }),
    );
    await renderInRouter(<ImportHistory />);

    const table = await screen.findByRole('table', { name: 'Earlier imports' }, LOADED);
    const [, newest, older] = within(table).getAllByRole('row') as [HTMLElement, HTMLElement, HTMLElement];
    expect(within(newest).getByRole('link', { name: 'leads.csv' })).toHaveAttribute('href', '/contacts/import?job=i2');
    expect(within(newest).getByText('Anna')).toBeInTheDocument();
    expect(within(newest).getByText('7 created · 1 updated · 0 skipped')).toBeInTheDocument();
    expect(within(newest).getByText('2 rows with errors')).toBeInTheDocument();
    const report = within(newest).getByRole('link', { name: 'Download (CSV)' });
    expect(report).toHaveAttribute('href', '/api/v1/imports/i2/errors?format=csv');
    expect(within(older).getByText('Orders')).toBeInTheDocument();
    expect(within(older).getByText('The system')).toBeInTheDocument();
    expect(within(older).queryByRole('link', { name: 'Download (CSV)' })).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));

    expect(await within(table).findByRole('link', { name: 'old.csv' }, LOADED)).toBeInTheDocument();
    expect(within(table).getByText('Stopped')).toBeInTheDocument();
    expect(cursors).toEqual([null, 'next']);
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('tells a user without imports what the list is for', async () => {
    server.use(http.get(LIST_URL, () => HttpResponse.json({ items: [], next_cursor: null })));
    await renderInRouter(<ImportHistory />);

    expect(await screen.findByText('No imports yet', {}, LOADED)).toBeInTheDocument();
  });
});
