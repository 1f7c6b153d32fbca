import { expect, type Locator, type Page } from '@playwright/test';

export class WebhooksPage {
  readonly heading: Locator;
  readonly table: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Webhooks', exact: true });
    this.table = page.getByRole('table', { name: 'Webhooks' });
  }

  async open(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Webhooks' }).click();
  }

  row(url: string): Locator {
    return this.table.getByRole('row').filter({ hasText: url });
  }

  /** Subscribes `url` to `eventTypes` and answers the signing secret shown this once. */
  async create(url: string, eventTypes: string[], description: string): Promise<string> {
    await this.page.getByRole('button', { name: 'Neuer Endpunkt' }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByLabel('URL').fill(url);
    const events = dialog.getByRole('combobox', { name: 'Ereignisse' });
    for (const eventType of eventTypes) {
      const option = dialog.getByRole('option', { name: eventType, exact: true });
      // Mantine lays the pills' box over the input; a click right after the dialog opened
      // can land before the list is wired up, so open it again until the option shows.
      await expect(async () => {
        await events.click({ force: true });
        await expect(option).toBeVisible({ timeout: 2000 });
      }).toPass({ timeout: 30_000 });
      await option.click();
    }
    await dialog.getByLabel('Beschreibung').fill(description);
    await dialog.getByRole('button', { name: 'Endpunkt anlegen' }).click();
    await dialog.getByRole('alert').waitFor();
    const secret = (await dialog.getByTestId('secret-once').innerText()).trim();
    await dialog.getByRole('button', { name: 'Ich habe es gespeichert' }).click();
    return secret;
  }

  async sendTest(url: string): Promise<void> {
    await this.row(url).getByRole('button', { name: 'Testereignis senden' }).click();
  }

  /** Opens the endpoint's delivery log (a drawer) and answers it. */
  async deliveries(url: string): Promise<Locator> {
    await this.row(url).getByRole('button', { name: 'Zustellungen' }).click();
    return this.page.getByRole('dialog', { name: `Zustellungen an ${url}` });
  }
}
