import type { BackupReadiness } from './backup-readiness.ts';
import type { BitmapReport } from './bitmap-verdicts.ts';
import { escapeXml } from './escape.ts';

/**
 * The `<domainbackup>` that `virsh backup-begin --backupxml FILE` takes for the backup the
 * readiness found (libvirt's domainbackup.rng, push mode): incremental from one checkpoint
 * (`<incremental>`), or from each disk's own (`backupmode='incremental' incremental='…'` per disk,
 * libvirt 7.2 and later), a disk no checkpoint keeps a bitmap on full (`backupmode='full'`), a
 * full backup when no incremental is possible; undefined when the readiness is not known. Without
 * a `<target>`, libvirt writes each disk's backup beside its image (SOURCE.TIMESTAMP), as qcow2.
 */
export function backupXml(report: BitmapReport, readiness: BackupReadiness): string | undefined {
  const { vm } = readiness;
  if (vm.state === 'unknown' || vm.state === 'redefine') return undefined;
  const incremental = vm.state === 'incremental';
  const lines = ["<domainbackup mode='push'>"];
  if (incremental && vm.since !== undefined) {
    lines.push(`  <incremental>${escapeXml(vm.since)}</incremental>`);
  }
  lines.push('  <disks>');
  report.disks.forEach((d, i) => {
    const name = escapeXml(d.disk.target);
    // libvirt backs up no cdrom, floppy, read-only or empty disk.
    if (d.disk.device !== 'disk' || d.disk.readonly || d.disk.empty) {
      lines.push(`    <disk name='${name}' backup='no'/>`);
      return;
    }
    const disk = readiness.disks[i];
    const own = vm.perDisk?.find((p) => p.disk === d.disk.target)?.since;
    const mode =
      !incremental || disk?.state === 'no bitmaps'
        ? " backupmode='full'"
        : own !== undefined
          ? ` backupmode='incremental' incremental='${escapeXml(own)}'`
          : '';
    const type = d.disk.type === 'block' ? 'block' : 'file';
    lines.push(
      `    <disk name='${name}' backup='yes' type='${type}'${mode}>`,
      "      <driver type='qcow2'/>",
      '    </disk>',
    );
  });
  lines.push('  </disks>', '</domainbackup>');
  return lines.join('\n') + '\n';
}
