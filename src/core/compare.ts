import type { Checkpoint, CheckpointDisk } from './checkpoint.ts';
import { compareDomains } from './compare-domain.ts';
import { describeGap, utcTime } from './creation-time.ts';
import type { Difference } from './difference.ts';
import { difference } from './difference.ts';
import { append } from './append.ts';

/** What tells two checkpoints apart. */
export interface Comparison {
  /** Empty when libvirt would hold the two as the same checkpoint. */
  differences: Difference[];
  /** The second's creation time minus the first's, in seconds (decimal text), when both have one. */
  gap?: string;
  /**
   * Disks with a bitmap in the second and none in the first: an incremental backup of them since
   * the first is impossible.
   */
  newBitmaps: string[];
  /**
   * Disks with a bitmap in the first and none in the second: an incremental backup of them since
   * the second is impossible.
   */
  lostBitmaps: string[];
}

/** A creation time libvirt prints (it prints none for 0), or what the file wrote when unreadable. */
function creationOf(cp: Checkpoint): string | undefined {
  if (cp.creationTime !== undefined) return cp.creationTime === '0' ? undefined : cp.creationTime;
  return cp.creationTimeAsWritten;
}

function timeWithDate(seconds: string | undefined): string | undefined {
  if (seconds === undefined || !/^\d+$/.test(seconds)) return seconds;
  const date = utcTime(seconds);
  return date ? `${seconds} (${date})` : seconds;
}

/** The bitmap a checkpoint keeps on a disk: its own name when the file names none, as libvirt fills it in. */
function bitmapOf(disk: CheckpointDisk, checkpointName: string | undefined): string | undefined {
  if (disk.checkpointAsWritten !== undefined || disk.checkpoint !== 'bitmap') return undefined;
  return disk.bitmap ?? checkpointName;
}

function describeCheckpointDisk(disk: CheckpointDisk, name: string | undefined): string {
  if (disk.checkpointAsWritten !== undefined) return `checkpoint='${disk.checkpointAsWritten}'`;
  if (disk.checkpoint === 'no') return 'no';
  const bitmap = bitmapOf(disk, name);
  return bitmap === undefined ? 'bitmap' : `bitmap ${bitmap}`;
}

/** Disks with a bitmap in `a` and none in `b`: an incremental backup of them since `b` is impossible. */
function bitmapsOnlyIn(a: Checkpoint, b: Checkpoint): string[] {
  const inB = new Map((b.disks ?? []).map((d) => [d.name, d]));
  return (a.disks ?? [])
    .filter((x) => {
      const y = inB.get(x.name);
      return bitmapOf(x, a.name) !== undefined && (!y || bitmapOf(y, b.name) === undefined);
    })
    .map((x) => x.name);
}

function checkpointDisks(a: Checkpoint, b: Checkpoint, out: Difference[]): void {
  const before = new Map((a.disks ?? []).map((d) => [d.name, d]));
  const after = new Map((b.disks ?? []).map((d) => [d.name, d]));
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(name);
    const y = after.get(name);
    const field = `disk ${name}`;
    if (!x || !y) {
      const value = (d: CheckpointDisk | undefined, cp: Checkpoint) =>
        d && describeCheckpointDisk(d, cp.name);
      out.push(difference('checkpoint', field, value(x, a), value(y, b)));
      continue;
    }
    const checkpointX = x.checkpointAsWritten ?? x.checkpoint;
    const checkpointY = y.checkpointAsWritten ?? y.checkpoint;
    if (checkpointX !== checkpointY) {
      out.push(difference('checkpoint', field, checkpointX, checkpointY, undefined, 'checkpoint'));
      continue;
    }
    const bx = bitmapOf(x, a.name);
    const by = bitmapOf(y, b.name);
    // Each bitmap named after its own checkpoint is libvirt's default, not a difference.
    const ownNames = bx === a.name && by === b.name;
    if (bx !== by && !ownNames) {
      out.push(difference('checkpoint', field, bx, by, undefined, 'bitmap'));
    }
  }
}

/**
 * How two checkpoints differ, as libvirt reads them: name, description, parent, creation time
 * (and the gap between them), their disks' checkpoint and bitmap, and the <domain> each carries
 * (see compareDomains). Layout, comments, quotes and attribute order do not count, nor a bitmap
 * named after its own checkpoint on each side, nor a console password (libvirt does not print it
 * without --security-info).
 */
export function compareCheckpoints(a: Checkpoint, b: Checkpoint): Comparison {
  const out: Difference[] = [];
  for (const field of ['name', 'description', 'parent'] as const) {
    if (a[field] !== b[field]) out.push(difference('checkpoint', field, a[field], b[field]));
  }
  const ta = creationOf(a);
  const tb = creationOf(b);
  let gap: string | undefined;
  if (ta !== tb) {
    const readable = a.creationTime !== undefined && b.creationTime !== undefined;
    if (readable && ta !== undefined && tb !== undefined)
      gap = (BigInt(tb) - BigInt(ta)).toString();
    out.push(
      difference(
        'checkpoint',
        'creationTime',
        timeWithDate(ta),
        timeWithDate(tb),
        gap !== undefined ? `creationTime ${describeGap(gap)}` : undefined,
      ),
    );
  }
  checkpointDisks(a, b, out);
  if (a.domain && b.domain) {
    append(out, compareDomains(a.domain, b.domain));
  } else if (a.domain || b.domain) {
    out.push(
      difference(
        'domain',
        'domain',
        a.domain && '<domain>',
        b.domain && '<domain>',
        a.domain ? 'domain removed' : 'domain added',
      ),
    );
  }
  const comparison: Comparison = {
    differences: out,
    newBitmaps: bitmapsOnlyIn(b, a),
    lostBitmaps: bitmapsOnlyIn(a, b),
  };
  if (gap !== undefined) comparison.gap = gap;
  return comparison;
}
