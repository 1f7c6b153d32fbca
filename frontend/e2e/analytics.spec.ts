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
  // The demo's closed loop leaves cases open, two of them overdue, and a dozen contracts
  // reach their notice date within the month.
  await expect(analytics.kpi('Offene Feedback-Fälle')).toContainText(/Fälle\s*[1-9]\d*\s*davon [1-9]\d* überfällig/);
  await expect(analytics.kpi('Kündigungsfristen in 30 Tagen')).toContainText(/Tagen\s*[1-9]/);
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

  // A saved segment's members only: fewer customers and less revenue, the choice in the URL.
  const customers = number(await analytics.kpiValue('Kunden').textContent() ?? '');
  const earlier = sum(column(await analytics.rows('Umsatz und Bestellungen je Monat'), 1));
  await analytics.chooseSegment('Champions');
  await expect(page).toHaveURL(/segment=[0-9a-f-]{36}/);
  await expect(page).toHaveURL(/asOf=12/);
  await expect
    .poll(async () => number(await analytics.kpiValue('Kunden').textContent() ?? ''))
    .toBeLessThan(customers);
  await expect.poll(async () => sum(column(await analytics.rows('Umsatz und Bestellungen je Monat'), 1))).toBeLessThan(earlier);
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
  // The segment narrows both charts of the page: the trend's answers and the drivers' respondents.
  await analytics.chooseSegment('Champions');
  await expect.poll(async () => sum(column(await analytics.rows(trend), 3))).toBeLessThan(sum(column(monthly, 3)));
  await expect(page).toHaveURL(/segment=/);
});

test('customer value: the CLV histogram by ABC class and the Pareto chart with its slices', async ({ page }) => {
  const analytics = new AnalyticsPages(page);
  await analytics.open('Kundenwert');
  await analytics.drawn('Verteilung des CLV');
  await expect(analytics.canvas('Verteilung des CLV')).toBeVisible();
  const all = await analytics.rows('Verteilung des CLV');
  // Log-scale bins with round edges: as many as the spread needs, at most 20, each one step up.
  expect(all.length).toBeGreaterThan(5);
  expect(all.length).toBeLessThanOrEqual(20);
  expect(all[0]?.[0]).toMatch(/€–.*€/);
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

  // A segment's purchases only: less revenue than everyone's.
  const revenue = sum(column(products, 2));
  await analytics.chooseSegment('Champions');
  await expect.poll(async () => sum(column(await analytics.rows('Marge je Produkt'), 2))).toBeLessThan(revenue);
});

test('filters live in the URL: a reload and a shared link keep them, the back button undoes them', async ({ page }) => {
  const analytics = new AnalyticsPages(page);
  const clv = 'Verteilung des CLV';
  const pareto = 'ABC-Analyse (Pareto)';
  await analytics.open('Kundenwert');
  await analytics.drawn(clv);
  const everyone = sum(column(await analytics.rows(clv), 1));

  await analytics.chooseSegment('Champions');
  await expect.poll(async () => sum(column(await analytics.rows(clv), 1))).toBeLessThan(everyone);
  await analytics.choose(pareto, 'Abschnitte', '10');
  await expect.poll(async () => (await analytics.rows(pareto)).length).toBe(10);
  await expect(page).toHaveURL(/segment=[0-9a-f-]{36}/);
  await expect(page).toHaveURL(/slices=10/);
  const champions = await analytics.rows(clv);

  await page.reload();
  await analytics.drawn(clv);
  await expect(analytics.segment()).toHaveValue('Champions');
  expect(await analytics.rows(clv)).toEqual(champions);
  expect(await analytics.rows(pareto)).toHaveLength(10);

  // A link shared with a colleague (here: another tab of the same login) shows the same.
  const shared = await page.context().newPage();
  await shared.goto(page.url());
  const colleague = new AnalyticsPages(shared);
  await colleague.drawn(clv);
  await expect(colleague.segment()).toHaveValue('Champions');
  expect(await colleague.rows(clv)).toEqual(champions);
  await shared.close();

  // Back: first the slices, then the segment are undone.
  await page.goBack();
  await expect.poll(async () => (await analytics.rows(pareto)).length).toBe(20);
  expect(await analytics.rows(clv)).toEqual(champions);
  await page.goBack();
  await expect.poll(async () => sum(column(await analytics.rows(clv), 1))).toBe(everyone);
  await expect(analytics.segment()).toHaveValue('');
});

