import { alignDisks, assignBitmapNames } from './align-disks.ts';
import { checkpointsByAge } from './backup-vm.ts';
import type { ChainVerdict } from './bitmap-chain.ts';
import { bitmapChainVerdict } from './bitmap-chain.ts';
import type { CheckpointDisk } from './checkpoint.ts';
import { findDomainDisk } from './domain.ts';
import type { ForestEntry } from './forest.ts';
import type { ImageBitmap, ImageLayer } from './image-info.ts';
import { bitmapIncapacity } from './image-info.ts';
import type { DiskImage, ImageMatch } from './image-match.ts';
import { baseName } from './image-match.ts';
import type { Position, Problem, Severity } from './problem.ts';
import { problem } from './problem.ts';
import { append } from './append.ts';

/** What a cell of the Bitmaps table says of one checkpoint on one disk. */
export type BitmapVerdict =
  | 'ok'
  | 'missing'
  | 'gap'
  | 'disabled'
  | 'in-use'
  /** Only QMP shows a bitmap that is not persistent: qemu-img reads the ones a qcow2 stores. */
  | 'not persistent'
  | 'no image'
  | 'no'
  /**
   * The evidence cannot settle libvirt's rule: image data of a running VM read with `qemu-img info
   * -U`, or an image not proven to be the disk's top. The cell's `unproven` says why.
   */
  | 'unknown';

/** The kind of evidence a verdict rests on. */
export type Evidence = 'qemu-img' | 'qemu-img -U' | 'qmp';

/** Each kind of evidence in words, for the page and the CLI. */
export const EVIDENCE: Readonly<Record<Evidence, string>> = {
  'qemu-img': 'qemu-img info of the image of the shut-off VM',
  'qemu-img -U':
    'qemu-img info -U of the image of the running VM (its bitmaps as of the last shutdown)',
  qmp: 'QMP query-named-block-nodes of the running VM (live)',
};

export interface BitmapCell {
  checkpoint: string;
  disk: string;
  verdict: BitmapVerdict;
  /** The cell as text: the verdict, and for a gap the image without the bitmap. */
  text: string;
  /** The bitmap the checkpoint keeps on the disk. */
  bitmap?: string;
  /** What libvirt's rule found, and in which image. */
  chain?: ChainVerdict;
  /** Why it is not ok, worded to follow `full backup needed: `. */
  reason?: string;
  evidence?: Evidence;
  /**
   * Set (why, in words) when the evidence cannot prove this finding: `qemu-img info -U` data of a
   * running VM (bitmaps as of its last start), or an image not proven to be the disk's current top
   * (no VM definition loaded). NO repair or redefine step may be built from a finding that has it:
   * the scripts skip it, and the page and `check` say `unknown (WHY)`.
   */
  unproven?: string;
  /** Bytes written since the checkpoint, as QMP counts them in each layer that holds the bitmap. */
  changed?: number;
}

export interface BitmapRow {
  checkpoint: string;
  entry: ForestEntry;
  /** One per disk of the VM, in the VM's order. */
  cells: BitmapCell[];
}

/** A bitmap of an image that no loaded checkpoint keeps (libvirt's temporary bitmaps aside). */
export interface OrphanBitmap {
  disk: string;
  image: ImageLayer;
  bitmap: ImageBitmap;
  /** As on a cell: set when the evidence cannot prove the bitmap is a stray; NO repair step from it. */
  unproven?: string;
}

export interface DiskReport extends DiskImage {
  /** What the verdicts on this disk rest on; none without an image. */
  evidence?: Evidence;
}

