import type { Locator, Page } from '@playwright/test';

/** Customers to offer a product to: reached from a product row of the offer margins. */
export class ProspectsPage {
  constructor(private readonly page: Page) {}

  /** From the margins page (open): the product row's "Wem anbieten?" link. */
  async openFromMargins(product: string): Promise<void> {
    await this.page.getByRole('link', { name: `Kunden, denen man ${product} anbieten kann` }).click();
  }

  heading(product: string): Locator {
    return this.page.getByRole('heading', { level: 1, name: new RegExp(`^Wem ${product} .*anbieten\\?$`) });
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Kunden, denen man es anbieten kann' });
  }

  /** The body rows: customer, why, value, ABC class. */
  get rows(): Locator {
    return this.table.locator('tbody tr');
  }
}
