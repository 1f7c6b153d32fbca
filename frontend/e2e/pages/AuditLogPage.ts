import { expect, type Locator, type Page } from '@playwright/test';

export class AuditLogPage {
  readonly heading: Locator;
  readonly table: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Audit-Log', exact: true });
    this.table = page.getByRole('table', { name: 'Audit-Log' });
  }

  async open(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Audit-Log' }).click();
  }

  /** Reloads until `row` shows: the gateway writes its audit entries in batches, a moment later. */
  async waitFor(row: Locator): Promise<void> {
    await expect(async () => {
      await this.page.reload();
      await expect(row).toBeVisible({ timeout: 15_000 });
    }).toPass({ timeout: 60_000 });
  }

  /** The rows of writes to `path`, e.g. entry('POST', '/api/v1/users'). */
  entry(method: string, path: string | RegExp): Locator {
    const what = typeof path === 'string' ? `${method} ${path}` : new RegExp(`^${method} ${path.source}$`);
    return this.table.getByRole('row').filter({ has: this.page.getByRole('cell', { name: what }) });
  }
}
