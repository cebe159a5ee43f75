import type { Checkpoint } from './checkpoint.ts';
import { readLongLong } from './integer.ts';
import type { Problem } from './problem.ts';
import { problem } from './problem.ts';

// libvirt's schema patterns (XML Schema patterns match the whole value; '.' is no line end).
export const CHECKPOINT_NAME = /^[a-zA-Z0-9_-][a-zA-Z0-9_.-]*$/;
const DISK_TARGET_DEV = /^(ioemu:)?(fd|hd|sd|vd|xvd|ubd)[a-zA-Z0-9_]+$/;
const ABS_FILE_PATH = /^(\/|[a-zA-Z]:\\)[^\n\r]+$/;

/** Why libvirt's schema would refuse this as a checkpoint's name, if it would. */
function nameProblem(name: string): string | undefined {
  if (CHECKPOINT_NAME.test(name)) return undefined;
  if (name.startsWith('.')) return 'a checkpoint name may not start with "."';
  return 'a checkpoint name holds only letters, digits, "_", "-" and "."';
}

/** Why libvirt's schema would refuse this as a disk's name, if it would. */
function diskNameProblem(name: string): string | undefined {
  if (DISK_TARGET_DEV.test(name) || ABS_FILE_PATH.test(name)) return undefined;
  return 'a disk is named by its target (vda, sdb…) or by the absolute path of its source';
}

/** Why this creation time cannot be one (whole seconds, at most libvirt's long long), if it cannot. */
export function creationTimeProblem(seconds: string): string | undefined {
  return readLongLong(seconds) === undefined
    ? 'a creation time is whole seconds since 1970, at most 9223372036854775807'
    : undefined;
}

/**
 * What the forms flag before a file is written: each value libvirt's schema would refuse, so that
 * an edit never turns a valid file into one libvirt rejects without saying so.
 */
export function fieldProblems(checkpoint: Checkpoint): Problem[] {
  const problems: Problem[] = [];
  const at = checkpoint.positions;
  const flag = (code: string, message: string | undefined, position = at.root) => {
    if (message) problems.push(problem(code, message, position));
  };
  if (checkpoint.name !== undefined) flag('field-name', nameProblem(checkpoint.name), at.name);
  if (checkpoint.parent !== undefined)
    flag('field-parent', nameProblem(checkpoint.parent), at.parent);
  if (checkpoint.creationTime !== undefined)
    flag('field-creation-time', creationTimeProblem(checkpoint.creationTime), at.creationTime);
  if (checkpoint.creationTimeAsWritten !== undefined)
    flag(
      'field-creation-time',
      `creationTime '${checkpoint.creationTimeAsWritten}' is not a creation time: ${creationTimeProblem('x')}`,
      at.creationTime,
    );
  for (const disk of checkpoint.disks ?? []) {
    flag('field-disk-name', diskNameProblem(disk.name), disk.position);
    if (disk.checkpointAsWritten !== undefined) {
      flag(
        'field-disk-checkpoint',
        `disk ${disk.name}: checkpoint must be 'bitmap' or 'no', not '${disk.checkpointAsWritten}'`,
        disk.position,
      );
    }
    if (disk.checkpoint === 'no' && (disk.bitmap !== undefined || disk.size !== undefined)) {
      flag(
        'field-bitmap-on-no',
        `disk '${disk.name}' has checkpoint 'no' and so no bitmap`,
        disk.position,
      );
    }
  }
  return problems;
}
