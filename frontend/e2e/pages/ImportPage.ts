import type { Download, Locator, Page } from '@playwright/test';

export type UploadFile = { name: string; mimeType: string; buffer: Buffer };

export class ImportPage {
  readonly heading: Locator;
  readonly form: Locator;
  readonly fileButton: Locator;
  readonly progress: Locator;
  readonly errorReport: Locator;
  readonly history: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Daten importieren' });
    this.form = page.getByRole('form', { name: 'Datei hochladen' });
    this.fileButton = this.form.getByRole('button', { name: /^Datei/ });
    this.progress = page.getByRole('progressbar', { name: 'Fortschritt des Imports' });
    this.errorReport = page.getByRole('table', { name: 'Fehlerbericht' });
    this.history = page.getByRole('table', { name: 'Frühere Importe' });
  }

  /** The past import of this file in the list, loading older pages until it shows. */
  async historyRow(filename: string): Promise<Locator> {
    const row = this.history.getByRole('row').filter({ has: this.page.getByRole('link', { name: filename, exact: true }) });
    const more = this.page.getByRole('button', { name: 'Mehr laden' });
    await this.history.waitFor();
    while ((await row.count()) === 0 && (await more.isVisible())) {
      await more.click();
      await this.page.waitForLoadState('networkidle');
    }
    return row.first();
  }

  /** The card of the job importing this file (not its row among the past imports). */
  job(filename: string): Locator {
    return this.page.getByRole('region', { name: filename, exact: true });
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
