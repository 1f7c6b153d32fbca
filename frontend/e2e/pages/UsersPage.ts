import type { Locator, Page } from '@playwright/test';

export type NewUser = { name: string; email: string; role: string; password: string };

export class UsersPage {
  readonly heading: Locator;
  readonly table: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Benutzer & Rollen', exact: true });
    this.table = page.getByRole('table', { name: 'Benutzer & Rollen' });
  }

  async open(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Benutzer & Rollen' }).click();
  }

  row(email: string): Locator {
    return this.table.getByRole('row').filter({ hasText: email });
  }

  /** `role` is the role's label as the form shows it, e.g. "Agent". */
  async create({ name, email, role, password }: NewUser): Promise<void> {
    await this.page.getByRole('button', { name: 'Neuer Benutzer' }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('E-Mail').fill(email);
    await dialog.getByRole('combobox', { name: 'Rolle' }).click();
    await this.page.getByRole('option', { name: role, exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Passwort' }).fill(password);
    await dialog.getByRole('button', { name: 'Benutzer anlegen' }).click();
  }
}
