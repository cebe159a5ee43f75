import type { Checkpoint } from './checkpoint.ts';
import type { DomainDisk } from './domain.ts';
import type { Problem } from './problem.ts';
import { problem } from './problem.ts';

/**
 * The QEMU driver's rules (qemuCheckpointPrepare), which libvirt enforces when it creates a
 * checkpoint: shown as warnings, since a redefine does not check them.
 */
export function qemuWarnings(
  checkpoint: Checkpoint,
  domainDisks: readonly DomainDisk[] = [],
): Problem[] {
  const warnings: Problem[] = [];
  for (const disk of checkpoint.disks ?? []) {
    if (disk.checkpoint !== 'bitmap') continue;
    if (
      disk.bitmap !== undefined &&
      checkpoint.name !== undefined &&
      disk.bitmap !== checkpoint.name
    ) {
      warnings.push(
        problem(
          'qemu-bitmap-name',
          `bitmap for disk '${disk.name}' must match checkpoint name '${checkpoint.name}'`,
          disk.position,
          'warning',
        ),
      );
    }
    const domainDisk = domainDisks.find((d) => d.target === disk.name || d.source === disk.name);
    if (domainDisk && domainDisk.driverType !== 'qcow2') {
      warnings.push(
        problem(
          'qemu-storage-type',
          `checkpoint for disk ${disk.name} unsupported for storage type ${domainDisk.driverType ?? 'none'}`,
          disk.position,
          'warning',
        ),
      );
    }
  }
  return warnings;
}
