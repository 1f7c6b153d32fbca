import { readFile } from 'node:fs/promises';

import { expect, test } from '@playwright/test';

import { adminCredentials } from './credentials';
import { ContactsPage } from './pages/ContactsPage';
import { ImportPage } from './pages/ImportPage';
import { LoginPage } from './pages/LoginPage';
import { screenshot } from './screenshots';

// Each test walks a whole flow; on the shared, busy machine that takes longer than the default minute.
test.describe.configure({ timeout: 180_000 });

test('import a CSV with good and broken rows: progress, counts and the error report', async ({ page }, testInfo) => {
  const unique = `${String(Date.now())}-${String(testInfo.workerIndex)}`;
  const csv = [
    'first_name,last_name,email,company,language,tags,custom_fields',
    `Anna,Import ${unique},anna-${unique}@example.com,Import GmbH,de,messe,"{""messe"": ""E2E Expo""}"`,
    `Ben,Import ${unique},ben-${unique}@example.com,,en,,`,
    `Clara,Import ${unique},not-an-address,,de,,`,
    `Dora,Import ${unique},dora-${unique}@example.com,,fr,,`,
    `Emil,Import ${unique},emil-${unique}@example.com,,de,,`,
  ].join('\n');

  await new LoginPage(page).open();
  await new LoginPage(page).logIn(adminCredentials());
  const imports = new ImportPage(page);
  await imports.open();
  await expect(imports.heading).toBeVisible();
  await screenshot(page, 'import-form');

  // A picture instead of a CSV: the API's problem (its "header" names no known column) shows at the file input.
  await imports.upload('Kontakte', { name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff]) });
  await expect(imports.fileButton).toHaveAttribute('aria-invalid', 'true');
  await expect(imports.form.getByText(/unknown column .* for contacts imports/)).toBeVisible();
  await screenshot(page, 'import-wrong-file');

  const filename = `leads-${unique}.csv`;
  await imports.upload('Kontakte', { name: filename, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page).toHaveURL(/\/contacts\/import\?job=/);
  await expect(imports.job(filename).getByText('Fertig', { exact: true })).toBeVisible();
  await expect(imports.progress).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByText('Fertig: 5 Datensätze verarbeitet')).toBeVisible();
  await expect(imports.count('Neu angelegt')).toHaveText('3');
  await expect(imports.count('Aktualisiert')).toHaveText('0');
  await expect(imports.count('Fehlerhafte Zeilen')).toHaveText('2');
  await expect(imports.errorReport.getByRole('row')).toHaveCount(3);
  await expect(imports.errorReport.getByRole('row', { name: /^4 email/ })).toBeVisible();
  // By the row's code, in the user's language (the API's message is English).
  await expect(imports.errorReport.getByRole('row', { name: /^5 language Muss eines davon sein: de, en/ })).toBeVisible();
  await screenshot(page, 'import-done');

  const download = await imports.downloadReport();
  const report = await readFile(await download.path(), 'utf8');
  const lines = report.trim().split(/\r?\n/);
  expect(lines[0]).toBe('row,field,message,code');
  expect(lines).toHaveLength(3);
  expect(lines[1]).toMatch(/^4,email,.*,value_error$/);
  expect(lines[2]).toMatch(/^5,language,.*,enum$/);

  // The imported contacts are in the list, with the custom field from the file.
  await page.getByRole('link', { name: 'Zu den Kontakten' }).click();
  const contacts = new ContactsPage(page);
  await contacts.search(`Import ${unique}`);
  await expect(contacts.table.getByRole('link', { name: `Anna Import ${unique}` })).toBeVisible();
  await expect(contacts.table.getByRole('link', { name: `Clara Import ${unique}` })).toHaveCount(0);
  // The list re-renders as the search settles; click until the 360° page opens.
  await expect(async () => {
    await contacts.table.getByRole('link', { name: `Anna Import ${unique}` }).click();
    await expect(page.getByRole('heading', { name: `Anna Import ${unique}` })).toBeVisible({ timeout: 5_000 });
  }).toPass();
  await expect(page.getByText('E2E Expo')).toBeVisible();
});

