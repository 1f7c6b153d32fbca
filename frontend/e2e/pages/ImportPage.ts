import type { Download, Locator, Page } from '@playwright/test';

export type UploadFile = { name: string; mimeType: string; buffer: Buffer };

export class ImportPage {
  readonly heading: Locator;
  readonly form: Locator;
  readonly fileButton: Locator;
  readonly progress: Locator;
  readonly errorReport: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Daten importieren' });
    this.form = page.getByRole('form', { name: 'Datei hochladen' });
    this.fileButton = this.form.getByRole('button', { name: /^Datei/ });
    this.progress = page.getByRole('progressbar', { name: 'Fortschritt des Imports' });
    this.errorReport = page.getByRole('table', { name: 'Fehlerbericht' });
  }

  /** From the contact list's "Importieren" button. */
  async open(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Kontakte' }).click();
    await this.page.getByRole('link', { name: 'Importieren' }).click();
  }

  async upload(kind: string, file: UploadFile): Promise<void> {
    await this.form.getByRole('radio', { name: kind }).check();
    // The file picker opens from the labelled button, as a keyboard user would open it.
    const chooser = this.page.waitForEvent('filechooser');
    await this.fileButton.focus();
    await this.page.keyboard.press('Enter');
    await (await chooser).setFiles(file);
    await this.form.getByRole('button', { name: 'Import starten' }).click();
  }

  /** What a result card shows, e.g. count('Neu angelegt'). */
  count(label: string): Locator {
    return this.page.getByText(label, { exact: true }).locator('xpath=following-sibling::*[1]');
  }

  async downloadReport(): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.page.getByRole('link', { name: 'Fehlerbericht herunterladen (CSV)' }).first().click();
    return download;
  }
}
