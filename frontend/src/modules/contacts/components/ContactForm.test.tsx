import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import type { ContactRead, CustomFieldRead } from '@/client';

import { renderWithProviders, API_ORIGIN } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { ContactForm } from './ContactForm';

const CONTACTS_URL = `${API_ORIGIN}/api/v1/contacts`;
const FIELDS_URL = `${API_ORIGIN}/api/v1/custom-fields`;
// The form waits for the custom field definitions; on a busy machine that takes longer than
// findBy's 1 s, and typing a whole form longer than a test's 20 s.
const LOADED = { timeout: 15_000 };

function definition(key: string, label: string, type: string, extra: Partial<CustomFieldRead> = {}): CustomFieldRead {
  return {
    key,
    label,
    type,
    required: false,
    options: [],
    version: 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

const DEFINITIONS = [
  definition('branche', 'Industry', 'select', { options: ['maschinenbau', 'handel'] }),
  definition('mitarbeiter', 'Staff', 'number', { required: true }),
  definition('erstkontakt', 'First contact', 'date'),
  definition('rahmenvertrag', 'Framework contract', 'boolean'),
  definition('messe', 'Trade fair', 'text'),
];

function existingContact(overrides: Partial<ContactRead> = {}): ContactRead {
  return {
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
    ...overrides,
  };
}

function withDefinitions(items: CustomFieldRead[]) {
  server.use(http.get(FIELDS_URL, () => HttpResponse.json({ items })));
}

function problem422(field: string, message: string, code?: string) {
  return HttpResponse.json(
    {
      type: 'https://treue.dev/problems/validation',
      title: 'Validation failed',
      status: 422,
      detail: `${field}: ${message}`,
      errors: [{ field, message, code }],
    },
    { status: 422, headers: { 'Content-Type': 'application/problem+json' } },
  );
}

async function fillIn(email: string) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText(/first name/i, {}, LOADED), 'Anna');
  await user.type(screen.getByLabelText(/last name/i), 'Berg');
  await user.type(screen.getByLabelText(/^e-mail/i), email);
  await user.click(screen.getByRole('button', { name: 'Create contact' }));
}

