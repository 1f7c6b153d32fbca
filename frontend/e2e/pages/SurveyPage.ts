import type { Locator, Page } from '@playwright/test';

export class SurveyPage {
  readonly invite: Locator;
  readonly responses: Locator;
  readonly nps: Locator;

  constructor(private readonly page: Page) {
    this.invite = page.getByRole('region', { name: 'Kontakte einladen' });
    this.responses = page.getByRole('region', { name: 'Antworten' });
    this.nps = page.getByRole('region', { name: 'NPS' });
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { name });
  }

  /** Invites the contact the search finds and returns the link it gets. */
  async inviteContact(search: string, option: string | RegExp): Promise<string> {
    await this.invite.getByLabel('Kontakte', { exact: true }).fill(search);
    await this.page.getByRole('option', { name: option }).click();
    await this.page.keyboard.press('Escape');
    await this.invite.getByRole('button', { name: /einladen$/ }).click();
    const link = this.invite.getByRole('status').getByRole('link');
    await link.first().waitFor();
    const url = await link.first().getAttribute('href');
    if (!url) throw new Error('the invitation shows no link');
    return url;
  }
}
