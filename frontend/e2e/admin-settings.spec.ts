import { expect, test } from '@playwright/test';

import { csrfToken } from './api';
import { adminCredentials } from './credentials';
import { AnalyticsPages } from './pages/AnalyticsPages';
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

test('an admin sets the reporting currency and a rate: the dashboard then states money in that currency', async ({ page }) => {
  // Analytics settings are shared by every test: whatever this one changes is put back at the end.
  const before = await page.request.get('/api/v1/settings/analytics');
  expect(before.status()).toBe(200);
  const original = ((await before.json()) as { values: Record<string, unknown> }).values;
  try {
    await page.goto('/admin/settings');
    const money = page.getByRole('region', { name: 'Währung und Wechselkurse' });
    await money.getByLabel(/^Berichtswährung/).fill('CHF');
    // The demo's orders are in euros (and one in dollars): each needs its rate into francs.
    for (const [currency, rate] of [
      ['EUR', '0,94'],
      ['USD', '0,88'],
    ] as const) {
      await money.getByRole('button', { name: 'Kurs hinzufügen' }).click();
      await money.getByRole('textbox', { name: 'Währung', exact: true }).last().fill(currency);
      await money.getByRole('textbox', { name: `Kurs von ${currency}`, exact: true }).fill(rate);
    }
    await screenshot(page, 'admin-settings-currency');
    await money.getByRole('button', { name: 'Speichern' }).click();
    await expect(page.getByText('CLV-Lauf gestartet', { exact: false })).toBeVisible();

    await page.reload();
    await expect(money.getByLabel(/^Berichtswährung/)).toHaveValue('CHF');
    await expect(money.getByRole('textbox', { name: 'Kurs von EUR', exact: true })).toHaveValue('0,94');
    const saved = ((await (await page.request.get('/api/v1/settings/analytics')).json()) as { values: Record<string, unknown> }).values;
    expect(saved.reporting_currency).toBe('CHF');
    expect(saved.exchange_rates).toEqual({ EUR: 0.94, USD: 0.88 });

    const analytics = new AnalyticsPages(page);
    await analytics.open('Dashboard');
    const revenue = analytics.kpi('Umsatz 12 Monate');
    await expect(revenue).toContainText(/\d[\d.]*(,\d+)?\s(Mio\.\s)?CHF/);
    await expect(revenue).not.toContainText('€');
    await screenshot(page, 'analytics-dashboard-chf');
  } finally {
    const restored = await page.request.put('/api/v1/settings/analytics', {
      data: original,
      headers: { 'X-CSRF-Token': await csrfToken(page) },
    });
    expect(restored.status()).toBe(200);
  }
});
