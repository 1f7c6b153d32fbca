import type { Locator, Page } from '@playwright/test';

export class TodayPage {
  readonly heading: Locator;
  readonly tasks: Locator;
  readonly cases: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: /^Heute/ });
    this.tasks = page.getByRole('region', { name: 'Aufgaben' });
    this.cases = page.getByRole('region', { name: 'Feedback-Fälle' });
  }

  async open(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Heute' }).click();
  }

  async showUnassigned(): Promise<void> {
    await this.page.getByText('Nicht zugewiesen', { exact: true }).click();
  }

  async showMine(): Promise<void> {
    await this.page.getByText('Meine', { exact: true }).click();
  }
}
