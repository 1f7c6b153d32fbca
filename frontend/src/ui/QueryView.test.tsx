import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { renderWithProviders } from '@/test/renderWithProviders';

import { QueryView, type QueryState } from './QueryView';

function state(overrides: Partial<QueryState<string[]>>): QueryState<string[]> {
  return { isPending: false, isError: false, error: null, data: undefined, refetch: vi.fn(), ...overrides };
}

function view(query: QueryState<string[]>) {
  return renderWithProviders(
    <QueryView
      query={query}
      errorTitle="Tasks could not be loaded"
      isEmpty={(items) => items.length === 0}
      empty={<p>No tasks yet: add one</p>}
      notFound={<p>Not seen yet</p>}
    >
      {(items) => <p>{items.join(', ')}</p>}
    </QueryView>,
  );
}

describe('QueryView', () => {
  it('says it is loading while pending', () => {
    view(state({ isPending: true }));
    expect(screen.getByRole('status', { name: 'Loading …' })).toBeInTheDocument();
  });

  it('shows the problem detail and retries on request', async () => {
    const query = state({ isError: true, error: { type: 'about:blank', title: 'Unavailable', status: 503, detail: 'analytics is down' } });
    view(query);
    expect(screen.getByRole('alert')).toHaveTextContent('Tasks could not be loaded');
    expect(screen.getByRole('alert')).toHaveTextContent('analytics is down');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(query.refetch).toHaveBeenCalledOnce();
  });

  it('shows the not-found content for a 404 instead of an error', () => {
    view(state({ isError: true, error: { type: 'about:blank', title: 'Not Found', status: 404, detail: null } }));
    expect(screen.getByText('Not seen yet')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('tells what to do when there is nothing, else renders the data', () => {
    const { unmount } = view(state({ data: [] }));
    expect(screen.getByText('No tasks yet: add one')).toBeInTheDocument();
    unmount();
    view(state({ data: ['call Anna', 'send offer'] }));
    expect(screen.getByText('call Anna, send offer')).toBeInTheDocument();
  });
});
