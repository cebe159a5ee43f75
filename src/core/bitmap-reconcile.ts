import { alignDisks, assignBitmapNames } from './align-disks.ts';
import { checkpointsByAge } from './backup-vm.ts';
import type { ChainVerdict } from './bitmap-chain.ts';
import { bitmapChainVerdict } from './bitmap-chain.ts';
import { cellProblems, diskProblems, redefineProblems } from './bitmap-problems.ts';
import type {
  BitmapCell,
  BitmapReport,
  BitmapRow,
  BitmapVerdictOptions,
  DiskReport,
  Evidence,
} from './bitmap-verdicts.ts';
import { STALE, unknownReason } from './bitmap-verdicts.ts';
import type { CheckpointDisk } from './checkpoint.ts';
import { findDomainDisk } from './domain.ts';
import type { ForestEntry } from './forest-entry.ts';
import type { ImageLayer } from './image-info.ts';
import { bitmapIncapacity } from './image-info.ts';
import type { DiskImage, ImageMatch } from './image-match.ts';
import { baseName } from './image-match.ts';
import { orphanBitmapSteps } from './orphan-bitmaps.ts';
import type { Steps } from './steps.ts';
import { runSteps } from './steps.ts';
import type { Problem } from './problem.ts';
import { append } from './append.ts';

/** Why a disk's image is not taken as its top without the VM's current definition. */
const notProvenTop = (d: DiskImage, top: ImageLayer, above: ImageLayer) =>
  `load the VM's definition: ${shown(above)} lies above ${shown(top)} in the loaded images, so ${shown(top)} may not be ${d.disk.target}'s top image`;

const shown = (layer: ImageLayer) => baseName(layer.filename) || layer.filename;

/** The disks a checkpoint keeps, named by target, as libvirt aligns them to the VM's disks. */
function checkpointDisks(entry: ForestEntry, disks: readonly DiskImage[]): CheckpointDisk[] {
  const cp = entry.checkpoint;
  const aligned = alignDisks(
    cp,
    disks.map((d) => d.disk),
  );
  if (aligned.ok) return aligned.value;
  // Disks the VM no longer has: keep what the file says of the others.
  return assignBitmapNames(cp.disks ?? [], cp.name).map((d) => ({
    ...d,
    name:
      findDomainDisk(
        disks.map((x) => x.disk),
        d.name,
      )?.target ?? d.name,
  }));
}

function reasonOf(chain: ChainVerdict, bitmap: string): string | undefined {
  switch (chain.verdict) {
    case 'ok':
      return undefined;
    case 'missing': {
      const cannot = bitmapIncapacity(chain.image);
      if (cannot && !chain.below) return `${shown(chain.image)} ${cannot}: it cannot hold bitmaps`;
      return chain.below
        ? `bitmap ${bitmap} is missing from the top image ${shown(chain.image)} (it is in ${shown(chain.below)})`
        : `bitmap ${bitmap} is missing from ${shown(chain.image)}`;
    }
    case 'gap':
      return `bitmap ${bitmap} has a gap: missing from ${shown(chain.image)} between ${shown(chain.above)} and ${shown(chain.below)}`;
    case 'in-use':
      return `bitmap ${bitmap} is in-use (inconsistent) in ${shown(chain.image)}`;
    case 'disabled':
      return `bitmap ${bitmap} is disabled (not recording) in ${shown(chain.image)}`;
    case 'not persistent':
      return `bitmap ${bitmap} is not persistent in ${shown(chain.image)}`;
  }
}

/**
 * Every checkpoint × disk judged by libvirt's rule against the images matched to the disks, the
 * problems with their file and line, and the bitmaps no checkpoint keeps.
 */
export function bitmapVerdicts(
  entries: readonly ForestEntry[],
  match: ImageMatch,
  options: BitmapVerdictOptions = {},
): BitmapReport {
  return runSteps(bitmapVerdictSteps(entries, match, options, Infinity));
}

/**
 * `bitmapVerdicts`, pausing (a `yield`) after each `step` bitmaps of the images: 200,000 strays
 * held a page 100-300 ms in one task, more with a busy machine.
 */
