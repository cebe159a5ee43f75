import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, projectRoot, tree, validated } from './fixtures.ts';

// What the layout and keyboard specs open: a backup folder as virtnbdbackup leaves it, and two VMs.
const COMPARE = join(projectRoot, 'test', 'fixtures', 'compare');
const VMS = join(projectRoot, 'test', 'fixtures', 'vms', 'vms');

/** Data files a virtnbdbackup folder of three disks holds after a full backup and three incrementals. */
export const DATA_FILES = [
  ...['vda', 'vdb', 'sda'].flatMap((disk) => [
    `${disk}.full.data`,
    `${disk}.inc.c2.data`,
    `${disk}.inc.c3.data`,
    `${disk}.inc.c4.data`,
  ]),
  'vdc.full.data',
  'vdc.inc.c2.data',
];

/**
 * A virtnbdbackup folder: checkpoints/ c1 … c4 of web01 (test/fixtures/compare), the VM's
 * definition at each backup, fourteen data files and a log.
 */
export function backupFolder(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'backup-'));
  mkdirSync(join(dir, 'checkpoints'));
  for (const n of [1, 2, 3, 4]) {
    copyFileSync(join(COMPARE, `c${n}.xml`), join(dir, 'checkpoints', `c${n}.xml`));
    copyFileSync(join(COMPARE, `vm${n}.xml`), join(dir, `vmconfig.virtnbdbackup.${n - 1}.xml`));
  }
  for (const name of DATA_FILES) writeFileSync(join(dir, name), 'not xml');
  writeFileSync(join(dir, 'backup.full.log'), 'done');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function openBackupFolder(page: Page, dir: string): Promise<void> {
  await openApp(page);
  await page.getByLabel('Open folder').setInputFiles(dir);
  await expect(tree(page).getByRole('treeitem')).toHaveCount(4);
  await validated(page);
}

/** web01 and db01, three checkpoints each (test/fixtures/vms): the VMs view is there. */
export async function openVmsFolder(page: Page): Promise<void> {
  await openApp(page);
  await page.getByLabel('Open folder').setInputFiles(VMS);
  await expect(tree(page).getByRole('treeitem', { name: 'web01.2', exact: true })).toBeVisible();
  await validated(page);
}

/** Each view of the main area: its tab, and what shows it is drawn. */
export const VIEWS: { tab: string; name: string | RegExp; ready: (page: Page) => Promise<void> }[] =
  [
    {
      tab: 'VMs',
      name: 'VMs',
      ready: (page) => expect(page.getByRole('table', { name: 'VMs' })).toBeVisible(),
    },
    {
      tab: 'Checkpoint',
      name: 'Checkpoint',
      ready: (page) =>
        expect(page.getByRole('textbox', { name: 'Name', exact: true })).toBeVisible(),
    },
    {
      tab: 'Chain',
      name: /^Chain/,
      ready: (page) => expect(page.getByRole('button', { name: 'Redefine script' })).toBeVisible(),
    },
    {
      tab: 'Bitmaps',
      name: 'Bitmaps',
      ready: (page) => expect(page.getByRole('table', { name: 'Bitmaps' })).toBeVisible(),
    },
    {
      tab: 'Backups',
      name: /^Backups/,
      ready: (page) =>
        expect(page.getByRole('table', { name: 'Backups by checkpoint and disk' })).toBeVisible(),
    },
    {
      tab: 'Graph',
      name: 'Graph',
      ready: (page) => expect(page.locator('.react-flow__node').first()).toBeVisible(),
    },
    {
      tab: 'Collect from a host',
      name: 'Collect from a host',
      ready: (page) => expect(page.getByRole('textbox', { name: 'Collect script' })).toBeVisible(),
    },
    {
      tab: 'Help',
      name: 'Help',
      ready: (page) =>
        expect(page.getByRole('heading', { name: 'Help', exact: true })).toBeVisible(),
    },
  ];
