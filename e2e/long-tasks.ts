// The page's long tasks (PerformanceObserver 'longtask'): how long the main thread stood still.
import type { Page } from '@playwright/test';
import { EXAMPLE_CHAIN } from '../src/samples/index.ts';

declare global {
  interface Window {
    __longTasks?: { start: number; duration: number }[];
  }
}

/** Records every long task from the page's first script on; call before page.goto. */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__longTasks?.push({ start: e.startTime, duration: e.duration });
      }
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** Forgets the long tasks so far: what follows is measured alone. */
export async function clearLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__longTasks = [];
  });
}

/** The longest task since the last clear, in milliseconds (0 when none reached 50 ms). */
export async function longestTask(page: Page): Promise<number> {
  return page.evaluate(() =>
    Math.round(Math.max(0, ...(window.__longTasks ?? []).map((t) => t.duration))),
  );
}

/**
 * A valid checkpoint of about `bytes` bytes: the example's first, its <domain> carrying a large
 * <metadata> of many small elements (libxml2 refuses one text node over 10 MB, so the bulk is in
 * elements, as an application's metadata would be).
 */
export function bigCheckpoint(bytes: number): { fileName: string; contents: string } {
  const base = (EXAMPLE_CHAIN[0] as { contents: string }).contents;
  const line = (i: number) => `      <app:entry key='k${i}'>value number ${i}</app:entry>\n`;
  const parts: string[] = [];
  let size = base.length + 200;
  for (let i = 0; size < bytes; i++) {
    const l = line(i);
    parts.push(l);
    size += l.length;
  }
  const metadata = `    <metadata>\n      <app:data xmlns:app='https://example.org/app'>\n${parts.join('')}      </app:data>\n    </metadata>\n  </domain>`;
  return {
    fileName: 'big.xml',
    contents: base.replace('  </domain>', metadata).replace('web01-2024-03-01', 'big'),
  };
}

interface Probed {
  __clickAt?: number;
  __answeredAt?: number;
}

/**
 * Clicks a view's tab and waits until it is selected; gives how long the page took to answer, in
 * ms, from the click's own time stamp (when the input came) to the tab's change in the page.
 */
export async function probeTab(page: Page, name: string | RegExp): Promise<number> {
  const tab = page.getByRole('tab', { name });
  await tab.evaluate((el) => {
    const w = window as Probed;
    w.__clickAt = undefined;
    w.__answeredAt = undefined;
    document.addEventListener('pointerdown', (e) => (w.__clickAt = e.timeStamp), {
      capture: true,
      once: true,
    });
    new MutationObserver((_, observer) => {
      if (el.getAttribute('aria-selected') !== 'true') return;
      w.__answeredAt = performance.now();
      observer.disconnect();
    }).observe(el, { attributes: true });
  });
  await tab.click({ timeout: 600_000 });
  await tab.page().waitForFunction(() => (window as Probed).__answeredAt !== undefined, null, {
    timeout: 600_000,
  });
  return page.evaluate(() => {
    const w = window as Probed;
    return Math.round((w.__answeredAt ?? NaN) - (w.__clickAt ?? NaN));
  });
}
