import type { Checkpoint, CheckpointDisk } from './checkpoint.ts';
import type { DomainDisk } from './domain.ts';
import { findDomainDisk, isCheckpointable } from './domain.ts';
import type { Result } from './problem.ts';
import { problem } from './problem.ts';

/**
 * libvirt's default bitmap names (virDomainCheckpointDefAssignBitmapNames): a bitmap disk without
 * a bitmap name gets the checkpoint's name.
 */
export function assignBitmapNames(
  disks: readonly CheckpointDisk[],
  name: string | undefined,
): CheckpointDisk[] {
  return disks.map((d) =>
    d.checkpoint === 'bitmap' && d.bitmap === undefined && name !== undefined
      ? { ...d, bitmap: name }
      : d,
  );
}

/**
 * libvirt's virDomainCheckpointAlignDisks: one entry per domain disk, in the domain's order, named by
 * target dev; problems in libvirt's order and words.
 */
export function alignDisks(
  checkpoint: Checkpoint,
  domainDisks: readonly DomainDisk[],
): Result<CheckpointDisk[]> {
  const requested = checkpoint.disks ?? [];
  if (requested.length > domainDisks.length) {
    return fail(
      'disk-too-many',
      'too many disk checkpoint requests for domain',
      checkpoint.disksPosition,
    );
  }
  if (domainDisks.length === 0) {
    return fail(
      'domain-no-disks',
      'domain must have at least one disk to perform checkpoints',
      checkpoint.positions.domain,
    );
  }
  // An absent (or empty) <disks> asks for a bitmap on every writable disk; otherwise omitted disks get 'no'.
  const omitted: CheckpointDisk['checkpoint'] = requested.length === 0 ? 'bitmap' : 'no';
  const byTarget = new Map<string, CheckpointDisk>();
  for (const disk of requested) {
    const domainDisk = findDomainDisk(domainDisks, disk.name);
    if (!domainDisk) return fail('disk-unknown', `no disk named '${disk.name}'`, disk.position);
    if (byTarget.has(domainDisk.target))
      return fail('disk-twice', `disk '${disk.name}' specified twice`, disk.position);
    if (!isCheckpointable(domainDisk) && disk.checkpoint !== 'no') {
      return fail(
        'disk-empty-or-readonly',
        `disk '${disk.name}' is empty or readonly`,
        disk.position,
      );
    }
    byTarget.set(domainDisk.target, { ...disk, name: domainDisk.target });
  }
  const aligned = domainDisks.map(
    (d): CheckpointDisk =>
      byTarget.get(d.target) ?? {
        name: d.target,
        checkpoint: isCheckpointable(d) ? omitted : 'no',
      },
  );
  return { ok: true, value: assignBitmapNames(aligned, checkpoint.name), problems: [] };
}

function fail(code: string, message: string, at: Checkpoint['disksPosition']): Result<never> {
  return { ok: false, problems: [problem(code, message, at)] };
}
