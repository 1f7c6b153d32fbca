import type { Locator, Page } from '@playwright/test';

export class ContactPage {
  readonly interactionForm: Locator;
  readonly churnRisk: Locator;
  readonly offers: Locator;
  readonly tasks: Locator;
  readonly timeline: Locator;

  constructor(private readonly page: Page) {
    this.interactionForm = page.getByRole('form', { name: 'Interaktion erfassen' });
    this.churnRisk = page.getByRole('list', { name: 'Warum' });
    this.offers = page.getByRole('list', { name: 'Nächste beste Angebote' });
    this.tasks = page.getByRole('list', { name: 'Aufgaben' });
    this.timeline = page.getByRole('tabpanel', { name: 'Verlauf' });
  }

  async open(contactId: string): Promise<void> {
    await this.page.goto(`/contacts/${contactId}`);
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { name });
  }

  async logNote(subject: string, body: string): Promise<void> {
    await this.interactionForm.getByLabel('Betreff').fill(subject);
    await this.interactionForm.getByLabel('Notiz').fill(body);
    await this.interactionForm.getByRole('button', { name: 'Erfassen' }).click();
  }

  /** Opens the edit dialog and puts another e-mail in; returns the e-mail input. */
  async editEmail(email: string): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Bearbeiten' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Kontakt bearbeiten' });
    const input = dialog.getByLabel('E-Mail', { exact: true });
    await input.fill(email);
    await dialog.getByRole('button', { name: 'Speichern' }).click();
    return input;
  }

  async recordOrder(product: string, quantity: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Bestellung erfassen' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Bestellung erfassen' });
    await dialog.getByRole('combobox', { name: 'Produkt 1' }).fill(product);
    await this.page.getByRole('option', { name: new RegExp(product) }).first().click();
    await dialog.getByLabel('Menge').fill(quantity);
    await dialog.getByRole('button', { name: 'Bestellung speichern' }).click();
  }

  async addTask(title: string, dueAt: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Neue Aufgabe' }).click();
    const form = this.page.getByRole('form', { name: 'Neue Aufgabe' });
    await form.getByLabel('Was ist zu tun?').fill(title);
    await form.getByLabel('Fällig am').fill(dueAt);
    await form.getByRole('button', { name: 'Aufgabe anlegen' }).click();
  }

  /** Opens the churn dialog; `submit` sends it with what is filled in. */
  async openChurn(): Promise<{ dialog: Locator; submit: () => Promise<void> }> {
    await this.page.getByRole('button', { name: 'Als abgewandert markieren' }).click();
    const dialog = this.page.getByRole('dialog');
    return { dialog, submit: () => dialog.getByRole('button', { name: 'Als abgewandert markieren' }).click() };
  }

  async chooseChurnReason(dialog: Locator, reason: string, note: string): Promise<void> {
    await dialog.getByRole('combobox', { name: 'Grund' }).click();
    await this.page.getByRole('option', { name: reason }).click();
    await dialog.getByLabel('Notiz').fill(note);
  }
}
