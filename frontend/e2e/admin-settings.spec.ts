import { expect, test } from '@playwright/test';

import { adminCredentials } from './credentials';
import { LoginPage } from './pages/LoginPage';
import { TodayPage } from './pages/TodayPage';
import { screenshot } from './screenshots';

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).open();
  await new LoginPage(page).logIn(adminCredentials());
  await expect(new TodayPage(page).heading).toBeVisible();
});

test('an admin changes the follow-up days, sees them saved after a reload, and restores the default', async ({
  page,
}) => {
  await page.goto('/admin/settings');
  const contacts = page.getByRole('region', { name: 'Kontakte und Aufgaben' });
  const followUp = contacts.getByLabel(/^Nachfassen nach einer Bestellung/);
  await expect(followUp).toHaveValue('14 Tage');
  await expect(page.getByRole('region', { name: 'Analysen' }).getByLabel(/^ABC: Anteil der Klasse A/)).toHaveValue(
    '80 %',
  );
  await screenshot(page, 'admin-settings');

  // A value the API refuses shows at its field.
  await followUp.fill('400');
  await contacts.getByRole('button', { name: 'Speichern' }).click();
  await expect(followUp).toHaveAttribute('aria-invalid', 'true');
  await expect(followUp).toHaveAccessibleDescription(/365/);
  await screenshot(page, 'admin-settings-refused');

  await followUp.fill('7');
  await contacts.getByRole('button', { name: 'Speichern' }).click();
  await expect(contacts.getByText(/Zuletzt geändert von/)).toBeVisible();

  await page.reload();
  await expect(contacts.getByLabel(/^Nachfassen nach einer Bestellung/)).toHaveValue('7 Tage');
  await expect(contacts.getByLabel(/^Nachfassen nach einer Bestellung/)).toHaveAccessibleDescription(/Standard: 14/);

  // The demo keeps its defaults for whoever looks next.
  await contacts.getByRole('button', { name: 'Standardwerte' }).click();
  await expect(contacts.getByText('Alle Werte sind die Standardwerte')).toBeVisible();
  await expect(contacts.getByLabel(/^Nachfassen nach einer Bestellung/)).toHaveValue('14 Tage');
});

test('an admin defines a custom field, sees it listed, and deletes it', async ({ page }, testInfo) => {
  const key = `e2e_${String(Date.now())}_${String(testInfo.workerIndex)}`;
  await page.goto('/admin/custom-fields');
  await expect(page.getByRole('heading', { name: 'Eigene Felder' })).toBeVisible();

  await page.getByRole('button', { name: 'Neues Feld' }).click();
  const dialog = page.getByRole('dialog', { name: 'Neues Feld' });
  await dialog.getByLabel(/^Schlüssel/).fill(key);
  await dialog.getByLabel(/^Bezeichnung/).fill('Branche (Test)');
  await dialog.getByRole('combobox', { name: /^Typ/ }).click();
  await dialog.getByRole('option', { name: 'Auswahl' }).click();
  await dialog.getByRole('combobox', { name: /^Optionen/ }).fill('Maschinenbau');
  await dialog.getByRole('combobox', { name: /^Optionen/ }).press('Enter');
  await dialog.getByRole('combobox', { name: /^Optionen/ }).fill('Handel');
  await dialog.getByRole('combobox', { name: /^Optionen/ }).press('Enter');
  await screenshot(page, 'admin-custom-field-new');
  await dialog.getByRole('button', { name: 'Feld anlegen' }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByRole('table', { name: 'Eigene Felder' }).getByRole('row').filter({ hasText: key });
  await expect(row).toContainText('Branche (Test)');
  await expect(row).toContainText('Auswahl');
  await expect(row).toContainText('Maschinenbau');
  await screenshot(page, 'admin-custom-fields');

  // Defining the same key again is refused at the key field.
  await page.getByRole('button', { name: 'Neues Feld' }).click();
  await dialog.getByLabel(/^Schlüssel/).fill(key);
  await dialog.getByLabel(/^Bezeichnung/).fill('Doppelt');
  await dialog.getByRole('button', { name: 'Feld anlegen' }).click();
  await expect(dialog.getByLabel(/^Schlüssel/)).toHaveAccessibleDescription(/Wird bereits verwendet/);
  await dialog.getByRole('button', { name: 'Abbrechen' }).click();

  await row.getByRole('button', { name: /^Löschen/ }).click();
  await page.getByRole('dialog', { name: 'Feld löschen?' }).getByRole('button', { name: 'Löschen' }).click();
  await expect(row).toHaveCount(0);
});
