import type { BitmapCell, BitmapReport, BitmapRow } from './bitmap-verdicts.ts';
import { bitmapIncapacity } from './image-info.ts';
import { baseName } from './image-match.ts';

/**
 * What a disk's next backup can be: incremental from a checkpoint, full, never incremental (no
 * checkpoint keeps a bitmap on it), or not known (its image is not loaded).
 */
export type DiskReadinessState = 'incremental' | 'full' | 'no bitmaps' | 'no image';

export interface DiskReadiness {
  disk: string;
  state: DiskReadinessState;
  /** The newest checkpoint whose bitmap chain is valid on the disk. */
  since?: string;
  reason?: string;
  /** `vda: incremental since bk.4`, `vdb: full backup needed: …`. */
  line: string;
}

export interface VmReadiness {
  name: string;
  state: 'incremental' | 'full' | 'unknown';
  /** The newest checkpoint from which every disk that checkpoints keep can take an incremental backup. */
  since?: string;
  reason?: string;
  line: string;
}

export interface BackupReadiness {
  disks: DiskReadiness[];
  vm: VmReadiness;
  /** Every disk a checkpoint keeps can take an incremental backup, from one checkpoint. */
  ready: boolean;
  /** The disks' lines, then the VM's: what the Backup readiness region and `check` print. */
  lines: string[];
}

const newestFirst = (rows: readonly BitmapRow[]) => [...rows].reverse();

function diskReadiness(report: BitmapReport, i: number): DiskReadiness {
  const d = report.disks[i];
  const disk = d?.disk.target ?? '';
  const cells = newestFirst(report.rows).map((r) => r.cells[i] as BitmapCell);
  const top = d?.layers[0];
  if (cells.every((c) => c.verdict === 'no')) {
    const cannot = top && bitmapIncapacity(top);
    const what = cannot
      ? `${baseName(top.filename)} ${cannot}, and no checkpoint keeps a bitmap on it`
      : "no checkpoint keeps a bitmap on it (checkpoint='no' everywhere)";
    return {
      disk,
      state: 'no bitmaps',
      reason: what,
      line: `${disk}: ${what}: every backup of it is full`,
    };
  }
  if (!top) {
    return {
      disk,
      state: 'no image',
      line: `${disk}: no image: load its qemu-img info to judge its bitmaps`,
    };
  }
  const ok = cells.find((c) => c.verdict === 'ok');
  if (ok) {
    return {
      disk,
      state: 'incremental',
      since: ok.checkpoint,
      line: `${disk}: incremental since ${ok.checkpoint}`,
    };
  }
  const newest = cells.find((c) => c.verdict !== 'no') as BitmapCell;
  const reason = newest.reason ?? newest.verdict;
  return { disk, state: 'full', reason, line: `${disk}: full backup needed: ${reason}` };
}

const list = (names: string[]) =>
  names.length < 2
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

/**
 * Per disk, the newest checkpoint from which an incremental backup can start, or why a full backup
 * is needed; and for the VM, the newest checkpoint valid on every disk that checkpoints keep.
 */
export function backupReadiness(report: BitmapReport): BackupReadiness {
  const disks = report.disks.map((_, i) => diskReadiness(report, i));
  const name = report.vm ?? 'VM';
  const judged = disks.map((d, i) => ({ d, i })).filter(({ d }) => d.state !== 'no bitmaps');
  let vm: VmReadiness;
  const unknown = judged.filter(({ d }) => d.state === 'no image').map(({ d }) => d.disk);
  const full = (reason: string): VmReadiness => ({
    name,
    state: 'full',
    reason,
    line: `${name}: full backup needed: ${reason}`,
  });
  if (report.rows.length === 0) {
    vm = full('no checkpoint loaded');
  } else if (judged.length === 0) {
    vm = full('no checkpoint keeps a bitmap on any disk');
  } else if (unknown.length) {
    const reason = `no image for ${list(unknown)}`;
    vm = { name, state: 'unknown', reason, line: `${name}: not known: ${reason}` };
  } else {
    const since = newestFirst(report.rows).find((r) =>
      judged.every(({ i }) => r.cells[i]?.verdict === 'ok'),
    );
    if (since) {
      vm = {
        name,
        state: 'incremental',
        since: since.checkpoint,
        line: `${name}: incremental since ${since.checkpoint}`,
      };
    } else {
      const none = judged.filter(({ d }) => d.state === 'full').map(({ d }) => d.disk);
      vm = full(
        none.length
          ? `${list(none)} ${none.length === 1 ? 'has' : 'have'} no valid bitmap`
          : `no checkpoint is valid on ${list(judged.map(({ d }) => d.disk))} at once`,
      );
    }
  }
  return {
    disks,
    vm,
    ready: vm.state === 'incremental',
    lines: [...disks.map((d) => d.line), vm.line],
  };
}
