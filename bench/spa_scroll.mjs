// Scrolls the contacts list in headless chromium and reports, as JSON on stdout, the frame
// times (requestAnimationFrame deltas) while scrolling, the list pages' fetch latencies,
// long tasks and the rows in the DOM. Driven by bench/spa_scroll.py.
// env: BASE_URL, ADMIN_EMAIL, ADMIN_PASSWORD, SCROLL_SECONDS, PX_PER_FRAME, CHROMIUM_PATH
import { createRequire } from 'node:module';

// playwright-core lives in the web app's node_modules.
const require = createRequire(new URL('../frontend/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8000';
const seconds = Number(process.env.SCROLL_SECONDS ?? '30');
const pxPerFrame = Number(process.env.PX_PER_FRAME ?? '60');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'de-DE' });
  await page.goto(`${base}/login`);
  await page.getByLabel('E-Mail').fill(process.env.ADMIN_EMAIL ?? '');
  await page.getByRole('textbox', { name: 'Passwort' }).fill(process.env.ADMIN_PASSWORD ?? '');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('heading', { name: /^Heute/ }).waitFor({ timeout: 60_000 });

  const opened = Date.now();
  await page.getByRole('navigation').getByRole('link', { name: 'Kontakte' }).click();
  const table = page.getByRole('table', { name: 'Kontakte' });
  await table.getByRole('row').nth(1).waitFor({ timeout: 60_000 });
  const firstRowsMs = Date.now() - opened;

  const result = await page.evaluate(
    async ({ seconds, pxPerFrame }) => {
      const scroller = document.querySelector('[role="table"] [role="rowgroup"]');
      if (!(scroller instanceof HTMLElement)) throw new Error('no scrolling row group');
      const longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(entry.duration);
      }).observe({ type: 'longtask', buffered: false });
      // What the machine gives the page at all: frames of the list standing still.
      const idle = await new Promise((resolve) => {
        const seen = [];
        let before = performance.now();
        const until = before + 3000;
        const tick = (now) => {
          seen.push(now - before);
          before = now;
          if (now < until) requestAnimationFrame(tick);
          else resolve(seen.slice(1));
        };
        requestAnimationFrame(tick);
      });
      performance.clearResourceTimings();
      const deltas = [];
      const started = performance.now();
      let last = started;
      await new Promise((resolve) => {
        const frame = (now) => {
          deltas.push(now - last);
          last = now;
          scroller.scrollTop += pxPerFrame;
          if (now - started < seconds * 1000) requestAnimationFrame(frame);
          else resolve();
        };
        requestAnimationFrame(frame);
      });
      const fetches = performance
        .getEntriesByType('resource')
        .filter((entry) => /\/api\/v1\/contacts\?/.test(entry.name))
        .map((entry) => entry.duration);
      const rowcount = Number(document.querySelector('[role="table"]')?.getAttribute('aria-rowcount') ?? 0);
      return {
        deltas: deltas.slice(1),
        idle,
        fetches,
        longTasks,
        rowsLoaded: rowcount,
        rowsInDom: document.querySelectorAll('[role="rowgroup"] [role="row"]').length,
        scrolledPx: scroller.scrollTop,
        heapMb: performance.memory ? performance.memory.usedJSHeapSize / 1048576 : null,
      };
    },
    { seconds, pxPerFrame },
  );
  process.stdout.write(JSON.stringify({ ...result, firstRowsMs }));
} finally {
  await browser.close();
}