// Per page: a chart's title and the names its canvas writes (axes, legend), in German and English.
const LANGUAGES = [
  {
    page: 'Dashboard',
    de: { heading: 'Dashboard', chart: 'Umsatz und Bestellungen je Monat', labels: ['Umsatz', 'Bestellungen'] },
    en: { heading: 'Dashboard', chart: 'Revenue and orders by month', labels: ['Revenue', 'Orders'] },
  },
  {
    page: 'NPS',
    de: { heading: 'Net Promoter Score', chart: 'Treiber der Promotoren', labels: ['Unterschied in Prozentpunkten', 'Unterschied in Euro'] },
    en: { heading: 'Net Promoter Score', chart: 'Promoter drivers', labels: ['Difference in percentage points', 'Difference in euros'] },
  },
  {
    page: 'Kundenwert',
    de: { heading: 'Kundenwert', chart: 'ABC-Analyse (Pareto)', labels: ['Top-Kunden (Anteil)', 'Wertanteil', 'Kumuliert'] },
    en: { heading: 'Customer value', chart: 'ABC analysis (Pareto)', labels: ['Top customers (share)', 'Value share', 'Cumulative'] },
  },
  {
    page: 'Bindung',
    de: { heading: 'Bindung und Abwanderung', chart: 'Abwanderungsgründe im Zeitverlauf', labels: ['Abwanderungen', 'Preis'] },
    en: { heading: 'Retention and churn', chart: 'Churn reasons over time', labels: ['Churns', 'Price'] },
  },
  {
    page: 'Margen',
    de: { heading: 'Angebotsmargen', chart: 'Marge je Produkt', labels: ['Marge %'] },
    en: { heading: 'Offer margins', chart: 'Margin per product', labels: ['Margin %'] },
  },
] as const;

test('the charts are labelled in German by default and in English after the switch', async ({ page }) => {
  // Ten page visits with their charts: more than one page's budget.
  test.setTimeout(300_000);
  const analytics = new AnalyticsPages(page);
  for (const { page: link, de } of LANGUAGES) {
    await analytics.open(link);
    await expect(analytics.heading(de.heading)).toBeVisible();
    await analytics.drawn(de.chart);
    const caption = await analytics.caption(de.chart);
    for (const label of de.labels) expect(caption).toContain(label);
    expect(caption).toContain('Achsen');
    await screenshot(page, `analytics-${link.toLowerCase()}-de`);
  }

  await analytics.switchLanguage('EN');
  for (const { page: link, de, en } of LANGUAGES) {
    await analytics.open(link, 'en');
    await expect(analytics.heading(en.heading)).toBeVisible();
    await analytics.drawn(en.chart);
    const caption = await analytics.caption(en.chart);
    for (const label of en.labels) expect(caption).toContain(label);
    for (const label of de.labels.filter((german) => !(en.labels as readonly string[]).includes(german))) {
      expect(caption).not.toContain(label);
    }
    expect(caption).toContain('Axes');
    await screenshot(page, `analytics-${link.toLowerCase()}-en`);
  }
  // The drivers' attributes (the category axis) are English too.
  await analytics.open('NPS', 'en');
  const attributes = (await analytics.rows('Promoter drivers')).map((row) => row[0]);
  expect(attributes).toContain('Orders');
  expect(attributes).not.toContain('Bestellungen');
});
