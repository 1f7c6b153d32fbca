import { expect, test } from '@playwright/test';

import { adminCredentials } from './credentials';
import { AnalyticsPages } from './pages/AnalyticsPages';
import { LoginPage } from './pages/LoginPage';
import { ProspectsPage } from './pages/ProspectsPage';
import { TodayPage } from './pages/TodayPage';
import { screenshot } from './screenshots';

// The seed's machine tool buyers also bought spare parts and services: the 5-axis mill has prospects.
const PRODUCT = '5-Achs-Fräszentrum DMU 50';

test('a product of the offer margins opens the customers to offer it to, each linking to their 360° page', async ({ page }) => {
  await new LoginPage(page).open();
  await new LoginPage(page).logIn(adminCredentials());
  await expect(new TodayPage(page).heading).toBeVisible();
  const analytics = new AnalyticsPages(page);
  await analytics.open('Margen');

  const prospects = new ProspectsPage(page);
  await prospects.openFromMargins(PRODUCT);
  await expect(prospects.heading(PRODUCT)).toBeVisible();
  await expect(prospects.rows.first()).toBeVisible();
  const shown = await prospects.rows.count();
  expect(shown).toBeGreaterThan(0);

  // The page shows what the API ranks, in its order.
  const productId = /\/analytics\/margins\/([^/]+)\/prospects$/.exec(new URL(page.url()).pathname)?.[1] ?? '';
  const answer = await page.request.get(`/api/v1/analytics/products/${productId}/prospects?limit=50`);
  expect(answer.status()).toBe(200);
  const items = ((await answer.json()) as { items: { contact_id: string; first_name: string; last_name: string; because_of_name: string }[] }).items;
  expect(shown).toBe(items.length);
  const [first] = items;
  if (!first) throw new Error('the seed has no prospects for the product');
  const row = prospects.rows.first();
  await expect(row.getByRole('link', { name: `${first.first_name} ${first.last_name}` })).toBeVisible();
  // Why, in German (the API's reason is English), and what the customer is worth.
  await expect(row).toContainText(`Hat ${first.because_of_name} gekauft; `);
  await expect(row).toContainText(/\d+ % der Käufer davon kauften auch dieses Produkt/);
  await expect(row).toContainText(/\d[\d.]*,\d\d\s€/);
  await expect(row).toContainText(/CLV \(Prognose\)|Nettowert bisher/);
  await screenshot(page, 'analytics-prospects');

  await row.getByRole('link', { name: `${first.first_name} ${first.last_name}` }).click();
  await expect(page).toHaveURL(new RegExp(`/contacts/${first.contact_id}$`));
  await expect(page.getByRole('heading', { name: `${first.first_name} ${first.last_name}` })).toBeVisible();
});
