import type { Locator, Page } from '@playwright/test';

export class ApiKeysPage {
  readonly heading: Locator;
  readonly table: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'API-Schlüssel', exact: true });
    this.table = page.getByRole('table', { name: 'API-Schlüssel' });
  }

  async open(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'API-Schlüssel' }).click();
  }

  row(name: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('cell', { name, exact: true }) });
  }

  /** Creates a key and answers the secret the dialog shows this once; the dialog stays open. */
  async create(name: string, scopes: string[]): Promise<string> {
    await this.page.getByRole('button', { name: 'Neuer Schlüssel' }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByLabel('Name').fill(name);
    for (const scope of scopes) {
      await dialog.getByRole('checkbox', { name: scope, exact: true }).check();
    }
    await dialog.getByRole('button', { name: 'Schlüssel erstellen' }).click();
    await dialog.getByRole('alert').waitFor();
    return (await dialog.getByTestId('secret-once').innerText()).trim();
  }

  async closeSecret(): Promise<void> {
    await this.page.getByRole('dialog').getByRole('button', { name: 'Ich habe es gespeichert' }).click();
  }

  async revoke(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Widerrufen ${name}` }).click();
    await this.page.getByRole('dialog', { name: 'Schlüssel widerrufen?' }).getByRole('button', { name: 'Widerrufen' }).click();
  }
}
