// Issue 24.1: a key typed into the form reaches its frame without the store's work on the edit
// (the document's text written again, the chain and its verdicts worked out): that work follows
// once the keys pause, and nothing typed is lost on the way (undo, a reload, a closed tab).
import type { Page } from '@playwright/test';
import { expect, openApp, pastUndoBurst, test, textbox, tree, xmlSource } from './fixtures.ts';

const description = (page: Page) => textbox(page, 'Description');

interface KeyWindow {
  key: string;
  /** keydown's timeStamp, and the start of the next animation frame. */
  from: number;
  to: number;
}

declare const window: Window & { typingProbe: { keys: KeyWindow[]; work: [string, number][] } };

/**
 * Notes each key typed into the Description field (keydown to the next animation frame) and each
 * User Timing mark of the store's work on an edit (src/state/form-drafts.ts markWork).
 */
function watchKeysAndWork(): void {
  const probe = { keys: [] as KeyWindow[], work: [] as [string, number][] };
  window.typingProbe = probe;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name.startsWith('checkpoint-editor:'))
        probe.work.push([entry.name, entry.startTime]);
    }
  }).observe({ type: 'mark' });
  document.addEventListener(
    'keydown',
    (event) => {
      const target = event.target as HTMLElement;
      if (!target.id.endsWith('-description')) return;
      const from = event.timeStamp;
      requestAnimationFrame((to) => probe.keys.push({ key: event.key, from, to }));
    },
    { capture: true },
  );
}

async function selectCheckpoint(page: Page, name: string): Promise<void> {
  await tree(page).getByRole('treeitem', { name, exact: true }).click();
  await expect(textbox(page, 'Name')).toHaveValue(name);
}

test('a key in Description reaches its frame before the edit is written and the chain worked out; both follow once the keys pause', async ({
  page,
}) => {
  await openApp(page);
  await selectCheckpoint(page, 'web01-2024-03-02');
  const before = await description(page).inputValue();
  await description(page).click();
  await page.keyboard.press('Control+End');
  await page.evaluate(watchKeysAndWork);
  await page.keyboard.type(' typed key by key');
  const typed = `${before} typed key by key`;
  await expect(description(page)).toHaveValue(typed);
  // Once the keys pause the edit is in the document: the XML source shows it.
  await expect(xmlSource(page).getByText(`<description>${typed}</description>`)).toBeVisible();
  const { keys, work } = await page.evaluate(() => window.typingProbe);
  expect(keys.length).toBe(' typed key by key'.length);
  // The store did the edit's work (so the marks are there to count) …
  expect(
    work.filter(([name]) => name === 'checkpoint-editor:document-edit').length,
  ).toBeGreaterThan(0);
  expect(work.filter(([name]) => name === 'checkpoint-editor:chain-update').length).toBeGreaterThan(
    0,
  );
  // … and none of it between a key and its frame.
  const inTheWay = keys.flatMap((k) =>
    work.filter(([, at]) => at >= k.from && at <= k.to).map(([name]) => `${k.key}: ${name}`),
  );
  expect(inTheWay).toEqual([]);
});

test('undo takes back typing in the form burst by burst, what was typed last included', async ({
  page,
}) => {
  await openApp(page);
  await selectCheckpoint(page, 'web01-2024-03-02');
  const before = await description(page).inputValue();
  await description(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' one');
  await pastUndoBurst(page);
  // Undone at once after the keys: the draft is written first, so it is part of the step.
  await page.keyboard.type(' two');
  await page.keyboard.press('Control+z');
  await expect(description(page)).toHaveValue(`${before} one`);
  await page.keyboard.press('Control+z');
  await expect(description(page)).toHaveValue(before);
  await page.keyboard.press('Control+Shift+z');
  await expect(description(page)).toHaveValue(`${before} one`);
  await page.keyboard.press('Control+Shift+z');
  await expect(description(page)).toHaveValue(`${before} one two`);
});

test('the tab closed right after typing in the form: the keys are there when the app opens again', async ({
  page,
}) => {
  await openApp(page);
  await selectCheckpoint(page, 'web01-2024-03-02');
  await description(page).click();
  await description(page).fill('');
  await page.keyboard.type('closed at once');
  // Leaving with an unsaved edit asks first: the operator leaves anyway.
  page.on('dialog', (d) => void d.accept());
  // No wait: the draft is written and saved as the page goes.
  await page.close({ runBeforeUnload: true });
  if (!page.isClosed()) await page.waitForEvent('close');
  const again = await page.context().newPage();
  await openApp(again);
  await selectCheckpoint(again, 'web01-2024-03-02');
  await expect(description(again)).toHaveValue('closed at once');
});

test('another checkpoint selected right after typing: the draft goes to its own checkpoint, the next keys to the other', async ({
  page,
}) => {
  await openApp(page);
  await selectCheckpoint(page, 'web01-2024-03-01');
  const other = await description(page).inputValue();
  await selectCheckpoint(page, 'web01-2024-03-02');
  const before = await description(page).inputValue();
  await description(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' drafted');
  // At once, while the draft waits for the keys to pause.
  await selectCheckpoint(page, 'web01-2024-03-01');
  await description(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' and here');
  await expect(description(page)).toHaveValue(`${other} and here`);
  await selectCheckpoint(page, 'web01-2024-03-02');
  await expect(description(page)).toHaveValue(`${before} drafted`);
  await selectCheckpoint(page, 'web01-2024-03-01');
  await expect(description(page)).toHaveValue(`${other} and here`);
});

test('a disk bitmap typed in the Disks table goes into the file once the keys pause', async ({
  page,
}) => {
  await openApp(page);
  await selectCheckpoint(page, 'web01-2024-03-02');
  const bitmap = textbox(page, 'Bitmap for vda');
  await bitmap.click();
  await bitmap.fill('');
  await page.keyboard.type('typed-bitmap');
  await expect(xmlSource(page).getByText(/bitmap='typed-bitmap'/)).toBeVisible();
  await selectCheckpoint(page, 'web01-2024-03-01');
  await selectCheckpoint(page, 'web01-2024-03-02');
  await expect(bitmap).toHaveValue('typed-bitmap');
});
