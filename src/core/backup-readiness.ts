import type { BitmapCell, BitmapRow } from './bitmap-verdicts.ts';
import type { ScriptReport } from './report-transfer.ts';
import { STALE, unknownReason } from './bitmap-verdicts.ts';
import { bitmapIncapacity } from './image-info.ts';
import { baseName } from './image-match.ts';

/**
 * What a disk's next backup can be: incremental from a checkpoint, full, never incremental (no
 * checkpoint keeps a bitmap on it), not known (its image is not loaded), or unknown (the evidence
 * cannot prove it: image data of a running VM read with -U, an image not proven to be the top).
 */
export type DiskReadinessState = 'incremental' | 'full' | 'no bitmaps' | 'no image' | 'unknown';

export interface DiskReadiness {
  disk: string;
  state: DiskReadinessState;
  /** The newest checkpoint whose bitmap chain is valid on the disk. */
  since?: string;
  /** Bytes written since `since`, when QMP counts them: what the incremental copies, about. */
  changed?: number;
  reason?: string;
  /** `vda: incremental since bk.4`, `vdb: full backup needed: …`. */
  line: string;
}

export interface VmReadiness {
  name: string;
  /**
   * `incremental`: one backup job can be incremental on every disk checkpoints keep, from one
   * checkpoint (`since`) or each disk from its own (`perDisk`); `redefine`: libvirt knows none of
   * the checkpoints whose bitmaps are in the images.
   */
  state: 'incremental' | 'full' | 'unknown' | 'redefine';
  /** The newest checkpoint from which every disk that checkpoints keep can take an incremental backup. */
  since?: string;
  /** No checkpoint is valid on every disk, but each disk has its own: one backup job, per disk. */
  perDisk?: { disk: string; since: string }[];
  reason?: string;
  line: string;
}

export interface BackupReadiness {
  disks: DiskReadiness[];
  vm: VmReadiness;
  /** Every disk a checkpoint keeps can take an incremental backup in one backup job. */
  ready: boolean;
  /** The disks' lines, then the VM's: what the Backup readiness region and `check` print. */
  lines: string[];
}

const newestFirst = (rows: readonly BitmapRow[]) => [...rows].reverse();

/** Bytes as `1.2 GiB`, `512 KiB`, `0 B`: the size an operator plans a backup window by. */
export function aboutBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 || value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${shown} ${units[unit]}`;
}

const changedText = (bytes: number | undefined) =>
  bytes === undefined ? '' : ` (≈ ${aboutBytes(bytes)} changed)`;

const FULL_THEN_INCREMENTAL = 'a full backup with a new checkpoint makes the next one incremental';

function diskReadiness(report: ScriptReport, i: number): DiskReadiness {
  const d = report.disks[i];
  const disk = d?.disk.target ?? '';
  const cells = newestFirst(report.rows).map((r) => r.cells[i] as BitmapCell);
  const top = d?.layers[0];
  if (report.rows.length === 0) {
    const redefined = newestFirst(report.notDefined).find((r) => r.cells[i]?.verdict === 'ok');
    if (redefined) {
      return {
        disk,
        state: 'full',
        reason: `libvirt knows no checkpoint`,
        line: `${disk}: once the checkpoints are redefined, incremental since ${redefined.checkpoint}`,
      };
    }
    return {
      disk,
      state: 'full',
      reason: 'no checkpoint yet',
      line: `${disk}: no checkpoint yet: ${FULL_THEN_INCREMENTAL}`,
    };
  }
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
  // Newest first: the first cell that is ok, or that the evidence cannot settle, decides.
  const first = cells.find((c) => c.verdict === 'ok' || c.verdict === 'unknown');
  if (first?.verdict === 'unknown') {
    const reason = unknownReason(first.unproven ?? STALE);
    return { disk, state: 'unknown', reason, line: `${disk}: ${reason}` };
  }
  if (first) {
    const ready: DiskReadiness = {
      disk,
      state: 'incremental',
      since: first.checkpoint,
      line: `${disk}: incremental since ${first.checkpoint}${changedText(first.changed)}`,
    };
    if (first.changed !== undefined) ready.changed = first.changed;
    return ready;
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
 * is needed; and for the VM, the newest checkpoint valid on every disk that checkpoints keep, or
 * else one backup job with each disk from its own checkpoint (libvirt 9.0 takes `incremental=` per
 * disk in `<domainbackup>`).
 */
export function backupReadiness(report: ScriptReport): BackupReadiness {
  const disks = report.disks.map((_, i) => diskReadiness(report, i));
  const name = report.vm ?? 'VM';
  const judged = disks.map((d, i) => ({ d, i })).filter(({ d }) => d.state !== 'no bitmaps');
  let vm: VmReadiness;
  const unknown = judged.filter(({ d }) => d.state === 'no image').map(({ d }) => d.disk);
  const unproven = judged.filter(({ d }) => d.state === 'unknown');
  const full = (reason: string): VmReadiness => ({
    name,
    state: 'full',
    reason,
    line: `${name}: full backup needed: ${reason}`,
  });
  if (report.rows.length === 0 && report.redefine.length) {
    const reason = `libvirt knows none of ${list(report.redefine)}, whose bitmaps are in the images`;
    vm = {
      name,
      state: 'redefine',
      reason,
      line: `${name}: redefine these checkpoints (the redefine script): ${reason}`,
    };
  } else if (report.rows.length === 0) {
    vm = full('no checkpoint loaded');
  } else if (judged.length === 0) {
    vm = full('no checkpoint keeps a bitmap on any disk');
  } else if (unknown.length) {
    const reason = `no image for ${list(unknown)}`;
    vm = { name, state: 'unknown', reason, line: `${name}: not known: ${reason}` };
  } else if (unproven.length) {
    const whys = [...new Set(unproven.map(({ d }) => d.reason as string))];
    const reason =
      whys.length === 1
        ? (whys[0] as string)
        : `unknown on ${list(unproven.map(({ d }) => d.disk))}`;
    vm = { name, state: 'unknown', reason, line: `${name}: ${reason}` };
  } else {
    const since = newestFirst(report.rows).find((r) =>
      judged.every(({ i }) => r.cells[i]?.verdict === 'ok'),
    );
    const none = judged.filter(({ d }) => d.state === 'full').map(({ d }) => d.disk);
    if (since) {
      vm = {
        name,
        state: 'incremental',
        since: since.checkpoint,
        line: `${name}: incremental since ${since.checkpoint}`,
      };
    } else if (none.length === 0) {
      const perDisk = judged.map(({ d }) => ({ disk: d.disk, since: d.since as string }));
      const parts = perDisk.map(
        (p, k) => `${p.disk}${k === 0 ? ' incremental' : ''} since ${p.since}`,
      );
      vm = {
        name,
        state: 'incremental',
        perDisk,
        line: `${name}: one backup job: ${parts.join(', ')}`,
      };
    } else {
      vm = full(`${list(none)} ${none.length === 1 ? 'has' : 'have'} no valid bitmap`);
    }
  }
  const lines = [...disks.map((d) => d.line), vm.line];
  if (report.rows.length > 0 && report.redefine.length) {
    lines.push(
      `${name}: redefine ${list(report.redefine)} (the redefine script): libvirt's list lacks them, their bitmaps are in the images`,
    );
  }
  return { disks, vm, ready: vm.state === 'incremental', lines };
}
