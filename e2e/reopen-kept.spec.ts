// A folder opened again in a new page finds libvirt's verdicts kept by the core workers
// (IndexedDB checkpoint-editor-core), and a file changed on disk meanwhile is checked again.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { backupFolder } from '../src/samples/index.ts';
import { writeCheckpoints } from './checkpoint-files.ts';
import { expect, openApp, test, tree, validated, validation } from './fixtures.ts';

/** Entries of the core workers' kept verdicts; 0 before any. */
function keptEntries(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('checkpoint-editor-core');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('results')) {
            db.close();
            resolve(0);
            return;
          }
          const count = db.transaction('results').objectStore('results').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
        };
      }),
  );
}

/** The folder through "Open folder" until every file is validated; the counts then shown. */
async function openFolder(page: Page, dir: string, files: number): Promise<string> {
  await page.getByLabel('Open folder').setInputFiles(dir);
  await expect(page.getByRole('heading', { name: `Checkpoints ${files}` })).toBeVisible({
    timeout: 30_000,
  });
  await validated(page);
  return (await validation(page).getByTestId('validation-counts').textContent()) ?? '';
}

/** A new page of the same browser whose session is emptied before the app starts. */
async function newPageWithoutSession(page: Page): Promise<Page> {
  const again = await page.context().newPage();
  await again.addInitScript({ content: "indexedDB.deleteDatabase('checkpoint-editor');" });
  await openApp(again);
  return again;
}

test('a folder opened again finds libvirt’s verdicts kept; a file changed on disk is checked again', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // More files than the page checks itself (32): these go to a core worker.
  const dir = writeCheckpoints(mkdtempSync(join(tmpdir(), 'reopen-kept-')), backupFolder(40));
  try {
    await openApp(page);
    const counts = await openFolder(page, dir, 40);
    // Written a second after the last files: one entry for the folder's one chunk.
    await expect.poll(() => keptEntries(page), { timeout: 15_000 }).toBeGreaterThan(0);
    const kept = await keptEntries(page);
    await page.close();

    // Opened again as it was: the same verdicts, found (nothing new written).
    const again = await newPageWithoutSession(page);
    expect(await openFolder(again, dir, 40)).toBe(counts);
    await expect(tree(again).getByRole('treeitem', { name: 'virtnbdbackup.5' })).toHaveCount(1);
    await again.waitForTimeout(2_500);
    expect(await keptEntries(again)).toBe(kept);
    await again.close();

    // One file renamed inside, its length the same: its tree row comes from a new check.
    const file = join(dir, 'virtnbdbackup.5.xml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      text.replace('<name>virtnbdbackup.5</name>', '<name>renamed-backup5</name>'),
    );
    const third = await newPageWithoutSession(page);
    await openFolder(third, dir, 40);
    await expect(tree(third).getByRole('treeitem', { name: 'renamed-backup5' })).toHaveCount(1);
    await expect(tree(third).getByRole('treeitem', { name: 'virtnbdbackup.5' })).toHaveCount(0);
    await expect.poll(() => keptEntries(third), { timeout: 15_000 }).toBe(kept + 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
