import type { Locator, Page } from '@playwright/test';

/** `customFields`: values to type, by the custom field's label. */
export type NewContact = { firstName: string; lastName: string; email: string; customFields?: Record<string, string> };

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

  async filterByTag(tag: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Tag', exact: true }).fill(tag);
  }

  async filterByStage(stage: string): Promise<void> {
    await this.page.getByRole('combobox', { name: 'Phase', exact: true }).click();
    await this.page.getByRole('option', { name: stage, exact: true }).click();
  }

  /** The saved segment the list shows (the Segment filter's text). */
  segmentFilter(): Locator {
    return this.page.getByRole('combobox', { name: 'Segment', exact: true });
  }

  async saveAsSegment(name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Als Segment speichern' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Filter als Segment speichern' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Segment speichern' }).click();
  }

  rowCheckbox(name: string): Locator {
    return this.table.getByRole('checkbox', { name: `${name} auswählen` });
  }

  /** The bar of bulk actions over the selected rows. */
  bulkBar(): Locator {
    return this.page.getByRole('region', { name: 'Ausgewählte Kontakte' });
  }

  /** Widens a selection to every contact the filters match (the bulk bar's offer). */
  async selectAllMatching(count: number): Promise<void> {
    await this.bulkBar().getByRole('button', { name: `Alle ${String(count)} passenden Kontakte auswählen` }).click();
  }

  async bulkAddTag(tag: string, count: number): Promise<Locator> {
    await this.bulkBar().getByRole('button', { name: 'Tag hinzufügen' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Tag hinzufügen' });
    await dialog.getByLabel('Tag').fill(tag);
    await dialog.getByRole('button', { name: `Auf ${String(count)} Kontakte anwenden` }).click();
    return dialog;
  }

  async create({ firstName, lastName, email, customFields = {} }: NewContact): Promise<void> {
    await this.page.getByRole('button', { name: 'Neuer Kontakt' }).first().click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByLabel('Vorname').fill(firstName);
    await dialog.getByLabel('Nachname').fill(lastName);
    await dialog.getByLabel('E-Mail', { exact: true }).fill(email);
    for (const [label, value] of Object.entries(customFields)) {
      await dialog.getByRole('textbox', { name: label }).fill(value);
    }
    await dialog.getByRole('button', { name: 'Kontakt anlegen' }).click();
  }
}
