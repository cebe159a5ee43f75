import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { chromium } from '@playwright/test';
import { BASE_URL, CHROMIUM, CHROMIUM_ARGS } from '../playwright.config.ts';
import { checkpointChain } from '../src/samples/index.ts';
import { expect, openApp, test, textbox, tree } from './fixtures.ts';

interface FilePayload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

// f1, f2 and f3 of one VM (f1's parent, f0, is not among them).
const [f1, f2, f3] = checkpointChain({ count: 4, prefix: 'f' })
  .slice(1)
  .map((f) => ({
    name: f.fileName,
    mimeType: 'application/xml',
    buffer: Buffer.from(f.contents),
  })) as [FilePayload, FilePayload, FilePayload];

const description = (page: Page) => textbox(page, 'Description');
const takeOver = (page: Page) => page.getByRole('button', { name: 'Take over' });
const saved = (page: Page) =>
  expect(page.getByText('Saved in this browser', { exact: true })).toBeVisible();

async function select(page: Page, name: string): Promise<void> {
  await tree(page).getByRole('treeitem', { name, exact: true }).click();
}

/** The browser with its profile on disk, as an operator's: closing it and starting it again keeps storage. */
function launch(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    baseURL: BASE_URL,
    viewport: { width: 1280, height: 800 },
  });
}

test('two tabs keep one session: files opened in either survive, whichever tab saved last', async () => {
  test.setTimeout(120_000);
  const profile = mkdtempSync(join(tmpdir(), 'checkpoint-tabs-'));
  try {
    let browser = await launch(profile);
    const a = await browser.newPage();
    await openApp(a);
    await a.getByLabel('Open checkpoint files').setInputFiles([f1, f2]);
    await expect(tree(a).getByRole('treeitem')).toHaveCount(2);
    await saved(a);

    // A second tab shows the same session, read-only, and says so.
    const b = await browser.newPage();
    await openApp(b);
    await expect(b.getByRole('region', { name: 'Session' })).toContainText(
      'open for editing in another tab',
    );
    await expect(tree(b).getByRole('treeitem')).toHaveCount(2);

    await a.getByLabel('Open checkpoint files').setInputFiles(f3);
    await description(a).fill('f3: typed in tab A');
    await saved(a);
    // What the editing tab saves shows in the other.
    await expect(tree(b).getByRole('treeitem', { name: 'f3', exact: true })).toBeVisible();

    await takeOver(b).click();
    await expect(a.getByRole('region', { name: 'Session' })).toContainText('another tab took over');
    await expect(takeOver(b)).toHaveCount(0);
    await select(b, 'f2');
    await description(b).fill('f2: edited in tab B');
    await saved(b);

    await b.reload();
    await expect(tree(b).getByRole('treeitem')).toHaveCount(3);
    await select(b, 'f3');
    await expect(description(b)).toHaveValue('f3: typed in tab A');

    await takeOver(a).click();
    await expect(takeOver(a)).toHaveCount(0);
    await select(a, 'f1');
    await description(a).fill('f1: edited in tab A');
    await saved(a);
    await browser.close();

    browser = await launch(profile);
    const again = await browser.newPage();
    await openApp(again);
    await expect(tree(again).getByRole('treeitem')).toHaveCount(3);
    for (const [name, text] of [
      ['f1', 'f1: edited in tab A'],
      ['f2', 'f2: edited in tab B'],
      ['f3', 'f3: typed in tab A'],
    ] as const) {
      await select(again, name);
      await expect(description(again)).toHaveValue(text);
    }
    await browser.close();
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});

test('an edit of the same file in another tab is shown, never silently overwritten', async ({
  page: a,
}) => {
  await openApp(a);
  await select(a, 'web01-2024-03-01');
  await description(a).fill('Text of tab A');
  await saved(a);

  const b = await a.context().newPage();
  await openApp(b);
  await select(b, 'web01-2024-03-01');
  // Read-only here: the text is A's, and it cannot be changed behind A's back.
  await expect(description(b)).toHaveValue('Text of tab A');
  await expect(description(b)).toBeDisabled();
  await description(a).fill('Text of tab A, again');
  await saved(a);
  await expect(description(b)).toHaveValue('Text of tab A, again');

  await takeOver(b).click();
  await expect(description(b)).toBeEnabled();
  await description(b).fill('Text of tab B');
  await saved(b);
  // A no longer claims its text is saved: it shows B's, read-only.
  await expect(a.getByText('Saved in this browser', { exact: true })).toHaveCount(0);
  await expect(a.getByRole('region', { name: 'Session' })).toContainText('another tab took over');
  await expect(description(a)).toHaveValue('Text of tab B');
  await expect(description(a)).toBeDisabled();

  // The editing tab closes: the other says so, and takes the session over at once.
  await b.close();
  await expect(a.getByRole('region', { name: 'Session' })).toContainText(
    'the tab that edited this session has closed',
  );
  await takeOver(a).click();
  await expect(description(a)).toBeEnabled();
  await expect(description(a)).toHaveValue('Text of tab B');

  await a.close();
  const again = await a.context().newPage();
  await openApp(again);
  await select(again, 'web01-2024-03-01');
  await expect(description(again)).toHaveValue('Text of tab B');
});

test('a tab that does not edit the session offers nothing that would not open', async ({
  page: a,
}) => {
  await openApp(a);
  await a.getByRole('button', { name: 'Close all' }).click();
  await expect(tree(a).getByRole('treeitem')).toHaveCount(0);
  await saved(a);
  const example = (page: Page) => page.getByRole('button', { name: 'Open the example chain' });
  await expect(example(a)).toBeEnabled();

  const b = await a.context().newPage();
  await openApp(b);
  await expect(b.getByRole('region', { name: 'Session' })).toContainText(
    'open for editing in another tab',
  );
  await expect(example(b)).toBeDisabled();
  await takeOver(b).click();
  await expect(example(b)).toBeEnabled();
  await example(b).click();
  await expect(tree(b).getByRole('treeitem')).toHaveCount(3);
  await saved(b);
  await expect(tree(a).getByRole('treeitem')).toHaveCount(3);
});
