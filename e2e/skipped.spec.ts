import { expect, test, tree } from './fixtures.ts';
import { backupFolder, DATA_FILES, openBackupFolder } from './layout-data.ts';

// Issue 25.3: a backup folder's data files and logs take a line per kind, not a line each.
test('skipped files: one line per kind ("14 data files", "1 log"), each a disclosure listing them', async ({
  page,
}) => {
  const folder = backupFolder();
  try {
    await page.setViewportSize({ width: 1024, height: 700 });
    await openBackupFolder(page, folder.dir);
    const skipped = page.getByRole('region', { name: 'Skipped 15 files' });
    const data = skipped.getByRole('button', { name: '14 data files' });
    const log = skipped.getByRole('button', { name: '1 log' });
    await expect(data).toHaveAttribute('aria-expanded', 'false');
    await expect(log).toHaveAttribute('aria-expanded', 'false');
    // Two kinds on one line, nothing listed: the tree keeps the room.
    const [d, l] = [await data.boundingBox(), await log.boundingBox()];
    expect(d?.y).toBe(l?.y);
    await expect(skipped.getByRole('listitem')).toHaveCount(2);
    await expect(skipped.getByText('vda.full.data', { exact: false })).toHaveCount(0);

    await data.click();
    await expect(data).toHaveAttribute('aria-expanded', 'true');
    const listed = skipped.getByRole('list', { name: '14 data files' }).getByRole('listitem');
    await expect(listed).toHaveCount(14);
    for (const name of DATA_FILES)
      await expect(listed.filter({ hasText: `${name}: not an .xml or .json file` })).toHaveCount(1);
    await expect(listed.first()).toBeInViewport();
    await data.press('Enter');
    await expect(data).toHaveAttribute('aria-expanded', 'false');
    await expect(listed).toHaveCount(0);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(4);
  } finally {
    folder.remove();
  }
});
