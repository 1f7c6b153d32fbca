import type { Locator, Page } from '@playwright/test';

type Link = 'Dashboard' | 'NPS' | 'Kundenwert' | 'Bindung' | 'Margen';

// Each page's navigation link and heading, in German and English.
const PAGES: Record<Link, { de: [string, string]; en: [string, string] }> = {
  Dashboard: { de: ['Dashboard', 'Dashboard'], en: ['Dashboard', 'Dashboard'] },
  NPS: { de: ['NPS', 'Net Promoter Score'], en: ['NPS', 'Net Promoter Score'] },
  Kundenwert: { de: ['Kundenwert', 'Kundenwert'], en: ['Customer value', 'Customer value'] },
  Bindung: { de: ['Bindung', 'Bindung und Abwanderung'], en: ['Retention', 'Retention and churn'] },
  Margen: { de: ['Margen', 'Angebotsmargen'], en: ['Margins', 'Offer margins'] },
};

/** The analytics pages: reached through the navigation; each chart is read through its data table. */
export class AnalyticsPages {
  constructor(private readonly page: Page) {}

  async open(link: Link, language: 'de' | 'en' = 'de'): Promise<void> {
    const [name, heading] = PAGES[link][language];
    await this.page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
    // The first analytics page of a session loads the charts' chunk; on a busy machine that takes a while.
    await this.heading(heading).waitFor({ timeout: 60_000 });
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { level: 1, name });
  }

  /** The card (a named region) holding a chart, its filters and states. */
  card(title: string): Locator {
    return this.page.getByRole('region', { name: title });
  }

  /** The drawn chart: its canvas must be there besides the data. */
  canvas(title: string): Locator {
    // ECharts layers a few canvases (the hover layer on top): the first is the drawing.
    return this.page.getByRole('figure', { name: title }).locator('canvas').first();
  }

  /** Waits until the chart has drawn (its data loaded): the canvas is there. */
  async drawn(title: string): Promise<void> {
    await this.canvas(title).waitFor({ timeout: 60_000 });
  }

  /** The chart's data, row by row (header excluded), as the visually hidden table has it. */
  async rows(title: string): Promise<string[][]> {
    const table = this.page.getByRole('table', { name: title });
    await table.waitFor({ state: 'attached' });
    return table.locator('tbody tr').evaluateAll((rows) =>
      rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent.trim())),
    );
  }

  async choose(card: string, filter: string, choice: string): Promise<void> {
    await this.card(card).getByRole('radiogroup', { name: filter }).getByText(choice, { exact: true }).click();
  }

  /** The segment filter of the whole page, beside its heading. */
  segment(): Locator {
    return this.page.getByRole('combobox', { name: 'Segment', exact: true });
  }

  async chooseSegment(segment: string): Promise<void> {
    await this.segment().click();
    await this.page.getByRole('option', { name: segment }).click();
  }

  /** What the chart writes besides its data (axis names, legend), as its caption says it. */
  async caption(title: string): Promise<string> {
    return (await this.page.getByRole('figure', { name: title }).locator('figcaption').textContent()) ?? '';
  }

  /** The header's language switch (DE / EN). */
  async switchLanguage(language: 'DE' | 'EN'): Promise<void> {
    await this.page.getByRole('radiogroup', { name: /^(Sprache|Language)$/ }).getByText(language, { exact: true }).click();
  }

  kpi(label: string): Locator {
    return this.page.getByRole('group', { name: label, exact: true });
  }

  /** The KPI's figure alone (its second paragraph, after the label and before the hint). */
  kpiValue(label: string): Locator {
    return this.kpi(label).locator('p').nth(1);
  }
}
