import type { Locator, Page } from '@playwright/test';

export class SurveysPage {
  readonly table: Locator;

  constructor(private readonly page: Page) {
    this.table = page.getByRole('table', { name: 'Umfragen' });
  }

  async open(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Umfragen' }).click();
  }

  async create(name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Neue Umfrage' }).first().click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Umfrage anlegen' }).click();
  }
}
