import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import { API_ORIGIN, renderWithProviders } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { CustomFieldsPage } from './CustomFieldsPage';

const FIELDS_URL = `${API_ORIGIN}/api/v1/custom-fields`;

function definition(overrides: Record<string, unknown> = {}) {
  return {
    key: 'branche',
    label: 'Branche',
    type: 'select',
    required: false,
    options: ['Metall', 'Handel'],
    version: 1,
    created_at: '2026-11-01T09:00:00Z',
    updated_at: '2026-11-01T09:00:00Z',
    ...overrides,
  };
}

describe('CustomFieldsPage', () => {
  it('asks for the options of a selection before sending it', async () => {
    const user = userEvent.setup();
    let posted = false;
    server.use(
      http.get(FIELDS_URL, () => HttpResponse.json({ items: [] })),
      http.post(FIELDS_URL, () => {
        posted = true;
        return HttpResponse.json(definition(), { status: 201 });
      }),
    );
    renderWithProviders(<CustomFieldsPage />);

    expect(await screen.findByText('No custom fields yet')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'New field' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/^Key/), 'b');
    await user.type(within(dialog).getByLabelText(/^Label/), 'B');
    // Options are asked for only once the type is a selection.
    expect(within(dialog).queryByLabelText(/^Options/)).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('combobox', { name: /^Type/ }));
    await user.click(await within(dialog).findByRole('option', { name: 'Selection', hidden: true }));
    await user.click(within(dialog).getByRole('button', { name: 'Create field' }));

    expect(within(dialog).getByRole('combobox', { name: /^Options/ })).toHaveAccessibleDescription(/at least one option/);
    expect(posted).toBe(false);
    // Opening the type's listbox is slow on a loaded machine; 20 s (the default) was not enough.
  }, 60_000);

  it('defines a field and lists it', async () => {
    const user = userEvent.setup();
    let sent: unknown;
    server.use(
      http.get(FIELDS_URL, () => HttpResponse.json({ items: sent ? [definition({ type: 'number', options: [] })] : [] })),
      http.post(FIELDS_URL, async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(definition(), { status: 201 });
      }),
    );
    renderWithProviders(<CustomFieldsPage />);

    await user.click(await screen.findByRole('button', { name: 'New field' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/^Key/), 'branche');
    await user.type(within(dialog).getByLabelText(/^Label/), 'Branche');
    await user.click(within(dialog).getByRole('switch', { name: 'Required for every contact' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create field' }));

    await waitFor(() => {
      expect(sent).toEqual({ key: 'branche', label: 'Branche', type: 'text', required: true, options: [] });
    });
    const table = await screen.findByRole('table', { name: 'Custom fields' });
    expect(within(table).getByText('Number')).toBeInTheDocument();
  });

  it('shows a key already defined at the key field', async () => {
    const user = userEvent.setup();
    server.use(
      http.get(FIELDS_URL, () => HttpResponse.json({ items: [] })),
      http.post(FIELDS_URL, () =>
        HttpResponse.json(
          {
            type: 'urn:treue:problem:conflict',
            title: 'Conflict',
            status: 409,
            detail: 'a custom field branche exists already',
            errors: [{ field: 'key', message: 'already defined' }],
          },
          { status: 409, headers: { 'Content-Type': 'application/problem+json' } },
        ),
      ),
    );
    renderWithProviders(<CustomFieldsPage />);

    await user.click(await screen.findByRole('button', { name: 'New field' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/^Key/), 'branche');
    await user.type(within(dialog).getByLabelText(/^Label/), 'Branche');
    await user.click(within(dialog).getByRole('button', { name: 'Create field' }));

    const key = within(dialog).getByLabelText(/^Key/);
    await waitFor(() => {
      expect(key).toHaveAccessibleDescription(/already defined/);
    });
  });

  it('edits the label and requirement but not the key, and deletes after asking', async () => {
    const user = userEvent.setup();
    let patched: unknown;
    let deleted = false;
    server.use(
      http.get(FIELDS_URL, () => HttpResponse.json({ items: deleted ? [] : [definition()] })),
      http.patch(`${FIELDS_URL}/branche`, async ({ request }) => {
        patched = await request.json();
        return HttpResponse.json(definition({ label: 'Sektor', required: true }));
      }),
      http.delete(`${FIELDS_URL}/branche`, () => {
        deleted = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    renderWithProviders(<CustomFieldsPage />);

    await user.click(await screen.findByRole('button', { name: 'Edit Branche' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText(/^Key/)).toBeDisabled();
    const label = within(dialog).getByLabelText(/^Label/);
    await user.clear(label);
    await user.type(label, 'Sektor');
    await user.click(within(dialog).getByRole('switch', { name: 'Required for every contact' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => {
      expect(patched).toEqual({ label: 'Sektor', required: true, options: ['Metall', 'Handel'] });
    });

    await user.click(await screen.findByRole('button', { name: 'Delete Branche' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete the field?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('No custom fields yet')).toBeInTheDocument();
  });
});
