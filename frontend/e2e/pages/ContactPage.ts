import type { Locator, Page } from '@playwright/test';

export class ContactPage {
  readonly interactionForm: Locator;

  constructor(private readonly page: Page) {
    this.interactionForm = page.getByRole('form', { name: 'Interaktion erfassen' });
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { name });
  }

  async logNote(subject: string, body: string): Promise<void> {
    await this.interactionForm.getByLabel('Betreff').fill(subject);
    await this.interactionForm.getByLabel('Notiz').fill(body);
    await this.interactionForm.getByRole('button', { name: 'Erfassen' }).click();
  }
}
