import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import type { CaseRead } from '@/client';
import { AGENT, feedbackCaseFixture, LONG_AGO } from '@/test/fixtures';
import { API_ORIGIN } from '@/test/renderWithProviders';
import { renderInRouter } from '@/test/renderInRouter';
import { server } from '@/test/server';

import { TodayInbox } from './TodayInbox';

const PAST = LONG_AGO;
const FUTURE = '2999-01-01T09:00:00Z';

function task(id: string, title: string, dueAt: string, assignee: string | null = 'u1') {
  return {
    id,
    contact_id: 'c1',
    title,
    due_at: dueAt,
    assignee_id: assignee,
    status: 'open',
    origin: 'manual',
    title_code: null,
    title_params: null,
    completed_at: null,
    version: 1,
    created_at: PAST,
    updated_at: PAST,
  };
}

function feedbackCase(id: string, status: CaseRead['status'], dueAt: string, owner: string | null = 'u1') {
  return feedbackCaseFixture(id, { status, due_at: dueAt, owner_id: owner });
}

function baseHandlers(cases: Record<string, ReturnType<typeof feedbackCase>[]>) {
  return [
    http.get(`${API_ORIGIN}/api/v1/auth/me`, () => HttpResponse.json(AGENT)),
    http.get(`${API_ORIGIN}/api/v1/contacts/c1`, () =>
      HttpResponse.json({ id: 'c1', first_name: 'Erika', last_name: 'Muster' }),
    ),
    http.get(`${API_ORIGIN}/api/v1/feedback-cases`, ({ request }) => {
      const status = new URL(request.url).searchParams.get('status') ?? '';
      return HttpResponse.json({ items: cases[status] ?? [], next_cursor: null });
    }),
  ];
}

