import { test as base, expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// Plain constants, so the tests wait as long as the app itself counts.
import { UNDO_BURST_MS } from '../src/state/undo-step.ts';
import { TYPE_AHEAD_MS } from '../src/ui/tree/type-ahead.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** The project root, and the shared conformance data beside it (read, never copied). */
export const projectRoot = resolve(here, '..');
export const conformance = resolve(projectRoot, '..', 'shared', 'conformance');
export const conformancePath = (...parts: string[]) => resolve(conformance, ...parts);

/**
 * Every test runs with a watch on the network: a request to any origin but the app's fails the test.
 * Checkpoint files hold VM details; nothing may leave the machine.
 */
export const test = base.extend<{ offOrigin: string[] }>({
  offOrigin: [
    async ({ page, baseURL }, use) => {
      const origin = new URL(baseURL as string).origin;
      const offOrigin: string[] = [];
      const watch = (url: string) => {
        if (/^(data|blob|about):/.test(url)) return;
        if (new URL(url).origin !== origin) offOrigin.push(url);
      };
      page.on('request', (r) => watch(r.url()));
      page.context().on('request', (r) => watch(r.url()));
      await use(offOrigin);
      expect(offOrigin, 'requests that left the app origin').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** The app after its first paint, with the schema set ready for validation. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('tree', { name: 'Checkpoints' })).toBeVisible();
  await expect(page.getByText(/^libvirt [\d.]+ schemas$/)).toBeVisible();
}

export const tree = (page: Page) => page.getByRole('tree', { name: 'Checkpoints' });
export const validation = (page: Page) => page.getByRole('region', { name: 'Validation' });
export const xmlSource = (page: Page) => page.getByRole('region', { name: 'XML source' });
export const textbox = (page: Page, name: string) =>
  page.getByRole('textbox', { name, exact: true });

/** Waits until no file is waiting for its schema verdict. */
export async function validated(page: Page): Promise<void> {
  await expect(validation(page).getByText(/Validating \d+ files?…/)).toHaveCount(0);
}

/** Presses Tab (or Shift+Tab) until `target` has focus: the way a keyboard user gets there. */
export async function tabTo(
  page: Page,
  target: Locator,
  { backwards = false, max = 60 } = {},
): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

/**
 * Waits until the next edit starts a step of undo of its own: a burst of edits ends UNDO_BURST_MS
 * after its last edit; the rest is room for a busy machine, where the page takes the edit late.
 */
export async function pastUndoBurst(page: Page): Promise<void> {
  await page.waitForTimeout(UNDO_BURST_MS + 1_500);
}

/** Waits until the tree's type-ahead forgets what was typed, so the next key starts a new word. */
export async function pastTypeAhead(page: Page): Promise<void> {
  await page.waitForTimeout(TYPE_AHEAD_MS + 100);
}
