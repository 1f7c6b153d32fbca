import { defineConfig } from '@playwright/test';

// Browser tests against a running stack: the gateway serving the built app (make up), or
// `npm run preview` proxying /api to it (E2E_BASE_URL=http://127.0.0.1:4173).
export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  // The stack shares a small machine with the other tests: 5 s (the default) was flaky.
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8000',
    locale: 'de-DE',
    viewport: { width: 1400, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's chromium; Playwright's own browser builds are never downloaded.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    },
  },
});
