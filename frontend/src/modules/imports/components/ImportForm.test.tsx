import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';

import { API_ORIGIN, renderWithProviders } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { ImportForm } from './ImportForm';

const IMPORTS_URL = `${API_ORIGIN}/api/v1/imports`;

function csvFile(name = 'leads.csv') {
  return new File(['first_name,last_name\nAnna,Berg\n'], name, { type: 'text/csv' });
}

function fileInput(container: HTMLElement): HTMLInputElement {
  const input = container.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error('no file input');
  return input;
}

function problem(status: number, title: string, detail: string, errors?: { field: string; message: string }[]) {
  return HttpResponse.json(
    { type: 'about:blank', title, status, detail, ...(errors && { errors }) },
    { status, headers: { 'Content-Type': 'application/problem+json' } },
  );
}

describe('ImportForm', { timeout: 60_000 }, () => {
  it('asks for a file before uploading anything', async () => {
    const handleStarted = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<ImportForm onStarted={handleStarted} />);

    await user.click(screen.getByRole('button', { name: 'Start import' }));

    expect(await screen.findByText('Please choose a file')).toBeInTheDocument();
    expect(handleStarted).not.toHaveBeenCalled();
  });

  it('uploads the file with what it holds and reports the job', async () => {
    let sent: { kind: unknown; file: boolean } | undefined;
    server.use(
      http.post(IMPORTS_URL, async ({ request }) => {
        const form = await request.formData();
        const file = form.get('file');
        // jsdom's File reaches Node's FormData as a nameless blob; the browser test checks the file name.
        sent = { kind: form.get('kind'), file: typeof file === 'object' && file !== null };
        return HttpResponse.json({ id: 'j1', status: 'queued' }, { status: 202 });
      }),
    );
    const handleStarted = vi.fn();
    const user = userEvent.setup();
    const { container } = renderWithProviders(<ImportForm onStarted={handleStarted} />);

    await user.click(screen.getByRole('radio', { name: 'Orders' }));
    // The columns shown follow the kind chosen.
    expect(screen.getByText(/contact_external_id,contact_email,external_id,ordered_at/)).toBeInTheDocument();
    await user.upload(fileInput(container), csvFile('orders.csv'));
    await user.click(screen.getByRole('button', { name: 'Start import' }));

    await waitFor(() => {
      expect(handleStarted).toHaveBeenCalledWith(expect.objectContaining({ id: 'j1' }));
    });
    expect(sent).toEqual({ kind: 'orders', file: true });
  });

  it('shows a 413 at the file', async () => {
    server.use(http.post(IMPORTS_URL, () => problem(413, 'Payload too large', 'the file may have at most 1000 bytes')));
    const user = userEvent.setup();
    const { container } = renderWithProviders(<ImportForm onStarted={vi.fn()} />);

    await user.upload(fileInput(container), csvFile());
    await user.click(screen.getByRole('button', { name: 'Start import' }));

    const file = screen.getByRole('button', { name: /^File/ });
    await waitFor(() => {
      expect(file).toHaveAttribute('aria-invalid', 'true');
    });
    expect(file).toHaveAccessibleDescription(/at most 1000 bytes/);
  });

  it('shows the API refusing the file content at the file, other problems in the alert', async () => {
    server.use(
      http.post(IMPORTS_URL, () =>
        problem(422, 'Validation failed', 'file: is not UTF-8 text (byte 0)', [
          { field: 'file', message: 'is not UTF-8 text (byte 0)' },
        ]),
      ),
    );
    const user = userEvent.setup();
    const { container } = renderWithProviders(<ImportForm onStarted={vi.fn()} />);

    await user.upload(fileInput(container), csvFile('picture.csv'));
    await user.click(screen.getByRole('button', { name: 'Start import' }));

    expect(await screen.findByText('is not UTF-8 text (byte 0)')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    server.use(http.post(IMPORTS_URL, () => problem(403, 'Forbidden', 'the scope contacts:write is missing')));
    await user.click(screen.getByRole('button', { name: 'Start import' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('the scope contacts:write is missing');
  });
});
