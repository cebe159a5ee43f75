// Backup readiness from QMP's live view (issue 22): how much each incremental copies, per
// checkpoint in the Bitmaps table and per disk in the readiness; a per-disk backup job.
import { writeFileSync } from 'node:fs';
import { imageDir } from '../test/images/qemu-img.ts';
import type { VmDisk } from '../test/images/scenario.ts';
import { writeChain } from '../test/images/scenario.ts';
import { expect, openApp, test, tree } from './fixtures.ts';

test('QMP counts: ≈ changed per checkpoint and per disk; one backup job with each disk from its own checkpoint', async ({
  page,
}) => {
  const dir = imageDir('e2e-readiness');
  try {
    const disks: VmDisk[] = [
      { target: 'vda', source: '/var/lib/libvirt/images/web01-vda.qcow2' },
      { target: 'vdb', source: '/var/lib/libvirt/images/web01-vdb.qcow2' },
    ];
    writeChain(dir.dir, 'web01', disks, ['bk.1', 'bk.2']);
    const node = (i: number, file: string, bitmaps: [string, number, boolean][]) => ({
      'node-name': `libvirt-${i}-format`,
      drv: 'qcow2',
      file,
      image: { filename: file, format: 'qcow2' },
      'dirty-bitmaps': bitmaps.map(([name, count, recording]) => ({
        name,
        recording,
        persistent: true,
        busy: false,
        granularity: 65536,
        count,
      })),
    });
    // vda's bk.1 and vdb's bk.2 disabled: no checkpoint is valid on both disks.
    const qmp = {
      return: [
        node(1, disks[0]?.source as string, [
          ['bk.1', 2 ** 31, false],
          ['bk.2', 1288490188, true],
        ]),
        node(2, disks[1]?.source as string, [
          ['bk.1', 5 * 2 ** 20, true],
          ['bk.2', 65536, false],
        ]),
      ],
    };
    writeFileSync(dir.path('qmp.json'), JSON.stringify(qmp));

    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(dir.dir);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(2);
    await page.getByRole('tab', { name: 'Bitmaps' }).click();

    const matrix = page.getByRole('table', { name: 'Bitmaps' });
    const row = (name: string) =>
      matrix.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
    await expect(row('bk.1').getByRole('cell')).toHaveText(['disabled', 'ok (≈ 5 MiB changed)']);
    await expect(row('bk.2').getByRole('cell')).toHaveText(['ok (≈ 1.2 GiB changed)', 'disabled']);

    const readiness = page.getByRole('region', { name: 'Backup readiness' });
    await expect(readiness.getByRole('list').first().getByRole('listitem')).toHaveText([
      'vda: incremental since bk.2 (≈ 1.2 GiB changed)',
      'vdb: incremental since bk.1 (≈ 5 MiB changed)',
      'web01: one backup job: vda incremental since bk.2, vdb since bk.1',
    ]);
    const xml = readiness.getByLabel('Backup XML');
    await expect(xml).toHaveValue(
      /<disk name='vda' backup='yes' type='file' backupmode='incremental' incremental='bk\.2'>/,
    );
    await expect(xml).toHaveValue(
      /<disk name='vdb' backup='yes' type='file' backupmode='incremental' incremental='bk\.1'>/,
    );
    await expect(xml).not.toHaveValue(/<incremental>/);
    await page.screenshot({ path: test.info().outputPath('readiness.png') });
  } finally {
    dir.remove();
  }
});
