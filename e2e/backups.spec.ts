import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { hostRunning } from '../test/libvirt-host/host.ts';
import { backUpGuest, haveVirtnbdbackup } from '../test/libvirt-host/virtnbdbackup.ts';
import { expect, openApp, test, tree, validated, validation } from './fixtures.ts';

// Issue 25.6: a folder the real virtnbdbackup wrote of a guest of the real libvirt host (a full
// and two incrementals, .ci/run starts the host before the e2e run), opened in the page.
const available = hostRunning() && haveVirtnbdbackup;
const NAMES = ['virtnbdbackup.0', 'virtnbdbackup.1', 'virtnbdbackup.2'];

test.describe('a virtnbdbackup folder: its Backups, by checkpoint and disk', () => {
  // One folder made for both tests: virtnbdbackup takes some seconds per backup.
  test.describe.configure({ mode: 'serial' });
  let work = '';
  let folder = '';

  test.beforeAll(() => {
    // In CI the host must be there (.ci/run starts it): a test that cannot run fails.
    if (!available && process.env['CI']) throw new Error('no libvirt host or virtnbdbackup here');
    test.skip(!available, 'needs the libvirt host (scripts/libvirt-host.sh) and virtnbdbackup');
    test.setTimeout(180_000);
    work = mkdtempSync(join(tmpdir(), 'e2e-nbd-'));
    folder = backUpGuest(work, `ckpt-nbd-${process.pid}-e2e`);
  });
  test.afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const table = (page: Page) => page.getByRole('table', { name: 'Backups by checkpoint and disk' });
  /** A checkpoint's row as its cells read: the level, then each disk's. */
  const row = (page: Page, name: string) =>
    table(page)
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
      .getByRole('cell');

  async function openBackups(page: Page, dir: string) {
    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(dir);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(3);
    await validated(page);
    await page.getByRole('tab', { name: /^Backups/ }).click();
  }

  test('the whole folder: the full backup at virtnbdbackup.0, each incremental at its checkpoint, every disk', async ({
    page,
  }) => {
    await openBackups(page, folder);
    await expect(table(page).getByRole('columnheader')).toHaveText([
      'Checkpoint',
      'Backup',
      'vda',
      'vdb',
    ]);
    await expect(table(page).getByRole('rowheader')).toHaveText(NAMES);
    await expect(row(page, 'virtnbdbackup.0')).toHaveText([
      'full',
      'in the folder vda.full.data',
      'in the folder vdb.full.data',
    ]);
    // virtnbdbackup.1 was taken with -z: each file's header says it is compressed.
    for (const [n, lz4] of [
      ['virtnbdbackup.1', ' (lz4)'],
      ['virtnbdbackup.2', ''],
    ])
      await expect(row(page, n as string)).toHaveText([
        'incremental',
        `in the folder vda.inc.${n}.data${lz4}`,
        `in the folder vdb.inc.${n}.data${lz4}`,
      ]);
    await expect(page.getByRole('list', { name: 'Backup chain problems' })).toHaveCount(0);
    await expect(page.getByRole('tab', { name: /^Backups/ })).toHaveAccessibleName('Backups');
    // The session keeps the folder's backup files' names: after a reload the tab says the same.
    await expect(page.getByText('Saved in this browser', { exact: true })).toBeVisible();
    await page.reload();
    await page.getByRole('tab', { name: /^Backups/ }).click();
    await expect(row(page, 'virtnbdbackup.2')).toHaveText([
      'incremental',
      'in the folder vda.inc.virtnbdbackup.2.data',
      'in the folder vdb.inc.virtnbdbackup.2.data',
    ]);
    // A checkpoint's name opens it in the editor.
    await table(page).getByRole('button', { name: 'virtnbdbackup.1' }).click();
    await expect(page.getByRole('tab', { name: 'Checkpoint' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });

  test('the full data file of vda and vdb’s first incremental gone: the chain problems, the cells that cannot be restored', async ({
    page,
  }) => {
    const broken = join(work, 'copied-in-part');
    cpSync(folder, broken, { recursive: true });
    rmSync(join(broken, 'vda.full.data'));
    rmSync(join(broken, 'vdb.inc.virtnbdbackup.1.data'));
    await openBackups(page, broken);
    await expect(page.getByRole('tab', { name: /^Backups/ })).toHaveAccessibleName(
      'Backups 2 backup chain errors',
    );
    await expect(
      page.getByRole('list', { name: 'Backup chain problems' }).getByRole('listitem'),
    ).toHaveText([
      'error: incremental virtnbdbackup.1 has no full backup before it: disk vda has no vda.full.data (checkpoint virtnbdbackup.0)',
      'error: checkpoint virtnbdbackup.1 has no data file for disk vdb: no vdb.inc.virtnbdbackup.1.data in the folder',
    ]);
    await expect(row(page, 'virtnbdbackup.0')).toHaveText([
      'full',
      'no data file vda.full.data',
      'in the folder vdb.full.data',
    ]);
    await expect(row(page, 'virtnbdbackup.1')).toHaveText([
      'incremental',
      'chain broken before it vda.inc.virtnbdbackup.1.data (lz4)',
      'no data file vdb.inc.virtnbdbackup.1.data',
    ]);
    await expect(row(page, 'virtnbdbackup.2')).toHaveText([
      'incremental',
      'chain broken before it vda.inc.virtnbdbackup.2.data',
      'chain broken before it vdb.inc.virtnbdbackup.2.data',
    ]);
    // The same problems are their checkpoints' (issue 21.6): the Validation panel lists each under
    // its file with its line and code, and counts what the Backups tab counts; each file's badge
    // and the editor's header count its own.
    const listed = (code: string) =>
      validation(page).locator('.problem-row').filter({ hasText: code });
    await expect(listed('backup-no-full')).toHaveCount(1);
    await expect(listed('backup-no-full')).toContainText(
      'incremental virtnbdbackup.1 has no full backup before it: disk vda has no vda.full.data (checkpoint virtnbdbackup.0)',
    );
    await expect(listed('backup-no-data')).toContainText(
      'checkpoint virtnbdbackup.1 has no data file for disk vdb: no vdb.inc.virtnbdbackup.1.data in the folder',
    );
    await expect(listed('backup-no-full').locator('.where')).toHaveText(/^line \d+$/);
    await expect(validation(page).getByText(/^\d+ errors?$/)).toHaveText('2 errors');
    for (const name of ['virtnbdbackup.0', 'virtnbdbackup.1'])
      await expect(
        tree(page).getByRole('treeitem', { name, exact: true }).locator('.badge.error'),
      ).toHaveText('1');
    await expect(
      tree(page)
        .getByRole('treeitem', { name: 'virtnbdbackup.2', exact: true })
        .locator('.badge.error'),
    ).toHaveCount(0);
    await tree(page).getByRole('treeitem', { name: 'virtnbdbackup.0', exact: true }).dblclick();
    await expect(page.getByTestId('file-counts')).toHaveText(/^This file: 1 error, /);
    // libvirt's verdict is not the backup's: the checkpoint is redefined all the same.
    await expect(page.locator('.verdicts .verdict').nth(1)).toHaveText(
      'libvirt: would redefine it',
    );
  });

  test('an offline incremental over virtnbdbackup.2’s: its header tells, the cells say other data', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const offline = backUpGuest(join(work, 'offline'), `ckpt-nbd-${process.pid}-e2e-off`, {
      offline: true,
    });
    await openBackups(page, offline);
    await expect(row(page, 'virtnbdbackup.2')).toHaveText([
      'incremental',
      'other data vda.inc.virtnbdbackup.2.data',
      'other data vdb.inc.virtnbdbackup.2.data',
    ]);
    await expect(
      page.getByRole('list', { name: 'Backup chain problems' }).getByRole('listitem'),
    ).toHaveText(
      ['vda', 'vdb'].map(
        (d) =>
          `error: checkpoint virtnbdbackup.2 has no data file for disk ${d}: ${d}.inc.virtnbdbackup.2.data holds the changes since virtnbdbackup.2, not those up to it: an offline backup (the VM shut off) saves "only delta" under the latest checkpoint's name, over its incremental`,
      ),
    );
  });
});
