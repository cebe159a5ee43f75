import { defineConfig } from '@playwright/test';

// E2E_PORT lets two checkouts run their tests at once, each against its own build.
const PORT = Number(process.env.E2E_PORT ?? 4173);
export const BASE_URL = `http://127.0.0.1:${PORT}`;

// Debian's Chromium, never a downloaded browser build.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless as root on a closed network: no sandbox, no GPU, no background connections. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// The README's screenshot is written only when asked for: npm run screenshot.
const IGNORED = process.env['SCREENSHOT'] ? [] : ['screenshot.spec.ts'];
/** Tests that time the page's main thread: run once the others are done, with the machine to themselves. */
const TIMED = ['big-file.spec.ts', 'image-scale.spec.ts', 'bundle-hostile.spec.ts'];

export default defineConfig({
  testDir: 'e2e',
  testIgnore: IGNORED,
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  projects: [
    { name: 'app', testIgnore: [...IGNORED, ...TIMED] },
    // A longest task measured beside another test's Chromium would be that test's load, not ours.
    // One at a time: two of them side by side would each measure the other's Chromium (the
    // 200,000-entry bundle measured a 1.8 s task beside the app's tests, 0.1 s alone).
    { name: 'timed', testMatch: TIMED, dependencies: ['app'], workers: 1 },
  ],
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    },
  },
  // The built app, as operators get it (`vite build` runs first: see test:e2e).
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
    url: BASE_URL,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
