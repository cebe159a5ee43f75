import type { BackupReadiness } from './backup-readiness.ts';
import type { BitmapReport } from './bitmap-verdicts.ts';
import { escapeXml } from './escape.ts';

export interface BackupXmlOptions {
  /** Seconds since the epoch: each disk's backup is written to SOURCE.NOW, as libvirt names it. */
  now: number;
}

/**
 * The `<domainbackup>` that `virsh backup-begin --backupxml FILE` takes for the backup the
 * readiness found (libvirt's domainbackup.rng, push mode): incremental from one checkpoint
 * (`<incremental>`), or from each disk's own (`backupmode='incremental' incremental='…'` per disk),
 * a disk no checkpoint keeps a bitmap on full (`backupmode='full'`), a full backup when no
 * incremental is possible; undefined when the readiness is not known. Each listed disk needs its
 * `<target>` (libvirt 9.0 fails with "argument key 'filename' must not have null value" on a listed
 * disk without one): the qcow2 file beside its image that libvirt itself would pick, SOURCE.NOW.
 * A disk that is no local file (a block device, network) is left out with `backup='no'`, and said
 * in `leftOut`.
 */
export function backupXml(
  report: BitmapReport,
  readiness: BackupReadiness,
  options: BackupXmlOptions,
): string | undefined {
  return backupJob(report, readiness, options)?.xml;
}

/** The `<domainbackup>` and the disks it leaves out, with why. */
export function backupJob(
  report: BitmapReport,
  readiness: BackupReadiness,
  options: BackupXmlOptions,
): { xml: string; leftOut: string[] } | undefined {
  const { vm } = readiness;
  if (vm.state === 'unknown' || vm.state === 'redefine') return undefined;
  const incremental = vm.state === 'incremental';
  const lines = ["<domainbackup mode='push'>"];
  if (incremental && vm.since !== undefined) {
    lines.push(`  <incremental>${escapeXml(vm.since)}</incremental>`);
  }
  lines.push('  <disks>');
  const leftOut: string[] = [];
  report.disks.forEach((d, i) => {
    const name = escapeXml(d.disk.target);
    // libvirt backs up no cdrom, floppy, read-only or empty disk.
    if (d.disk.device !== 'disk' || d.disk.readonly || d.disk.empty) {
      lines.push(`    <disk name='${name}' backup='no'/>`);
      return;
    }
    if (d.disk.type !== 'file' || d.disk.source === undefined) {
      leftOut.push(
        `disk ${d.disk.target} (${d.disk.type}) is left out (backup='no'): give it a <target file='…'/> and backup='yes' to back it up`,
      );
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
    lines.push(
      `    <disk name='${name}' backup='yes' type='file'${mode}>`,
      `      <target file='${escapeXml(`${d.disk.source}.${options.now}`)}'/>`,
      "      <driver type='qcow2'/>",
      '    </disk>',
    );
  });
  lines.push('  </disks>', '</domainbackup>');
  return { xml: lines.join('\n') + '\n', leftOut };
}
