import { expect, test, tree } from './fixtures.ts';
import { backupFolder, openBackupFolder, openVmsFolder } from './layout-data.ts';

// Issue 25.5: UTC is the reference; the local time, named by its zone, beside it when asked for,
// as virsh prints the host's ('2024-03-01 01:00:00 +0100'); the choice kept across a reload.
test.use({ timezoneId: 'Europe/Berlin' });

test('local time beside UTC, the zone named, kept across a reload', async ({ page }) => {
  const folder = backupFolder();
  try {
    await openBackupFolder(page, folder.dir);
    const c1 = tree(page).getByRole('treeitem', { name: 'c1', exact: true });
    await expect(c1).toHaveAccessibleDescription(/created 2024-03-01 00:00:00 UTC(,|$)/);
    await expect(c1).not.toContainText('+0100');
    const toggle = page.getByRole('button', { name: 'Local time' });
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    // The row: UTC, and under it the local time with its offset; said whole, the zone named.
    await expect(c1).toContainText('2024-03-01 00:00:00');
    await expect(c1).toContainText('2024-03-01 01:00:00 +0100');
    await expect(c1).toHaveAccessibleDescription(
      /created 2024-03-01 00:00:00 UTC \(2024-03-01 01:00:00 \+0100 Europe\/Berlin\)/,
    );
    await expect(page.getByText('Created, UTC · Europe/Berlin')).toBeVisible();
    // The editor says both too.
    await c1.click();
    await expect(
      page.getByText(
        '2024-03-01 00:00:00 UTC (2024-03-01 01:00:00 +0100 Europe/Berlin) · picker in Europe/Berlin, UTC+01:00',
      ),
    ).toBeVisible();

    await expect(page.getByText('Saved in this browser', { exact: true })).toBeVisible();
    await page.reload();
    await expect(tree(page).getByRole('treeitem')).toHaveCount(4);
    await expect(page.getByRole('button', { name: 'Local time' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expect(c1).toContainText('2024-03-01 01:00:00 +0100');

    // And off again: UTC alone.
    await page.getByRole('button', { name: 'Local time' }).click();
    await expect(c1).not.toContainText('+0100');
    await expect(c1).toHaveAccessibleDescription(/created 2024-03-01 00:00:00 UTC(,|$)/);
  } finally {
    folder.remove();
  }
});

test('the VMs view: each VM’s newest checkpoint in UTC, the local time under it when asked for', async ({
  page,
}) => {
  await openVmsFolder(page);
  await page.getByRole('button', { name: 'Local time' }).click();
  await page.getByRole('tab', { name: 'VMs' }).click();
  const table = page.getByRole('table', { name: 'VMs' });
  await expect(
    table.getByRole('columnheader', { name: /Newest checkpoint, UTC · Europe\/Berlin/ }),
  ).toBeVisible();
  const web01 = table.getByRole('row', { name: 'VM web01' });
  await expect(web01.getByRole('cell').last()).toHaveText(
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0[12]00$/,
  );
});
