// The checkpoints held against the bitmaps really in the disk images, in the page: real images
// made with qemu-img, their `qemu-img info --output=json --backing-chain` dropped with the files.
import { writeFileSync } from 'node:fs';
import {
  addBitmap,
  createImage,
  haveQemuUtils,
  imageDir,
  qemuImg,
} from '../test/images/qemu-img.ts';
import type { VmDisk } from '../test/images/scenario.ts';
import { writeChain } from '../test/images/scenario.ts';
import { expect, openApp, test, tree } from './fixtures.ts';

test.skip(!haveQemuUtils && !process.env['CI'], 'qemu-img and qemu-io are missing (qemu-utils)');

test('a folder of checkpoints with its images’ JSON: bitmap cells, backup readiness, repair script', async ({
  page,
}) => {
  const dir = imageDir('e2e-disk-images');
  try {
    const disks: VmDisk[] = [
      { target: 'vda', source: dir.path('web01-vda.qcow2') },
      { target: 'vdb', source: dir.path('web01-vdb.qcow2') },
    ];
    const names = ['bk.1', 'bk.2', 'bk.3'];
    writeChain(dir.dir, 'web01', disks, names);
    for (const d of disks) createImage(d.source);
    // vda holds every bitmap; vdb lost bk.2 (metadata without bitmap), and holds a stray one.
    for (const name of names) addBitmap(disks[0]?.source as string, name);
    for (const name of ['bk.1', 'bk.3', 'stray']) addBitmap(disks[1]?.source as string, name);
    const json = disks
      .map((d) => qemuImg('info', '--output=json', '--backing-chain', d.source))
      .join('');
    writeFileSync(dir.path('images.json'), json);

    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(dir.dir);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(3);
    await page.getByRole('tab', { name: 'Bitmaps' }).click();

    const matrix = page.getByRole('table', { name: 'Bitmaps' });
    const row = (name: string) =>
      matrix.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
    await expect(row('bk.1').getByRole('cell')).toHaveText(['ok', 'ok']);
    await expect(row('bk.2').getByRole('cell')).toHaveText(['ok', 'missing']);
    await expect(row('bk.3').getByRole('cell')).toHaveText(['ok', 'ok']);

    const readiness = page.getByRole('region', { name: 'Backup readiness' });
    await expect(readiness.getByRole('listitem').first()).toHaveText('vda: incremental since bk.3');
    await expect(readiness).toContainText('vdb: incremental since bk.3');
    await expect(readiness).toContainText('web01: incremental since bk.3');
    await expect(readiness.getByRole('list', { name: 'Problems in the images' })).toContainText(
      'stray',
    );
    // The backup job libvirt takes (virsh backup-begin --backupxml), to copy or download.
    const backupXml = readiness.getByLabel('Backup XML');
    await expect(backupXml).toHaveValue(/<incremental>bk\.3<\/incremental>/);
    await expect(backupXml).toHaveValue(/<target file='[^']*web01-vda\.qcow2\.\d+'\/>/);
    const saved = page.waitForEvent('download');
    await readiness.getByRole('button', { name: 'Download backup-web01.xml' }).click();
    expect((await saved).suggestedFilename()).toBe('backup-web01.xml');

    // Read with -U while the VM runs, the images prove nothing of their top: unknown, no job.
    const running = page.getByLabel('The VM is running (images read with -U)');
    await running.check();
    await expect(row('bk.3').getByRole('cell')).toHaveText(['unknown', 'unknown']);
    await expect(readiness).toContainText(
      'web01: unknown (VM running: image data are from its last shutdown; collect with QMP)',
    );
    await expect(readiness.getByLabel('Backup XML')).toHaveCount(0);
    await running.uncheck();
    await expect(row('bk.3').getByRole('cell')).toHaveText(['ok', 'ok']);

    // The same problems in the Validation panel, each under its file.
    const validation = page.getByRole('region', { name: 'Validation' });
    await expect(validation).toContainText('(metadata without bitmap)');
    await expect(validation).toContainText('(bitmap without checkpoint)');
    await expect(validation.getByRole('heading', { name: /images\.json$/ })).toBeVisible();

    await page.getByRole('button', { name: 'Repair script', exact: true }).click();
    const script = page.getByLabel('Repair script text');
    await expect(script).toHaveValue(/checkpoint-delete/);
    await expect(script).toHaveValue(/qemu-img bitmap --remove/);
    // It checks before it acts, and acts only with --apply.
    await expect(script).toHaveValue(/^check_top vda /m);
    const images = page.getByRole('region', { name: 'Backup readiness' });
    await expect(images).toContainText('sh repair-web01.sh [-c URI] [--apply]');
    await expect(images).toContainText('Without --apply it is a dry run');
    await page.screenshot({ path: test.info().outputPath('disk-images.png') });

    // The closed choice shows each image's own file name first: a long folder shared by both
    // images left them alike at 1024 px ('/tmp/e2e-disk-ima…' twice).
    const chosen = (disk: string) =>
      page.getByRole('combobox', { name: `Image for ${disk}` }).locator('option:checked');
    await expect(chosen('vda')).toHaveText(`web01-vda.qcow2 (${dir.dir}/)`);
    await expect(chosen('vdb')).toHaveText(`web01-vdb.qcow2 (${dir.dir}/)`);
    await expect(page.getByRole('combobox', { name: 'Image for vdb' })).toHaveAttribute(
      'title',
      disks[1]?.source as string,
    );

    // Choosing no image for vdb: its cells say so, and the VM's line says what is not known.
    await page.getByRole('combobox', { name: 'Image for vdb' }).selectOption('');
    await expect(row('bk.1').getByRole('cell')).toHaveText(['ok', 'no image']);
  } finally {
    dir.remove();
  }
});