describe('TodayInbox', () => {
  it('lists my open tasks, overdue marked, and completes one', async () => {
    const taskQueries: Record<string, string>[] = [];
    let patched: unknown;
    server.use(
      ...baseHandlers({}),
      http.get(`${API_ORIGIN}/api/v1/tasks`, ({ request }) => {
        taskQueries.push(Object.fromEntries(new URL(request.url).searchParams));
        return HttpResponse.json({
          items: patched
            ? [task('t2', 'Send offer', FUTURE)]
            : [task('t1', 'Call back', PAST), task('t2', 'Send offer', FUTURE)],
          next_cursor: null,
        });
      }),
      http.patch(`${API_ORIGIN}/api/v1/tasks/t1`, async ({ request }) => {
        patched = await request.json();
        return HttpResponse.json({ ...task('t1', 'Call back', PAST), status: 'done' });
      }),
    );
    await renderInRouter(<TodayInbox />);

    const tasks = await screen.findByRole('list', { name: 'Tasks' });
    await within(tasks).findAllByRole('link', { name: 'Erika Muster' });
    const rows = within(tasks).getAllByRole('listitem');
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringMatching(/Call back.*Erika Muster.*overdue/),
      expect.not.stringMatching(/overdue/),
    ]);
    expect(taskQueries[0]).toEqual({ status: 'open', limit: '100', assignee_id: 'u1' });

    await userEvent.click(screen.getByRole('checkbox', { name: 'Complete “Call back”' }));

    await waitFor(() => {
      expect(within(tasks).getAllByRole('listitem')).toHaveLength(1);
    });
    expect(patched).toEqual({ status: 'done' });
  });

  it('shows an automatic task written for an English contact in a German agent\'s words', async () => {
    const followUp = {
      ...task('t3', 'Follow up: order SHOP-ORD-1042', FUTURE),
      origin: 'order_follow_up',
      title_code: 'order_follow_up',
      title_params: { order: 'SHOP-ORD-1042' },
    };
    server.use(
      ...baseHandlers({}),
      http.get(`${API_ORIGIN}/api/v1/tasks`, () => HttpResponse.json({ items: [followUp], next_cursor: null })),
    );
    await renderInRouter(<TodayInbox />, 'de');

    const tasks = await screen.findByRole('list', { name: 'Aufgaben' });
    expect(await within(tasks).findByText('Nachfassen: Bestellung SHOP-ORD-1042')).toBeInTheDocument();
    expect(within(tasks).getByRole('checkbox', { name: '„Nachfassen: Bestellung SHOP-ORD-1042“ erledigen' })).toBeInTheDocument();
  });

  it('moves a case from open to in progress and resolves it only with a note', async () => {
    const patches: unknown[] = [];
    server.use(
      ...baseHandlers({
        open: [feedbackCase('k1', 'open', FUTURE)],
        in_progress: [feedbackCase('k2', 'in_progress', PAST)],
      }),
      http.get(`${API_ORIGIN}/api/v1/tasks`, () => HttpResponse.json({ items: [], next_cursor: null })),
      http.patch(`${API_ORIGIN}/api/v1/feedback-cases/:id`, async ({ request, params }) => {
        patches.push({ id: params.id, ...((await request.json()) as object) });
        return HttpResponse.json(feedbackCase(String(params.id), 'resolved', PAST));
      }),
    );
    await renderInRouter(<TodayInbox />);
    const user = userEvent.setup();

    const cases = await screen.findByRole('list', { name: 'Feedback cases' });
    const [overdue, later] = within(cases).getAllByRole('listitem') as [HTMLElement, HTMLElement];
    // The overdue one (in progress) leads, though the API lists each status on its own.
    expect(overdue).toHaveTextContent(/in progress.*“The delivery was late”.*After the purchase.*overdue/);
    expect(within(overdue).getByLabelText('Score 3 of 10')).toHaveTextContent('3');
    expect(screen.getByText('No open tasks')).toBeInTheDocument();

    await user.click(within(later).getByRole('button', { name: 'Start work' }));
    await user.click(within(overdue).getByRole('button', { name: 'Resolve …' }));
    const form = screen.getByRole('form', { name: 'Resolve case' });
    await user.click(within(form).getByRole('button', { name: 'Mark resolved' }));
    expect(within(form).getByLabelText(/Resolution note/)).toHaveAccessibleDescription(/describe how/);
    await user.type(within(form).getByLabelText(/Resolution note/), 'Called, refunded the shipping');
    await user.click(within(form).getByRole('button', { name: 'Mark resolved' }));

    await waitFor(() => {
      expect(patches).toEqual([
        { id: 'k1', status: 'in_progress' },
        { id: 'k2', status: 'resolved', resolution_note: 'Called, refunded the shipping' },
      ]);
    });
  });

  it('offers the unassigned work to take', async () => {
    let patched: unknown;
    const taskQueries: Record<string, string>[] = [];
    server.use(
      ...baseHandlers({}),
      http.get(`${API_ORIGIN}/api/v1/tasks`, ({ request }) => {
        taskQueries.push(Object.fromEntries(new URL(request.url).searchParams));
        return HttpResponse.json({ items: [task('t3', 'Renew contract', FUTURE, null)], next_cursor: null });
      }),
      http.patch(`${API_ORIGIN}/api/v1/tasks/t3`, async ({ request }) => {
        patched = await request.json();
        return HttpResponse.json(task('t3', 'Renew contract', FUTURE));
      }),
    );
    await renderInRouter(<TodayInbox />);
    const user = userEvent.setup();
    await screen.findByRole('list', { name: 'Tasks' });

    await user.click(screen.getByRole('radio', { name: 'Unassigned' }));
    await waitFor(() => {
      expect(taskQueries.at(-1)).toEqual({ status: 'open', limit: '100', unassigned: 'true' });
    });
    await user.click(await screen.findByRole('button', { name: 'Take' }));

    await waitFor(() => {
      expect(patched).toEqual({ assignee_id: 'u1' });
    });
  });
});