describe('ContactForm', { timeout: 60_000 }, () => {
  beforeEach(() => {
    withDefinitions([]);
  });

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

    const email = await screen.findByLabelText(/^e-mail/i, {}, LOADED);
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
    const contact = existingContact();
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

    const email = await screen.findByLabelText(/^e-mail/i, {}, LOADED);
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
  it('renders an input for each custom field by its type and sends typed values', async () => {
    withDefinitions(DEFINITIONS);
    let sent: { custom_fields?: unknown } | undefined;
    server.use(
      http.post(CONTACTS_URL, async ({ request }) => {
        sent = (await request.json()) as typeof sent;
        return HttpResponse.json({ id: 'c2', first_name: 'Anna', last_name: 'Berg' }, { status: 201 });
      }),
    );
    const handleCreated = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<ContactForm onSaved={handleCreated} onCancel={vi.fn()} />);

    await user.type(await screen.findByLabelText(/^Staff/, {}, LOADED), '1,5');
    expect(screen.getByLabelText(/^First contact/)).toHaveAttribute('type', 'date');
    await user.type(screen.getByLabelText(/^First contact/), '2026-03-01');
    await user.type(screen.getByLabelText(/^Trade fair/), 'EMO');
    await user.click(screen.getByRole('combobox', { name: /^Industry/ }));
    await user.click(await screen.findByRole('option', { name: 'handel', hidden: true }));
    await user.click(screen.getByRole('combobox', { name: /^Framework contract/ }));
    await user.click(await screen.findByRole('option', { name: 'No', hidden: true }));
    await fillIn('anna@example.com');

    await waitFor(() => {
      expect(handleCreated).toHaveBeenCalled();
    });
    expect(sent?.custom_fields).toEqual({
      branche: 'handel',
      mitarbeiter: 1.5,
      erstkontakt: '2026-03-01',
      rahmenvertrag: false,
      messe: 'EMO',
    });
  });

  it('shows the API 422 of a custom field at its input', async () => {
    withDefinitions(DEFINITIONS);
    server.use(http.post(CONTACTS_URL, () => problem422('custom_fields.mitarbeiter', 'must be a number')));
    const user = userEvent.setup();
    renderWithProviders(<ContactForm onSaved={vi.fn()} onCancel={vi.fn()} />);

    const staff = await screen.findByLabelText(/^Staff/, {}, LOADED);
    await user.type(staff, 'many');
    await fillIn('anna@example.com');

    await waitFor(() => {
      expect(staff).toHaveAttribute('aria-invalid', 'true');
    });
    expect(staff).toHaveAccessibleDescription(/must be a number/);
    // Placed at its field, so not repeated in the form's alert.
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says the API 422 of a custom field in German in the German app', async () => {
    withDefinitions(DEFINITIONS);
    server.use(http.post(CONTACTS_URL, () => problem422('custom_fields.mitarbeiter', 'must be a number', 'float_type')));
    const user = userEvent.setup();
    renderWithProviders(<ContactForm onSaved={vi.fn()} onCancel={vi.fn()} />, 'de');

    const staff = await screen.findByLabelText(/^Staff/, {}, LOADED);
    await user.type(staff, 'viele');
    await user.type(screen.getByLabelText(/^Vorname/), 'Anna');
    await user.type(screen.getByLabelText(/^Nachname/), 'Berg');
    await user.click(screen.getByRole('button', { name: 'Kontakt anlegen' }));

    await waitFor(() => {
      expect(staff).toHaveAccessibleDescription('Muss eine Zahl sein');
    });
  });

  it('edits the custom fields with their stored values and leaves them out when untouched', async () => {
    withDefinitions(DEFINITIONS);
    const contact = existingContact({ custom_fields: { mitarbeiter: 120, rahmenvertrag: true, erstkontakt: '2025-09-23', gone: 'x' } });
    const bodies: { custom_fields?: unknown }[] = [];
    server.use(
      http.patch(`${CONTACTS_URL}/c7`, async ({ request }) => {
        bodies.push((await request.json()) as { custom_fields?: unknown });
        return HttpResponse.json(contact);
      }),
    );
    const user = userEvent.setup();
    const { unmount } = renderWithProviders(<ContactForm contact={contact} onSaved={vi.fn()} onCancel={vi.fn()} />);

    expect(await screen.findByLabelText(/^Staff/, {}, LOADED)).toHaveValue('120');
    expect(screen.getByLabelText(/^First contact/)).toHaveValue('2025-09-23');
    expect(screen.getByRole('combobox', { name: /^Framework contract/ })).toHaveValue('Yes');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => {
      expect(bodies).toHaveLength(1);
    });
    // Untouched: the stored values (also of a field defined no more) stay as they are.
    expect(bodies[0]).not.toHaveProperty('custom_fields');
    unmount();

    renderWithProviders(<ContactForm contact={contact} onSaved={vi.fn()} onCancel={vi.fn()} />);
    const staff = await screen.findByLabelText(/^Staff/, {}, LOADED);
    await user.clear(staff);
    await user.type(staff, '130');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => {
      expect(bodies).toHaveLength(2);
    });
    expect(bodies[1]?.custom_fields).toEqual({ mitarbeiter: 130, rahmenvertrag: true, erstkontakt: '2025-09-23' });
  });

  it('still saves the rest when the custom fields cannot be loaded', async () => {
    server.use(
      http.get(FIELDS_URL, () => HttpResponse.json({ type: 'about:blank', title: 'Bad gateway', status: 502 }, { status: 502 })),
    );
    let sent: object | undefined;
    server.use(
      http.post(CONTACTS_URL, async ({ request }) => {
        sent = (await request.json()) as object;
        return HttpResponse.json({ id: 'c3', first_name: 'Anna', last_name: 'Berg' }, { status: 201 });
      }),
    );
    const handleCreated = vi.fn();
    renderWithProviders(<ContactForm onSaved={handleCreated} onCancel={vi.fn()} />);

    expect(await screen.findByText(/custom fields could not be loaded/, {}, LOADED)).toBeInTheDocument();
    await fillIn('anna@example.com');

    await waitFor(() => {
      expect(handleCreated).toHaveBeenCalled();
    });
    expect(sent).not.toHaveProperty('custom_fields');
  });
});
