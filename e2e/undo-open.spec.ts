import type { Page } from '@playwright/test';
import { expect, test, tree, validated } from './fixtures.ts';
import { backupFolder, openVmsFolder } from './layout-data.ts';

// One Undo after an open takes back all it brought (its checkpoints, VM definitions, the target
// VM, virtnbdbackup's files, the skipped list), Redo brings it back, and the session stored after
// an Undo is what a reload shows. Keyboard only once the folder is offered.

const vmsTable = (page: Page) => page.getByRole('table', { name: 'VMs' });
const backupsTab = (page: Page) => page.getByRole('tab', { name: /^Backups/ });
const skipped = (page: Page) => page.getByRole('region', { name: /^Skipped/ });
const definitions = (page: Page) => page.getByRole('region', { name: /^VM definitions/ });
const note = (page: Page) => page.getByRole('status').filter({ hasText: /^(Undo|Redo)/ });

/** web01 and db01 of the first folder (their rows and three checkpoints each) and nothing else. */
async function firstFolderOnly(page: Page) {
  await expect(tree(page).getByRole('treeitem')).toHaveCount(8);
  await expect(tree(page).getByRole('treeitem', { name: 'c1', exact: true })).toHaveCount(0);
  await expect(backupsTab(page)).toHaveCount(0);
  await expect(skipped(page)).toHaveCount(0);
}

test('Undo of a folder takes back its VM, definitions, Backups and skipped files; Redo brings them back; a reload keeps the Undo', async ({
  page,
}) => {
  const folder = backupFolder();
  try {
    await page.setViewportSize({ width: 1024, height: 700 });
    // A fleet open first (web01, db01): the Undo of the next folder leaves it as it was.
    await openVmsFolder(page);
    await firstFolderOnly(page);
    await page.getByLabel('Open folder').setInputFiles(folder.dir);
    await expect(tree(page).getByRole('treeitem', { name: 'c4', exact: true })).toBeVisible();
    await validated(page);
    // Its VM (web01 of another uuid), its four checkpoints, definitions, data files and log.
    await expect(tree(page).getByRole('treeitem')).toHaveCount(13);
    await expect(vmsTable(page).getByRole('row')).toHaveCount(4);
    await expect(backupsTab(page)).toHaveCount(1);
    await expect(skipped(page)).toHaveAccessibleName('Skipped 15 files');
    await tree(page).getByRole('treeitem', { name: 'c1', exact: true }).focus();
    await expect(definitions(page)).toHaveAccessibleName('VM definitions 4');

    await page.keyboard.press('Control+z');
    await expect(note(page)).toHaveText(
      'Undo: 4 files closed, 4 VM definitions closed, 1 target VM closed, 14 backup files closed, no file skipped',
    );
    await firstFolderOnly(page);
    await expect(vmsTable(page).getByRole('row')).toHaveCount(3);
    await expect(vmsTable(page)).not.toContainText('4b6f');
    await expect(definitions(page)).toHaveCount(0);

    await page.keyboard.press('Control+Shift+z');
    await expect(note(page)).toHaveText(/^Redo: 4 files back, 4 VM definitions back/);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(13);
    await expect(vmsTable(page).getByRole('row')).toHaveCount(4);
    await expect(backupsTab(page)).toHaveCount(1);
    await expect(skipped(page)).toHaveAccessibleName('Skipped 15 files');

    // Close all closes what came with the files too; Undo brings it all back.
    await page.getByRole('button', { name: 'Close all' }).focus();
    await page.keyboard.press('Enter');
    await expect(tree(page).getByRole('treeitem')).toHaveCount(0);
    await expect(backupsTab(page)).toHaveCount(0);
    await expect(skipped(page)).toHaveCount(0);
    await page.keyboard.press('Control+z');
    await expect(tree(page).getByRole('treeitem')).toHaveCount(13);
    // The Backups tab is the VM on screen's: the folder's, once one of its checkpoints is.
    await tree(page).getByRole('treeitem', { name: 'c1', exact: true }).focus();
    await page.keyboard.press('End');
    await expect(tree(page).getByRole('treeitem', { name: 'c4', exact: true })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await expect(backupsTab(page)).toHaveCount(1);
    await expect(skipped(page)).toHaveAccessibleName('Skipped 15 files');

    // Undone again, stored, reloaded: the page shows what it showed.
    await page.keyboard.press('Control+z');
    await firstFolderOnly(page);
    await expect(page.getByText('Saved in this browser', { exact: true })).toBeVisible();
    await page.reload();
    await expect(tree(page).getByRole('treeitem', { name: 'web01.2', exact: true })).toBeVisible();
    await firstFolderOnly(page);
    await page.getByRole('tab', { name: 'VMs' }).focus();
    await page.keyboard.press('Enter');
    await expect(vmsTable(page).getByRole('row')).toHaveCount(3);
    // The history is the tab's: nothing to undo after a reload.
    await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
  } finally {
    folder.remove();
  }
});
