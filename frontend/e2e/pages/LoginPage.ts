import type { Page } from '@playwright/test';

import type { Credentials } from '../credentials';

export class LoginPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/login');
  }

  async logIn({ email, password }: Credentials): Promise<void> {
    await this.page.getByLabel('E-Mail').fill(email);
    await this.page.getByRole('textbox', { name: 'Passwort' }).fill(password);
    await this.page.getByRole('button', { name: 'Anmelden' }).click();
  }
}
