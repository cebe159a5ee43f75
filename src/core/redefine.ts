import { alignDisks, assignBitmapNames } from './align-disks.ts';
import type { Checkpoint, CheckpointDisk } from './checkpoint.ts';
import { domainUuid, readDomainDisks } from './domain.ts';
import type { Result } from './problem.ts';
import { problem } from './problem.ts';

/**
 * strict: the original rule, a redefined checkpoint carries its <domain>;
 * allow-no-domain: libvirt 7.0 and later also accept one without.
 */
export type RedefineProfile = 'strict' | 'allow-no-domain';

/**
 * The rule of a libvirt version: 7.0.0 and later redefine a checkpoint without <domain>; before,
 * libvirt required it. Without a version (schemas of unknown origin), none.
 */
export function profileOfVersion(version: string | undefined): RedefineProfile | undefined {
  const major = version === undefined ? NaN : Number(/^(\d+)\./.exec(version)?.[1]);
  if (Number.isNaN(major)) return undefined;
  return major >= 7 ? 'allow-no-domain' : 'strict';
}

export interface RedefineOptions {
  profile?: RedefineProfile;
  /** The uuid of the VM the checkpoint is redefined on, when known. */
  vmUuid?: string;
}

/**
 * libvirt's checks and completion of a checkpoint being redefined (checkpoint-create --redefine):
 * the rules of virDomainCheckpointDefParse with the REDEFINE flag, then virDomainCheckpointRedefinePrep.
 */
export function redefineCheckpoint(
  checkpoint: Checkpoint,
  options: RedefineOptions = {},
): Result<Checkpoint> {
  const at = checkpoint.positions;
  if (checkpoint.name === undefined) {
    return fail('redefine-no-name', 'a redefined checkpoint must have a name', at.root);
  }
  if (checkpoint.creationTime === undefined) {
    return fail(
      'redefine-no-creation-time',
      'missing creationTime from existing checkpoint',
      at.root,
    );
  }
  if (checkpoint.parent === checkpoint.name) {
    return fail('parent-self', `cannot set moment ${checkpoint.name} as its own parent`, at.parent);
  }
  if (!checkpoint.domain) {
    if ((options.profile ?? 'strict') === 'strict') {
      return fail(
        'redefine-no-domain',
        'the redefine flag requires the <domain> sub-element to be present',
        at.root,
      );
    }
    const disks =
      checkpoint.disks && assignBitmapNames(withoutSizes(checkpoint.disks), checkpoint.name);
    return { ok: true, value: disks ? { ...checkpoint, disks } : checkpoint, problems: [] };
  }
  const uuid = domainUuid(checkpoint.domain);
  if (options.vmUuid !== undefined && uuid !== options.vmUuid.toLowerCase()) {
    return fail(
      'uuid-mismatch',
      `definition for checkpoint ${checkpoint.name} must use uuid ${options.vmUuid.toLowerCase()}`,
      at.domain,
    );
  }
  const disks = checkpoint.disks && withoutSizes(checkpoint.disks);
  const aligned = alignDisks(
    { ...checkpoint, ...(disks ? { disks } : {}) },
    readDomainDisks(checkpoint.domain),
  );
  if (!aligned.ok) return aligned;
  return { ok: true, value: { ...checkpoint, disks: aligned.value }, problems: [] };
}

/** libvirt's parser never reads size=: only a live query of the hypervisor fills it in. */
function withoutSizes(disks: readonly CheckpointDisk[]): CheckpointDisk[] {
  return disks.map(({ size: _size, ...disk }) => disk);
}

function fail(code: string, message: string, at: Checkpoint['disksPosition']): Result<never> {
  return { ok: false, problems: [problem(code, message, at)] };
}
