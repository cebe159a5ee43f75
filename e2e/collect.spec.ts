// Collect from a host, in the page: the script it shows is scripts/collect.sh, and the bundle that
// script writes on a real libvirt host opens as its folder, with the readiness `check --connect` prints.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'fflate';
import { packTar } from 'modern-tar';
import { checkpointXml, runCli } from '../test/cli/run-cli.ts';
import { createImage, haveQemuUtils, imageDir, qemuImg } from '../test/images/qemu-img.ts';
import { defineGuest, hostRunning, removeGuest, URI, virshOk } from '../test/libvirt-host/host.ts';
import { expect, openApp, projectRoot, test, tree } from './fixtures.ts';

const SCRIPT = resolve(projectRoot, 'scripts', 'collect.sh');

test('the Collect from a host view shows scripts/collect.sh, and Copy puts it on the clipboard', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page);
  // From the empty session's first screen, and from the views' tabs.
  await page.getByRole('button', { name: 'Close all' }).click();
  await page.getByRole('button', { name: 'Collect from a host' }).click();
  const tab = page.getByRole('tab', { name: 'Collect from a host' });
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'Checkpoint' }).click();
  await expect(tab).toHaveAttribute('aria-selected', 'false');
  await tab.click();
  // And from Help.
  await page.getByRole('tab', { name: 'Help' }).click();
  await expect(tab).toHaveAttribute('aria-selected', 'false');
  await page.getByRole('button', { name: 'Collect from a host' }).click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { name: 'Collect from a host' })).toBeVisible();
  const script = readFileSync(SCRIPT, 'utf8');
  await expect(page.getByRole('textbox', { name: 'Collect script' })).toHaveValue(script);
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(script);
});

test('a hostile bundle: its checkpoint opens, a path that climbs out and a link are listed as skipped', async ({
  page,
}) => {
  const entry = (name: string, body: string) => ({
    header: { name, size: Buffer.byteLength(body), type: 'file' as const },
    body,
  });
  const tgz = gzipSync(
    await packTar([
      entry('web01-checkpoints/checkpoints/bk.1.xml', checkpointXml('bk.1')),
      entry('../../bk.2.xml', checkpointXml('bk.2')),
      {
        header: {
          name: 'web01-checkpoints/checkpoints/bk.3.xml',
          size: 0,
          type: 'symlink',
          linkname: '/etc/shadow',
        },
      },
    ]),
  );
  await openApp(page);
  await page.getByLabel('Open checkpoint files').setInputFiles({
    name: 'web01-checkpoints.tar.gz',
    mimeType: 'application/gzip',
    buffer: Buffer.from(tgz),
  });
  await expect(tree(page).getByRole('treeitem')).toHaveCount(1);
  const skipped = page.getByRole('region', { name: 'Skipped 2 files' });
  await expect(skipped.getByRole('listitem')).toHaveText([
    'web01-checkpoints.tar.gz: ../../bk.2.xml: path leaves the bundle (..)',
    'web01-checkpoints.tar.gz: web01-checkpoints/checkpoints/bk.3.xml: a symbolic link (to /etc/shadow), not a file',
  ]);
});

test.describe('a bundle collected on a real libvirt host', () => {
  test.skip(
    !(haveQemuUtils && hostRunning()) && !process.env['CI'],
    'no libvirt host with QEMU (scripts/libvirt-host.sh start)',
  );

  test('opens in Chromium as its folder, with the readiness check --connect prints', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const work = imageDir('e2e-collect');
    const name = `ckpt-e2e-collect-${process.pid}`;
    try {
      const disks = ['vda', 'vdb'].map((target) => ({
        target,
        source: createImage(join(work.dir, `${target}.qcow2`)),
      }));
      defineGuest(work.dir, name, disks);
      virshOk('start', name);
      for (const cp of ['bk.1', 'bk.2', 'bk.3']) virshOk('checkpoint-create-as', name, cp);
      virshOk('destroy', name);
      // vdb lost bk.3's bitmap: its incremental backups start from bk.2.
      qemuImg('bitmap', '--remove', '-f', 'qcow2', disks[1]?.source as string, 'bk.3');

      const cwd = join(work.dir, 'collect');
      mkdirSync(cwd);
      const run = spawnSync('sh', [SCRIPT, '-c', URI, name], { cwd, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const check = await runCli(['check', '--connect', URI, name], 60_000);
      // bk.3 kept on vdb without its bitmap is an error: exit 1, though vdb can start from bk.2.
      expect(check.code).toBe(1);
      const lines = check.out
        .split('\n')
        .filter((l) => /^(vda|vdb|ckpt-e2e-collect-\d+(?: on \S+)?): (incremental|full)/.test(l));
      // check --connect names the host in the VM's line (qemu:///system's: `virsh hostname`); the
      // page, given the bundle alone, knows no host.
      const host = virshOk('hostname').trim();
      expect(lines).toEqual([
        'vda: incremental since bk.3',
        'vdb: incremental since bk.2',
        `${name} on ${host}: incremental since bk.2`,
      ]);

      await openApp(page);
      await page
        .getByLabel('Open checkpoint files')
        .setInputFiles(join(cwd, `${name}-checkpoints.tar.gz`));
      await expect(tree(page).getByRole('treeitem')).toHaveCount(3);
      await page.getByRole('tab', { name: 'Bitmaps' }).click();
      const readiness = page.getByRole('region', { name: 'Backup readiness' });
      await expect(readiness.getByRole('list').first().getByRole('listitem')).toHaveText(
        lines.map((l) => l.replace(`${name} on ${host}: `, `${name}: `)),
      );
      const matrix = page.getByRole('table', { name: 'Bitmaps' });
      const row = matrix
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: 'bk.3' }) });
      await expect(row.getByRole('cell')).toHaveText(['ok', 'missing']);
      // domain.xml became the Target VM definition; nothing in the bundle was skipped.
      await page.getByRole('tab', { name: /^Chain/ }).click();
      await expect(page.getByText(`${name}-checkpoints/domain.xml`)).toBeVisible();
      await expect(page.getByRole('region', { name: /Skipped/ })).toHaveCount(0);
    } finally {
      removeGuest(name);
      work.remove();
    }
  });
});
