import type { DiskState } from '../../state/index.ts';

/** A VM's backup readiness as its rows say it: each disk's line, and whether one needs a full. */
export interface VmReadiness {
  /** Each disk's readiness line, or why it is not known. */
  disks: string[];
  /** A disk needs a full backup; undefined while the images' state is not loaded. */
  full: boolean | undefined;
}

export function vmReadiness(state: DiskState | null | undefined): VmReadiness {
  if (!state) return { disks: ['not known: no disk image state loaded'], full: undefined };
  const { disks } = state.readiness;
  return {
    disks: disks.map((d) => d.line),
    full: disks.some((d) => d.state === 'full' || d.state === 'no bitmaps'),
  };
}

/** The short word a tree row shows: what the next backup of the VM can be. */
export function readinessWord(r: VmReadiness): string {
  return r.full === undefined
    ? 'readiness not known'
    : r.full
      ? 'full backup needed'
      : 'incremental';
}