export function* bitmapVerdictSteps(
  entries: readonly ForestEntry[],
  match: ImageMatch,
  options: BitmapVerdictOptions,
  step: number,
): Steps<BitmapReport> {
  const running = options.running ?? false;
  const problems: Problem[] = [...match.problems];
  const disks: DiskReport[] = match.disks.map((d) => {
    const top = d.layers[0];
    if (!top) return { ...d };
    const evidence: Evidence = top.source === 'qmp' ? 'qmp' : running ? 'qemu-img -U' : 'qemu-img';
    return { ...d, evidence };
  });
  /** Per disk, why nothing on its top image is proven, if so. */
  const unprovenDisk = disks.map((d) => {
    const top = d.layers[0];
    if (!top) return undefined;
    if (d.above && !options.currentDefinition) return notProvenTop(d, top, d.above);
    if (d.evidence === 'qemu-img -U') return STALE;
    return undefined;
  });
  const byAge = checkpointsByAge(entries);
  const kept = new Map<string, Set<string>>(disks.map((d) => [d.disk.target, new Set()]));

  const rowOf = (entry: ForestEntry, known: boolean): BitmapRow => {
    const cp = entry.checkpoint;
    const name = cp.name ?? entry.file;
    const cpDisks = checkpointDisks(entry, disks);
    const cells = disks.map((d, i): BitmapCell => {
      const target = d.disk.target;
      const cd = cpDisks.find((x) => x.name === target);
      // libvirt's alignment gives a disk the file leaves out `no`: the file says whether it was there.
      const listed = (cp.disks ?? []).some((x) => findDomainDisk([d.disk], x.name));
      if (!cd || (cp.disks?.length && !listed)) {
        // Not `no`: the checkpoint predates the disk (or the disk left and came back).
        return {
          checkpoint: name,
          disk: target,
          verdict: 'no',
          text: 'absent',
          reason: `checkpoint ${name} does not have disk ${target} (absent: the checkpoint predates it)`,
        };
      }
      if (cd.checkpoint === 'no') {
        return {
          checkpoint: name,
          disk: target,
          verdict: 'no',
          text: 'no',
          reason: `checkpoint ${name} keeps no bitmap on ${target} (checkpoint='no')`,
        };
      }
      const bitmap = cd.bitmap ?? name;
      kept.get(target)?.add(bitmap);
      if (!d.evidence) {
        return { checkpoint: name, disk: target, verdict: 'no image', text: 'no image', bitmap };
      }
      const chain = bitmapChainVerdict(d.layers, bitmap, { running });
      const unproven = unprovenVerdict(d, chain, unprovenDisk[i]);
      if (unproven !== undefined) {
        return {
          checkpoint: name,
          disk: target,
          verdict: 'unknown',
          text: 'unknown',
          bitmap,
          chain,
          evidence: d.evidence,
          reason: unknownReason(unproven),
          unproven,
        };
      }
      const cell: BitmapCell = {
        checkpoint: name,
        disk: target,
        verdict: chain.verdict,
        text: chain.verdict === 'gap' ? `gap (${shown(chain.image)})` : chain.verdict,
        bitmap,
        chain,
        evidence: d.evidence,
      };
      const reason = reasonOf(chain, bitmap);
      if (reason !== undefined) cell.reason = reason;
      const changed = changedBytes(d.layers, bitmap);
      if (chain.verdict === 'ok' && changed !== undefined) cell.changed = changed;
      // Of a checkpoint libvirt does not know, the faults are not libvirt's: said once, below.
      if (known) append(problems, cellProblems(entry, cd, cell, chain, running));
      return cell;
    });
    return { checkpoint: name, entry, cells };
  };
  const defined = options.defined;
  const known = (e: ForestEntry) => !defined || defined.has(e.checkpoint.name ?? '');
  const rows = byAge.filter(known).map((e) => rowOf(e, true));
  const notDefined = byAge.filter((e) => !known(e)).map((e) => rowOf(e, false));
  const redefine = notDefined.filter((r) => r.cells.some((c) => c.verdict === 'ok'));
  if (redefine.length) append(problems, redefineProblems(redefine, options.vm));

  append(problems, diskProblems(disks, rows, match, unprovenDisk));
  const orphans = yield* orphanBitmapSteps(disks, kept, step);
  // Each disk's first in `disks`, looked up once: 200,000 strays were 200,000 searches.
  const diskOf = new Map<string, { top: ImageLayer | undefined; unproven: string | undefined }>();
  disks.forEach((d, i) => {
    if (!diskOf.has(d.disk.target))
      diskOf.set(d.disk.target, { top: d.layers[0], unproven: unprovenDisk[i] });
  });
  let since = 0;
  for (const o of orphans) {
    if (++since >= step) {
      since = 0;
      yield;
    }
    const d = diskOf.get(o.disk);
    if (d?.unproven !== undefined) {
      o.unproven = d.unproven;
      continue;
    }
    const onTop = o.image === d?.top;
    // problem() and at() as one object, in their order: one allocation per stray, not three.
    problems.push({
      code: 'bitmap-without-checkpoint',
      severity: 'warning',
      message: `bitmap ${o.bitmap.name} in ${o.image.filename} (disk ${o.disk}) is kept by no loaded checkpoint (bitmap without checkpoint): a checkpoint of that name cannot be made ('Bitmap already exists')${o.bitmap.recording && onTop ? ', and QEMU updates it on every write' : ''}`,
      file: o.image.file,
      line: o.bitmap.line,
    });
  }
  const report: BitmapReport = {
    running,
    disks,
    rows,
    notDefined,
    redefine: redefine.map((r) => r.checkpoint),
    orphans,
    problems,
  };
  if (options.vm !== undefined) report.vm = options.vm;
  return report;
}

/**
 * Why the evidence cannot prove this verdict, if it cannot: with the disk's top image unproven,
 * only a fault in a read-only layer below it (or a top image that cannot hold bitmaps) stands.
 */
function unprovenVerdict(
  d: DiskImage,
  chain: ChainVerdict,
  why: string | undefined,
): string | undefined {
  if (why === undefined) return undefined;
  const top = d.layers[0];
  // An image with a newer layer above it may not be the disk at all: nothing of it is proven.
  if (why !== STALE) return why;
  if (chain.verdict === 'ok') return why;
  if (chain.image !== top) return undefined;
  return chain.verdict === 'missing' && !chain.below && bitmapIncapacity(chain.image)
    ? undefined
    : why;
}

/** QMP's dirty bytes of the bitmap, summed over the layers that hold it; unknown without QMP. */
function changedBytes(layers: readonly ImageLayer[], bitmap: string): number | undefined {
  let sum: number | undefined;
  for (const layer of layers) {
    const b = layer.bitmaps.find((x) => x.name === bitmap);
    if (b?.count === undefined) continue;
    sum = (sum ?? 0) + b.count;
  }
  return sum;
}