/** The checkpoints reconciled with the bitmaps in the disk images. */
export interface BitmapReport {
  /** The VM's name, when known. */
  vm?: string;
  running: boolean;
  disks: DiskReport[];
  /** Oldest checkpoint first: the checkpoints libvirt knows (every loaded one, unless `defined` says). */
  rows: BitmapRow[];
  /**
   * Checkpoints at hand (a file) that libvirt's list lacks (`defined`), oldest first: libvirt
   * cannot start a backup from them, and their bitmaps are not strays. Those whose bitmaps are in
   * the images are to be redefined (`redefine`), not removed.
   */
  notDefined: BitmapRow[];
  /** Of `notDefined`, those whose bitmap is valid on some disk: redefine them, parents first. */
  redefine: string[];
  orphans: OrphanBitmap[];
  /** With file and line: a checkpoint's file, or the JSON file an image was read from. */
  problems: Problem[];
}

export interface BitmapVerdictOptions {
  /** The VM is running (images read with `qemu-img info -U`): `in-use` on its top images is expected. */
  running?: boolean;
  vm?: string;
  /**
   * The disks come from the VM's current definition (`domain.xml`, `--target-vm`, `check
   * --connect`), not from a checkpoint's `<domain>`: only then is an image with a newer layer above
   * it in the loaded outputs taken as a disk's top.
   */
  currentDefinition?: boolean;
  /**
   * The names in libvirt's list of the VM's checkpoints, when known (a collected bundle's
   * `checkpoints/`, `check --connect`); files from anywhere else are only at hand.
   */
  defined?: ReadonlySet<string>;
}

/**
 * What `qemu-img info -U` of a running VM's image can prove. QEMU opens the top image for writing:
 * it marks every bitmap it loads in-use in the file (so a bitmap a crash left inconsistent looks
 * the same as a sound one), keeps bitmaps made since start (a new checkpoint, the copies made for
 * an external snapshot) in memory until it closes the image, and removes or merges bitmaps as
 * checkpoints are deleted. So the file says what the top image held at the VM's last start, not
 * now: no verdict on it, and no stray bitmap in it, is proven. Only the read-only layers below
 * keep what the file says while the VM runs (a gap, a bitmap left in-use or disabled there), and
 * a top image that cannot hold bitmaps (raw, compat 0.10) cannot have gained one since.
 */
export const STALE = 'VM running: image data are from its last shutdown; collect with QMP';

/** An unproven verdict in words: `unknown (VM running: …)`, `unknown: load the VM's definition: …`. */
export function unknownReason(why: string): string {
  return why === STALE ? `unknown (${why})` : `unknown: ${why}`;
}

/** Why a disk's image is not taken as its top without the VM's current definition. */
const notProvenTop = (d: DiskImage, top: ImageLayer, above: ImageLayer) =>
  `load the VM's definition: ${shown(above)} lies above ${shown(top)} in the loaded images, so ${shown(top)} may not be ${d.disk.target}'s top image`;

/** Bitmaps libvirt makes for itself and removes again: never a checkpoint's. */
function isLibvirtTemporary(bitmap: ImageBitmap): boolean {
  if (bitmap.name.startsWith('libvirt-tmp-')) return true;
  // A backup job's bitmap (qemuBackupDiskPrepareDataOne names it backup-<disk>) lives in QEMU only.
  return !bitmap.persistent && bitmap.name.startsWith('backup-');
}