test('a contact with custom fields: the API refuses a wrong value at its field, a right one shows on the 360° page', async ({
  page,
}, testInfo) => {
  const unique = `${String(Date.now())}-${String(testInfo.workerIndex)}`;
  await new LoginPage(page).open();
  await new LoginPage(page).logIn(adminCredentials());
  await new ContactsPage(page).open();

  await page.getByRole('button', { name: 'Neuer Kontakt' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Neuer Kontakt' });
  await dialog.getByLabel('Vorname').fill('Frieda');
  await dialog.getByLabel('Nachname').fill(`Feld ${unique}`);
  const staff = dialog.getByLabel('Mitarbeiter');
  await staff.fill('viele');
  await dialog.getByRole('button', { name: 'Kontakt anlegen' }).click();
  await expect(staff).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByText('Muss eine Zahl sein')).toBeVisible();
  await screenshot(page, 'contact-custom-field-error');

  await staff.fill('42');
  await dialog.getByRole('combobox', { name: 'Branche' }).click();
  await page.getByRole('option', { name: 'software' }).click();
  await dialog.getByLabel('Erstkontakt').fill('2026-03-01');
  await dialog.getByRole('combobox', { name: 'Rahmenvertrag gewünscht' }).click();
  await page.getByRole('option', { name: 'Ja' }).click();
  await screenshot(page, 'contact-custom-fields-form');
  await dialog.getByRole('button', { name: 'Kontakt anlegen' }).click();

  await expect(page.getByRole('heading', { name: `Frieda Feld ${unique}` })).toBeVisible();
  const profile = page.getByText('Weitere Felder').locator('xpath=../..');
  await expect(profile).toContainText('Mitarbeiter');
  await expect(profile).toContainText('42');
  await expect(profile).toContainText('software');
  await expect(profile).toContainText('01.03.2026');
  await screenshot(page, 'contact-custom-fields');
});

test('the list of past imports shows the seeded fair leads with their counts, and opens the import again', async ({ page }) => {
  await new LoginPage(page).open();
  await new LoginPage(page).logIn(adminCredentials());
  const imports = new ImportPage(page);
  await imports.open();
  await expect(imports.heading).toBeVisible();

  // What the API recorded of the seed's import is what the row must say.
  const answer = await page.request.get('/api/v1/imports?limit=500');
  expect(answer.status()).toBe(200);
  type Job = { id: string; filename: string | null; created: number; updated: number; skipped: number; failed: number };
  const seeded = ((await answer.json()) as { items: Job[] }).items.find((job) => job.filename === 'demo-messe-leads.csv');
  if (!seeded) throw new Error('the seed imported no demo-messe-leads.csv');
  expect(seeded.created).toBeGreaterThan(0);
  expect(seeded.failed).toBeGreaterThan(0);

  const row = await imports.historyRow('demo-messe-leads.csv');
  await expect(row).toContainText('Administrator');
  await expect(row).toContainText('Fertig');
  await expect(row).toContainText(`${String(seeded.created)} neu · ${String(seeded.updated)} aktualisiert · ${String(seeded.skipped)} übersprungen`);
  await expect(row).toContainText(`${String(seeded.failed)} fehlerhafte Zeile`);
  await expect(row.getByRole('link', { name: 'Herunterladen (CSV)' })).toHaveAttribute('href', `/api/v1/imports/${seeded.id}/errors?format=csv`);
  await screenshot(page, 'import-history');

  await row.getByRole('link', { name: 'demo-messe-leads.csv', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/contacts/import\\?job=${seeded.id}$`));
  await expect(imports.count('Neu angelegt')).toHaveText(String(seeded.created));
  await expect(imports.count('Fehlerhafte Zeilen')).toHaveText(String(seeded.failed));
  await expect(imports.errorReport.getByRole('row')).toHaveCount(seeded.failed + 1);
});
