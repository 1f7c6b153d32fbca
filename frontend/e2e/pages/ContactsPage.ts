import type { Locator, Page } from '@playwright/test';

export type NewContact = { firstName: string; lastName: string; email: string };

export class ContactsPage {
  readonly heading: Locator;
  readonly table: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Kontakte' });
    this.table = page.getByRole('table', { name: 'Kontakte' });
  }

  async open(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Kontakte' }).click();
  }

  async search(text: string): Promise<void> {
    await this.page.getByLabel('Suchen').fill(text);
  }

  async create({ firstName, lastName, email }: NewContact): Promise<void> {
    await this.page.getByRole('button', { name: 'Neuer Kontakt' }).first().click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByLabel('Vorname').fill(firstName);
    await dialog.getByLabel('Nachname').fill(lastName);
    await dialog.getByLabel('E-Mail', { exact: true }).fill(email);
    await dialog.getByRole('button', { name: 'Kontakt anlegen' }).click();
  }
}
