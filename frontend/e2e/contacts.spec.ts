import { expect, test } from '@playwright/test';

import { adminCredentials } from './credentials';
import { ContactPage } from './pages/ContactPage';
import { ContactsPage } from './pages/ContactsPage';
import { LoginPage } from './pages/LoginPage';
import { screenshot } from './screenshots';

test('log in, create a contact, log an interaction, and see a duplicate e-mail refused', async ({ page }, testInfo) => {
  const shot = (name: string) => screenshot(page, name);
  const unique = `${String(Date.now())}-${String(testInfo.workerIndex)}`;
  const person = { firstName: 'Erika', lastName: `Muster ${unique}`, email: `erika-${unique}@example.com` };

  const login = new LoginPage(page);
  await login.open();
  await shot('login');
  await login.logIn(adminCredentials());
  await expect(page.getByRole('heading', { name: /^Heute/ })).toBeVisible();
  await shot('today');

  const contacts = new ContactsPage(page);
  await contacts.open();
  await expect(contacts.table).toBeVisible();
  await shot('contacts');
  await contacts.create(person);

  const contact = new ContactPage(page);
  await expect(contact.heading(`${person.firstName} ${person.lastName}`)).toBeVisible();
  await contact.logNote('Erstgespräch', 'Interessiert an der Jahreslizenz.');
  await expect(page.getByText('Erstgespräch')).toBeVisible();
  await shot('contact');

  await contacts.open();
  await contacts.search(person.lastName);
  await expect(contacts.table.getByRole('link', { name: `${person.firstName} ${person.lastName}` })).toBeVisible();
  await contacts.create({ ...person, lastName: `${person.lastName} bis` });
  const email = page.getByRole('dialog').getByLabel('E-Mail', { exact: true });
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  // The API's code said in German, not its English "already used by another contact".
  await expect(email).toHaveAccessibleDescription('Wird bereits verwendet');
  await shot('duplicate-email');
});

test('the contact form says the API’s field errors in German', async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.logIn(adminCredentials());
  const contacts = new ContactsPage(page);
  await contacts.open();
  // "Mitarbeiter" is a number field of the demo data: the form sends what is no number as
  // typed, and the API refuses it with the code float_type and the English "must be a number".
  const unique = String(Date.now());
  await contacts.create({
    firstName: 'Jonas',
    lastName: `Zahl ${unique}`,
    email: `jonas-${unique}@example.com`,
    customFields: { Mitarbeiter: 'viele' },
  });
  const staff = page.getByRole('dialog').getByRole('textbox', { name: 'Mitarbeiter' });
  await expect(staff).toHaveAttribute('aria-invalid', 'true');
  await expect(staff).toHaveAccessibleDescription('Muss eine Zahl sein');
});
