import { expect, test } from '@playwright/test';

import { adminCredentials } from './credentials';
import { AnalyticsPages } from './pages/AnalyticsPages';
import { LoginPage } from './pages/LoginPage';
import { TodayPage } from './pages/TodayPage';
import { screenshot } from './screenshots';

// The charts read the demo data `make up` seeds: two years of orders, a year of NPS answers,
// churns with reasons, CLV predictions, ABC classes and saved segments.

const number = (text: string | undefined) => Number((text ?? '').replace(/\./g, '').replace(',', '.').replace(/[^\d.-]/g, ''));
const column = (rows: string[][], index: number) => rows.map((row) => number(row[index]));
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).open();
  await new LoginPage(page).logIn(adminCredentials());
  await expect(new TodayPage(page).heading).toBeVisible();
});

test('the dashboard shows the KPIs and their monthly trends, as of an earlier date too', async ({ page }) => {
  const analytics = new AnalyticsPages(page);
  await analytics.open('Dashboard');
  await expect(analytics.heading('Dashboard')).toBeVisible();
  await expect(analytics.kpi('Kunden')).toContainText(/\d/);
  await expect(analytics.kpi('NPS 12 Monate')).toContainText(/Antworten/);
  await analytics.drawn('Umsatz und Bestellungen je Monat');
  await expect(analytics.canvas('Umsatz und Bestellungen je Monat')).toBeVisible();

  const revenue = await analytics.rows('Umsatz und Bestellungen je Monat');
  expect(revenue).toHaveLength(12);
  expect(sum(column(revenue, 2))).toBeGreaterThan(0);
  const nps = await analytics.rows('NPS je Monat');
  expect(nps).toHaveLength(12);
  expect(sum(column(nps, 2))).toBeGreaterThan(0);
  await screenshot(page, 'analytics-dashboard');

  await analytics.choose('Kennzahlen', 'Stand', 'vor 12 Monaten');
  await expect.poll(async () => (await analytics.rows('Umsatz und Bestellungen je Monat'))[11]?.[0]).not.toBe(revenue[11]?.[0]);
});

test('NPS: the trend with its band, by week and by segment; the promoter drivers', async ({ page }) => {
  const analytics = new AnalyticsPages(page);
  await analytics.open('NPS');
  const trend = 'NPS-Verlauf mit 95-%-Konfidenzband';
  await analytics.drawn(trend);
  await expect(analytics.canvas(trend)).toBeVisible();
  const monthly = await analytics.rows(trend);
  expect(monthly.length).toBeGreaterThanOrEqual(10);
  // Every period with answers has its interval around the score.
  for (const [, score, band] of monthly.filter((row) => row[1] !== '—')) {
    const [low, high] = (band ?? '').split(' … ').map(number);
    expect(low).toBeLessThanOrEqual(number(score));
    expect(high).toBeGreaterThanOrEqual(number(score));
  }
  const drivers = await analytics.rows('Treiber der Promotoren');
  expect(drivers.length).toBeGreaterThanOrEqual(5);
  await screenshot(page, 'analytics-nps');

  await analytics.choose(trend, 'Intervall', 'Woche');
  await expect.poll(async () => (await analytics.rows(trend)).length).toBeGreaterThan(monthly.length * 3);
  await analytics.choose(trend, 'Intervall', 'Monat');
  await expect.poll(async () => (await analytics.rows(trend)).length).toBe(monthly.length);
  await analytics.chooseSegment(trend, 'Champions');
  await expect.poll(async () => sum(column(await analytics.rows(trend), 3))).toBeLessThan(sum(column(monthly, 3)));
});

test('customer value: the CLV histogram by ABC class and the Pareto chart with its slices', async ({ page }) => {
  const analytics = new AnalyticsPages(page);
  await analytics.open('Kundenwert');
  await analytics.drawn('Verteilung des CLV');
  await expect(analytics.canvas('Verteilung des CLV')).toBeVisible();
  const all = await analytics.rows('Verteilung des CLV');
  expect(all).toHaveLength(20);
  const everyone = sum(column(all, 1));
  expect(everyone).toBeGreaterThan(50);

  const pareto = await analytics.rows('ABC-Analyse (Pareto)');
  expect(pareto).toHaveLength(20);
  const cumulative = column(pareto, 2);
  expect(cumulative[cumulative.length - 1]).toBe(100);
  expect(cumulative).toEqual([...cumulative].sort((a, b) => a - b));
  // The value is concentrated: the top fifth of the customers holds most of it.
  expect(cumulative[3]).toBeGreaterThan(50);
  await screenshot(page, 'analytics-customer-value');

  await analytics.choose('Verteilung des CLV', 'ABC-Klasse', 'A');
  await expect.poll(async () => sum(column(await analytics.rows('Verteilung des CLV'), 1))).toBeLessThan(everyone);
  await analytics.choose('ABC-Analyse (Pareto)', 'Abschnitte', '10');
  await expect.poll(async () => (await analytics.rows('ABC-Analyse (Pareto)')).length).toBe(10);
});

test('retention: the cohort heat map over fewer months, churn reasons by month and by quarter', async ({ page }) => {
  const analytics = new AnalyticsPages(page);
  await analytics.open('Bindung');
  await analytics.drawn('Kohorten-Bindung');
  await expect(analytics.canvas('Kohorten-Bindung')).toBeVisible();
  const cells = await analytics.rows('Kohorten-Bindung');
  expect(cells.length).toBeGreaterThan(12);
  expect(cells.some((row) => number(row[1]) > 0 && number(row[2]) > 0)).toBe(true);

  const byMonth = await analytics.rows('Abwanderungsgründe im Zeitverlauf');
  expect(byMonth).toHaveLength(12);
  const churns = sum(byMonth.map((row) => number(row[row.length - 1])));
  expect(churns).toBeGreaterThan(5);
  await screenshot(page, 'analytics-retention');

  await analytics.choose('Kohorten-Bindung', 'Zeitraum', '6 Monate');
  await expect.poll(async () => (await analytics.rows('Kohorten-Bindung')).length).toBeLessThan(cells.length);
  await analytics.choose('Abwanderungsgründe im Zeitverlauf', 'Intervall', 'Quartal');
  await expect.poll(async () => (await analytics.rows('Abwanderungsgründe im Zeitverlauf')).length).toBeLessThan(12);
});

test('offer margins: products under the threshold are flagged, a higher threshold flags more', async ({ page }) => {
  const analytics = new AnalyticsPages(page);
  await analytics.open('Margen');
  await analytics.drawn('Marge je Produkt');
  await expect(analytics.canvas('Marge je Produkt')).toBeVisible();
  const products = await analytics.rows('Marge je Produkt');
  expect(products.length).toBeGreaterThan(3);
  const flagged = (rows: string[][]) => rows.filter((row) => row[3] === 'Kandidat zum Streichen').length;
  for (const row of products) {
    expect(row[3] === 'Kandidat zum Streichen').toBe(number(row[1]) < 20);
  }
  await screenshot(page, 'analytics-margins');

  await analytics.choose('Marge je Produkt', 'Schwelle', '30 %');
  await expect.poll(async () => flagged(await analytics.rows('Marge je Produkt'))).toBeGreaterThan(flagged(products));
});
