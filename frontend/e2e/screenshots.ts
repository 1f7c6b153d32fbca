import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { Page } from '@playwright/test';

/** Where each main page's screenshot is kept: E2E_SCREENSHOTS, else .run/screenshots of the checkout. */
export const SCREENSHOTS =
  process.env.E2E_SCREENSHOTS ?? fileURLToPath(new URL('../../.run/screenshots', import.meta.url));

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}
