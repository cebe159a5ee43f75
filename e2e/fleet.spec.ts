import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, projectRoot, test, tree, validated } from './fixtures.ts';

// A fleet/ folder as contrib/ansible/collect.yml fetches it (fleet/HOST/VM-checkpoints.tar.gz, each
// bundle packed as scripts/collect.sh packs it: tar -czf), opened on the page: the VMs view has a
// Host column, and the same VM on two hosts is two rows (issue 23).

const FIXTURES = join(projectRoot, 'test', 'fixtures', 'vms');

/** HOST/VM-checkpoints.tar.gz under `fleet`, holding domain.xml and the VM's checkpoints `names`. */
function bundle(fleet: string, host: string, vm: string, names: number[]): void {
  const work = mkdtempSync(join(tmpdir(), 'fleet-pack-'));
  try {
    const folder = join(work, `${vm}-checkpoints`);
    mkdirSync(join(folder, 'checkpoints'), { recursive: true });
    mkdirSync(join(folder, 'images'));
    writeFileSync(join(folder, 'domain.xml'), readFileSync(join(FIXTURES, 'domains', `${vm}.xml`)));
    for (const n of names)
      writeFileSync(
        join(folder, 'checkpoints', `${vm}.${n}.xml`),
        readFileSync(join(FIXTURES, 'vms-both', vm, `${vm}.${n}.xml`)),
      );
    mkdirSync(join(fleet, host), { recursive: true });
    const archive = join(fleet, host, `${vm}-checkpoints.tar.gz`);
    execFileSync('tar', ['-czf', archive, `${vm}-checkpoints`], { cwd: work });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const view = (page: Page) => page.getByRole('tabpanel', { name: 'VMs' });
const table = (page: Page) => view(page).getByRole('table', { name: 'VMs' });
const rows = (page: Page) =>
  table(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader') });
/** Each row as [VM, Host, Checkpoints]. */
async function cells(page: Page): Promise<string[][]> {
  const all = await rows(page).all();
  return Promise.all(
    all.map(async (r) => [
      (await r.getByRole('rowheader').innerText()).trim(),
      (await r.getByRole('cell').nth(0).innerText()).trim(),
      (await r.getByRole('cell').nth(1).innerText()).trim(),
    ]),
  );
}

test('a fleet/ folder of two hosts: a Host column, sortable and filtered; web01 on each host its own row; kept by a reload and a new tab', async ({
  page,
  context,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-e2e-'));
  try {
    const fleet = join(dir, 'fleet');
    // web01 (same name, same uuid) on both hosts, with 3 checkpoints on kvm1 and 2 on kvm2.
    bundle(fleet, 'kvm1', 'web01', [0, 1, 2]);
    bundle(fleet, 'kvm1', 'db01', [0, 1, 2]);
    bundle(fleet, 'kvm2', 'web01', [0, 1]);
    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(fleet);
    await expect(view(page)).toBeVisible({ timeout: 60_000 });
    await validated(page);

    const byVm = [
      ['db01', 'kvm1', '3'],
      ['web01 on kvm1', 'kvm1', '3'],
      ['web01 on kvm2', 'kvm2', '2'],
    ];
    const shows = async (p: Page) => {
      await expect(table(p).getByRole('columnheader', { name: 'Host' })).toBeVisible();
      await expect(rows(p)).toHaveCount(3);
      expect(await cells(p)).toEqual(byVm);
    };
    await shows(page);
    // The tree has each as a VM row, described (its key, with the host, makes a valid id reference).
    await expect(
      tree(page).locator('[role="treeitem"][aria-level="1"]').filter({ hasText: 'web01 on kvm2' }),
    ).toHaveAccessibleDescription(/VM, 2 checkpoints/);
    // No 'defined twice': each host's web01 is its own chain.
    await expect(page.getByText(/defined (again|twice)/)).toHaveCount(0);

    // Sorted by host: ascending, then descending (ties by name).
    const hostSort = table(page).getByRole('button', { name: 'Host' });
    await hostSort.click();
    await expect(table(page).getByRole('columnheader', { name: 'Host' })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
    expect((await cells(page)).map((c) => c[1])).toEqual(['kvm1', 'kvm1', 'kvm2']);
    await hostSort.click();
    await expect(table(page).getByRole('columnheader', { name: 'Host' })).toHaveAttribute(
      'aria-sort',
      'descending',
    );
    expect((await cells(page)).map((c) => c[0])).toEqual([
      'web01 on kvm2',
      'db01',
      'web01 on kvm1',
    ]);

    // Filtered by host.
    const hostFilter = view(page).getByRole('combobox', { name: 'Host' });
    await hostFilter.selectOption('kvm2');
    await expect(rows(page)).toHaveCount(1);
    expect(await cells(page)).toEqual([['web01 on kvm2', 'kvm2', '2']]);
    await expect(view(page).getByRole('status')).toHaveText('1 of 3 VMs');
    await hostFilter.selectOption({ label: 'All hosts' });
    await expect(rows(page)).toHaveCount(3);

    // A row opens its VM: kvm2's web01 has 2 checkpoints, not kvm1's 3.
    await rows(page).filter({ hasText: 'web01 on kvm2' }).click();
    await expect(page.getByRole('tab', { name: /^Chain/ })).toHaveAttribute(
      'aria-selected',
      'true',
    );

    // The host is kept with the files: after a reload and in a new tab.
    await expect(page.getByText('Saved in this browser', { exact: true })).toBeVisible();
    const again = async (p: Page) => {
      await p.getByRole('tab', { name: 'VMs' }).click();
      await shows(p);
    };
    await page.reload();
    await again(page);
    const second = await context.newPage();
    await second.goto('/');
    await again(second);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