const at = (layer: ImageLayer, line = layer.line) => ({ file: layer.file, line });
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
  const orphans = orphanBitmaps(disks, kept);
  for (const o of orphans) {
    const onTop = o.image === disks.find((d) => d.disk.target === o.disk)?.layers[0];
    const unproven = unprovenDisk[disks.findIndex((d) => d.disk.target === o.disk)];
    if (unproven !== undefined) {
      o.unproven = unproven;
      continue;
    }
    problems.push({
      ...problem(
        'bitmap-without-checkpoint',
        `bitmap ${o.bitmap.name} in ${o.image.filename} (disk ${o.disk}) is kept by no loaded checkpoint (bitmap without checkpoint): a checkpoint of that name cannot be made ('Bitmap already exists')${o.bitmap.recording && onTop ? ', and QEMU updates it on every write' : ''}`,
        undefined,
        'warning',
      ),
      ...at(o.image, o.bitmap.line),
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

/** Checkpoints at hand whose bitmaps are in the images but that libvirt does not know. */
function redefineProblems(rows: readonly BitmapRow[], vm: string | undefined): Problem[] {
  return rows.map((row) => {
    const cp = row.entry.checkpoint;
    const on = row.cells.filter((c) => c.verdict === 'ok').map((c) => c.disk);
    return {
      ...problem(
        'checkpoint-not-defined',
        `checkpoint ${row.checkpoint} is not in libvirt's list of ${vm ?? 'the VM'}'s checkpoints, but its bitmap is in the images of ${on.join(', ')}: redefine it (the redefine script, virsh checkpoint-create --redefine) rather than removing its bitmaps`,
        cp.positions.root,
        'warning',
      ),
      file: row.entry.file,
    };
  });
}

function cellProblems(
  entry: ForestEntry,
  disk: CheckpointDisk,
  cell: BitmapCell,
  chain: ChainVerdict,
  running: boolean,
): Problem[] {
  const cp = entry.checkpoint;
  const { checkpoint: name, disk: target, bitmap } = cell;
  const inFile = (code: string, message: string, position?: Position): Problem => ({
    ...problem(code, message, position ?? cp.disksPosition ?? cp.positions.root),
    file: entry.file,
  });
  const inImage = (code: string, message: string, layer: ImageLayer, line?: number): Problem => ({
    ...problem(code, message),
    ...at(layer, line),
  });
  switch (chain.verdict) {
    case 'ok':
      return [];
    case 'missing':
      if (chain.below) {
        return [
          inImage(
            'bitmap-not-in-top',
            `bitmap ${bitmap} of checkpoint ${name} is missing from ${target}'s top image ${chain.image.filename}, though ${chain.below.filename} below has it: libvirt's bitmap chain starts at the top image`,
            chain.image,
          ),
        ];
      }
      // An image that cannot hold bitmaps is said once, of the disk (diskProblems).
      if (bitmapIncapacity(chain.image)) return [];
      return [
        inFile(
          'bitmap-metadata-only',
          `checkpoint ${name} keeps bitmap ${bitmap} on disk ${target}, but no image of ${target} holds it (metadata without bitmap): libvirt refuses an incremental backup from ${name}, and deleting the checkpoint needs --metadata`,
          disk.position,
        ),
      ];
    case 'gap':
      return [
        inImage(
          'bitmap-gap',
          `bitmap ${bitmap} of checkpoint ${name} has a gap on ${target}: it is missing from ${chain.image.filename}, between ${chain.above.filename} and ${chain.below.filename}`,
          chain.image,
        ),
      ];
    case 'in-use': {
      const layer = chain.image;
      const message =
        layer.source === 'qmp'
          ? `bitmap ${bitmap} is inconsistent in the running VM's ${layer.filename}: QEMU found it in-use when it opened the image`
          : running
            ? `bitmap ${bitmap} is in-use in ${layer.filename}, a backing image the running VM opens read-only: it was left inconsistent before`
            : `bitmap ${bitmap} is in-use in ${layer.filename} while the VM is shut off: QEMU did not close the image (a crash or a kill), so libvirt takes it as inconsistent`;
      return [inImage('bitmap-in-use', message, layer, chain.bitmap.line)];
    }
    case 'disabled':
      return [
        inImage(
          'bitmap-disabled',
          `bitmap ${bitmap} is disabled in ${chain.image.filename}: it has not recorded writes since, so libvirt refuses it`,
          chain.image,
          chain.bitmap.line,
        ),
      ];
    case 'not persistent':
      return [
        inImage(
          'bitmap-not-persistent',
          `bitmap ${bitmap} is not persistent in ${chain.image.filename}: QEMU drops it when the VM stops, so libvirt refuses it`,
          chain.image,
          chain.bitmap.line,
        ),
      ];
  }
}

function diskProblems(
  disks: DiskReport[],
  rows: BitmapRow[],
  match: ImageMatch,
  unproven: readonly (string | undefined)[],
): Problem[] {
  const problems: Problem[] = [];
  const inImage = (
    code: string,
    message: string,
    layer: ImageLayer,
    severity: Severity = 'error',
  ): Problem => ({ ...problem(code, message, undefined, severity), ...at(layer) });
  disks.forEach((d, i) => {
    const target = d.disk.target;
    const expected = rows.some((r) => r.cells[i]?.verdict !== 'no');
    const top = d.layers[0];
    const why = unproven[i];
    if (top && why !== undefined) {
      problems.push(
        inImage(
          why === STALE ? 'image-data-stale' : 'image-not-top',
          why === STALE
            ? `disk ${target}: ${top.filename} was read with qemu-img info -U while the VM runs: its bitmaps are as of the last shutdown (a checkpoint made since start is not in the file yet, and every bitmap QEMU holds shows in-use), so what libvirt finds there now is unknown: collect with QMP`
            : `disk ${target}: ${why}`,
          top,
          'warning',
        ),
      );
    }
    const [first] = d.candidates ?? [];
    if (d.candidates && first) {
      problems.push(
        inImage(
          'image-ambiguous',
          `disk ${target}: ${d.candidates.length} images have the base name of its source (${d.candidates.map((c) => c.filename).join(', ')}): none is taken, choose one`,
          first,
          'warning',
        ),
      );
    }
    if (top) {
      const cannot = bitmapIncapacity(top);
      if (cannot && !top.corrupt) {
        problems.push(
          inImage(
            'image-without-bitmaps',
            `disk ${target}: image ${top.filename} ${cannot}: it cannot hold bitmaps, so every backup of ${target} is full`,
            top,
            expected ? 'error' : 'warning',
          ),
        );
      }
    }
    for (const layer of d.layers) {
      if (!layer.corrupt) continue;
      problems.push(
        inImage(
          'image-corrupt',
          `disk ${target}: image ${layer.filename} is marked corrupt: QEMU opens it read-only at most, and its bitmaps cannot be trusted; qemu-img check -r all repairs it (VM shut off)`,
          layer,
        ),
      );
    }
    const last = d.layers[d.layers.length - 1];
    if (last && d.backingNotLoaded !== undefined) {
      problems.push(
        inImage(
          'backing-not-loaded',
          `disk ${target}: the backing file ${d.backingNotLoaded} of ${last.filename} is in no loaded output, so bitmaps below it are not judged (run qemu-img info with --backing-chain)`,
          last,
          'warning',
        ),
      );
    }
  });
  for (const layer of match.unmatched) {
    problems.push(
      inImage(
        'image-unmatched',
        `image ${layer.filename} matches no disk of the VM, by path or by base name`,
        layer,
        'warning',
      ),
    );
  }
  return problems;
}

/** Bitmaps in a disk's images that no checkpoint keeps on that disk; an image shared by disks counts once. */
function orphanBitmaps(disks: DiskReport[], kept: Map<string, Set<string>>): OrphanBitmap[] {
  const keptIn = new Map<ImageLayer, Set<string>>();
  for (const d of disks) {
    for (const layer of d.layers) {
      const names = keptIn.get(layer) ?? new Set<string>();
      for (const n of kept.get(d.disk.target) ?? []) names.add(n);
      keptIn.set(layer, names);
    }
  }
  const orphans: OrphanBitmap[] = [];
  const seen = new Set<ImageLayer>();
  for (const d of disks) {
    for (const layer of d.layers) {
      if (seen.has(layer)) continue;
      seen.add(layer);
      for (const bitmap of layer.bitmaps) {
        if (isLibvirtTemporary(bitmap) || keptIn.get(layer)?.has(bitmap.name)) continue;
        orphans.push({ disk: d.disk.target, image: layer, bitmap });
      }
    }
  }
  return orphans;
}
