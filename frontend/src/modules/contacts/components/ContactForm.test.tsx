import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';

import { renderWithProviders, API_ORIGIN } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { ContactForm } from './ContactForm';

const CONTACTS_URL = `${API_ORIGIN}/api/v1/contacts`;

async function fillIn(email: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText(/first name/i), 'Anna');
  await user.type(screen.getByLabelText(/last name/i), 'Berg');
  await user.type(screen.getByLabelText(/^e-mail/i), email);
  await user.click(screen.getByRole('button', { name: 'Create contact' }));
}

describe('ContactForm', () => {
  it('shows the API 409 at the e-mail field', async () => {
    server.use(
      http.post(CONTACTS_URL, () =>
        HttpResponse.json(
          {
            type: 'https://treue.dev/problems/conflict',
            title: 'Conflict',
            status: 409,
            detail: 'a contact with the e-mail anna@example.com exists already',
            errors: [{ field: 'email', message: 'already used by another contact' }],
          },
          { status: 409, headers: { 'Content-Type': 'application/problem+json' } },
        ),
      ),
    );
    const handleCreated = vi.fn();
    renderWithProviders(<ContactForm onSaved={handleCreated} onCancel={vi.fn()} />);

    await fillIn('anna@example.com');

    const email = screen.getByLabelText(/^e-mail/i);
    await waitFor(() => {
      expect(email).toHaveAttribute('aria-invalid', 'true');
    });
    expect(email).toHaveAccessibleDescription(/already used by another contact/);
    expect(handleCreated).not.toHaveBeenCalled();
  });

  it('sends the CSRF cookie as a header and reports the created contact', async () => {
    document.cookie = 'treue_csrf=token-123';
    let sent: { csrf: string | null; body: unknown } | undefined;
    server.use(
      http.post(CONTACTS_URL, async ({ request }) => {
        sent = { csrf: request.headers.get('X-CSRF-Token'), body: await request.json() };
        return HttpResponse.json({ id: 'c1', first_name: 'Anna', last_name: 'Berg' }, { status: 201 });
      }),
    );
    const handleCreated = vi.fn();
    renderWithProviders(<ContactForm onSaved={handleCreated} onCancel={vi.fn()} />);

    await fillIn('anna@example.com');

    await waitFor(() => {
      expect(handleCreated).toHaveBeenCalledWith(expect.objectContaining({ id: 'c1' }));
    });
    expect(sent?.csrf).toBe('token-123');
    expect(sent?.body).toMatchObject({ first_name: 'Anna', email: 'anna@example.com', phone: null, lifecycle_stage: 'lead' });
  });

  it('checks the e-mail before asking the API', async () => {
    renderWithProviders(<ContactForm onSaved={vi.fn()} onCancel={vi.fn()} />);

    await fillIn('not-an-address');

    expect(await screen.findByText('Not a valid e-mail address')).toBeInTheDocument();
  });

  it('edits an existing contact with PATCH and shows the 409 at the e-mail field', async () => {
    const contact = {
      id: 'c7',
      first_name: 'Anna',
      last_name: 'Berg',
      email: 'anna@example.com',
      phone: null,
      company: 'Berg GmbH',
      language: 'de',
      tags: ['vip'],
      custom_fields: {},
      lifecycle_stage: 'customer',
      owner_id: null,
      marketing_consent: true,
      marketing_consent_at: null,
      acquisition_channel: null,
      acquisition_cost: null,
      external_id: null,
      churn_reason: null,
      churn_note: null,
      churned_at: null,
      version: 3,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    };
    let sent: unknown;
    server.use(
      http.patch(`${CONTACTS_URL}/c7`, async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(
          {
            type: 'https://treue.dev/problems/conflict',
            title: 'Conflict',
            status: 409,
            detail: 'taken',
            errors: [{ field: 'email', message: 'already used by another contact' }],
          },
          { status: 409, headers: { 'Content-Type': 'application/problem+json' } },
        );
      }),
    );
    const handleSaved = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<ContactForm contact={contact} onSaved={handleSaved} onCancel={vi.fn()} />);

    const email = screen.getByLabelText(/^e-mail/i);
    expect(email).toHaveValue('anna@example.com');
    await user.clear(email);
    await user.type(email, 'bob@example.com');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => {
      expect(email).toHaveAttribute('aria-invalid', 'true');
    });
    expect(email).toHaveAccessibleDescription(/already used by another contact/);
    expect(sent).toMatchObject({ email: 'bob@example.com', company: 'Berg GmbH', tags: ['vip'], lifecycle_stage: 'customer' });
    expect(handleSaved).not.toHaveBeenCalled();
  });
});
