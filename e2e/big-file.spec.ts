import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, test, textbox, tree, validated } from './fixtures.ts';
import { bigCheckpoint, clearLongTasks, longestTask, watchLongTasks } from './long-tasks.ts';

// Under the 16 MiB limit, and far over what the page can parse in one go.
const BIG = bigCheckpoint(15_000_000);
// A task this long is a freeze, whatever the machine's load. How fast it is (the 200 ms goal) is
// measured by the bench (big_file_longest_task_ms), not asserted here: on a shared 2-core CI machine
// under load the same build measured 234 and 376 ms.
const FREEZE_MS = 1000;

/**
 * Waits until the page shows `what` and is done with it (no file waiting for the schema, every
 * change saved), polling with a cheap script: a failing expect() takes an accessibility snapshot
 * of the page each time, on the page's main thread, and would count as the app's long task.
 */
async function settled(page: Page, what: { name?: string; treeItem?: string }): Promise<void> {
  await page.waitForFunction(
    ({ name, treeItem }) => {
      const text = document.body.textContent ?? '';
      if (/Validating \d+ files?…/.test(text)) return false;
      if (document.querySelector('.save-status')?.textContent !== 'Saved in this browser') {
        return false;
      }
      if (
        name !== undefined &&
        ![...document.querySelectorAll('input')].some((i) => i.value === name)
      ) {
        return false;
      }
      return (
        treeItem === undefined ||
        document.querySelector(`[role=treeitem][aria-label="${treeItem}"]`) !== null
      );
    },
    what,
    { polling: 500, timeout: 180_000 },
  );
}

test('a 15 MB file opens and takes a form edit without freezing the page', async ({ page }) => {
  test.setTimeout(300_000);
  // On disk: handed to the browser by path, not decoded from base64 on the page's main thread.
  const bigFile = join(test.info().outputPath(), BIG.fileName);
  mkdirSync(dirname(bigFile), { recursive: true });
  writeFileSync(bigFile, BIG.contents);
  await watchLongTasks(page);
  await openApp(page);
  await validated(page);
  await clearLongTasks(page);

  await page.getByLabel('Open checkpoint files').setInputFiles(bigFile);
  await settled(page, { name: 'big', treeItem: 'big' });
  const open = await longestTask(page);
  // Too large to edit comfortably: read-only, saying so, with the ways to edit it and to see it.
  await expect(tree(page).getByRole('treeitem', { name: 'big' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByRole('note')).toContainText('big.xml is 15.0 MB: it opened read-only');
  await expect(textbox(page, 'Name')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Show the XML source' })).toBeVisible();

  await clearLongTasks(page);
  await page.getByRole('button', { name: 'Edit this file' }).click();
  await textbox(page, 'Name').fill('big-renamed');
  await settled(page, { name: 'big-renamed', treeItem: 'big-renamed' });
  const edit = await longestTask(page);
  test
    .info()
    .annotations.push(
      { type: 'longest task, open', description: `${open} ms` },
      { type: 'longest task, form edit', description: `${edit} ms` },
    );
  console.log(`longest task: open ${open} ms, form edit ${edit} ms`);
  expect(open, 'longest task while the file opens').toBeLessThan(FREEZE_MS);
  expect(edit, 'longest task while a form edit is written').toBeLessThan(FREEZE_MS);
  // What was measured is what the operator asked for: the new name is in the text, and kept.
  await page.reload();
  await expect(tree(page).getByRole('treeitem', { name: 'big-renamed' })).toBeVisible({
    timeout: 120_000,
  });
});
