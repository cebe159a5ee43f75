import type { BitmapCell, BitmapReport, BitmapRow, DiskReport } from './bitmap-verdicts.ts';
import type { ImageBitmap, ImageInfo, ImageLayer } from './image-info.ts';
import { append } from './append.ts';

/**
 * A bitmap report as the scripts read it, in a form that crosses to a worker cheaply. The
 * structured clone copies object by object: 200,000 stray bitmaps (each an object, each stray
 * another pointing at it, each with its problem) took the page 2-4 s to send. Here the bitmaps
 * and the strays are columns (arrays of names, typed arrays of flags and indexes), each image is
 * listed once and named by its index, and the problems are left out: no script reads them.
 */
export type ScriptReport = Omit<BitmapReport, 'problems'>;

const RECORDING = 1;
const PERSISTENT = 2;
const INCONSISTENT = 4;
const BUSY = 8;
const HAS_GRANULARITY = 16;
const HAS_COUNT = 32;

/** An image's bitmaps, a column per field; the names one text, as a clone copies it at once. */
interface BitmapColumns {
  names: string;
  nameLengths: Uint32Array;
  flags: Uint8Array;
  granularity: Float64Array;
  count: Float64Array;
  line: Float64Array;
}

type PackedLayer = Omit<ImageLayer, 'bitmaps'> & { bitmaps: BitmapColumns };

/** A bitmap by where it is: its image's index and its own index there. */
type BitmapAt = [image: number, index: number];

/** A chain verdict with its images as I and its bitmap as B: ChainVerdict's shape. */
type ChainOf<I, B> =
  | { verdict: 'ok'; layers: number }
  | { verdict: 'missing'; image: I; below?: I }
  | { verdict: 'gap'; image: I; above: I; below: I }
  | { verdict: 'in-use' | 'disabled' | 'not persistent'; image: I; bitmap: B };

type PackedChain = ChainOf<number, BitmapAt>;
type RowOf<C> = Omit<BitmapRow, 'cells'> & { cells: (Omit<BitmapCell, 'chain'> & { chain?: C })[] };
type PackedRow = RowOf<PackedChain>;

/** `c` with its images and bitmap mapped: to indexes, and back. */
function mapChain<I, B, J, C>(
  c: ChainOf<I, B>,
  image: (i: I) => J,
  bitmap: (b: B, image: I) => C,
): ChainOf<J, C> {
  switch (c.verdict) {
    case 'ok':
      return c;
    case 'missing':
      return {
        verdict: c.verdict,
        image: image(c.image),
        ...(c.below !== undefined ? { below: image(c.below) } : {}),
      };
    case 'gap':
      return {
        verdict: c.verdict,
        image: image(c.image),
        above: image(c.above),
        below: image(c.below),
      };
    default:
      return { verdict: c.verdict, image: image(c.image), bitmap: bitmap(c.bitmap, c.image) };
  }
}

function mapRow<C, D>(r: RowOf<C>, chain: (c: C) => D): RowOf<D> {
  return {
    ...r,
    cells: r.cells.map(({ chain: c, ...cell }) => (c ? { ...cell, chain: chain(c) } : cell)),
  };
}
type PackedDisk = Omit<DiskReport, 'layers' | 'candidates' | 'above'> & {
  layers: number[];
  candidates?: number[];
  above?: number;
};

export interface PackedScriptReport {
  images: PackedLayer[];
  /** Bitmaps not found in their image's list (none that bitmapVerdicts makes): as they are. */
  loose: ImageBitmap[];
  vm?: string;
  running: boolean;
  disks: PackedDisk[];
  rows: PackedRow[];
  notDefined: PackedRow[];
  redefine: string[];
  orphans: {
    /** The strays' disks: each an index into `disks`, the names of the disks they are on. */
    disks: string[];
    disk: Uint32Array;
    image: Uint32Array;
    /** The bitmap's image (-1: in `loose`) and index there. */
    bitmapImage: Int32Array;
    bitmapIndex: Uint32Array;
    /** The strays whose `unproven` is set, by index. */
    unproven: [number, string][];
  };
}

function packBitmaps(bitmaps: readonly ImageBitmap[]): BitmapColumns {
  const n = bitmaps.length;
  const names = new Array<string>(n);
  const columns: Omit<BitmapColumns, 'names'> = {
    nameLengths: new Uint32Array(n),
    flags: new Uint8Array(n),
    granularity: new Float64Array(n),
    count: new Float64Array(n),
    line: new Float64Array(n),
  };
  bitmaps.forEach((b, i) => {
    names[i] = b.name;
    columns.nameLengths[i] = b.name.length;
    columns.flags[i] =
      (b.recording ? RECORDING : 0) |
      (b.persistent ? PERSISTENT : 0) |
      (b.inconsistent ? INCONSISTENT : 0) |
      (b.busy ? BUSY : 0) |
      (b.granularity !== undefined ? HAS_GRANULARITY : 0) |
      (b.count !== undefined ? HAS_COUNT : 0);
    columns.granularity[i] = b.granularity ?? 0;
    columns.count[i] = b.count ?? 0;
    columns.line[i] = b.line;
  });
  return { ...columns, names: names.join('') };
}

/** The bitmaps from `start` to `end` (the whole list by default), each an object again. */
function unpackBitmaps(c: BitmapColumns, start = 0, end = c.nameLengths.length): ImageBitmap[] {
  let at = 0;
  for (let i = 0; i < start; i++) at += c.nameLengths[i] as number;
  const out = new Array<ImageBitmap>(Math.max(0, end - start));
  for (let i = start; i < end; i++) {
    const flags = c.flags[i] as number;
    const bitmap: ImageBitmap = {
      name: c.names.slice(at, (at += c.nameLengths[i] as number)),
      recording: (flags & RECORDING) !== 0,
      persistent: (flags & PERSISTENT) !== 0,
      inconsistent: (flags & INCONSISTENT) !== 0,
      busy: (flags & BUSY) !== 0,
      line: c.line[i] as number,
    };
    if (flags & HAS_GRANULARITY) bitmap.granularity = c.granularity[i] as number;
    if (flags & HAS_COUNT) bitmap.count = c.count[i] as number;
    out[i - start] = bitmap;
  }
  return out;
}

/**
 * A disk image's description as it crosses from a worker: its bitmaps as columns. 200,000 bitmaps
 * as objects took the page 100-200 ms to take in (the structured clone reads object by object).
 */
export interface PackedImageInfo {
  file: string;
  layers: PackedLayer[];
}

export function packImageInfo(info: ImageInfo): PackedImageInfo {
  return {
    file: info.file,
    layers: info.layers.map(({ bitmaps, ...rest }) => ({ ...rest, bitmaps: packBitmaps(bitmaps) })),
  };
}

/** `packImageInfo`'s description back as objects, at once. */
export function unpackedImageInfo(packed: PackedImageInfo): ImageInfo {
  return {
    file: packed.file,
    layers: packed.layers.map(({ bitmaps, ...rest }) => ({
      ...rest,
      bitmaps: unpackBitmaps(bitmaps),
    })),
  };
}

/**
 * `packImageInfo`'s description back as objects, at most `step` bitmaps at a time: `pause` is
 * awaited between steps (the page paints and takes input there).
 */
export async function unpackImageInfo(
  packed: PackedImageInfo,
  step: number,
  pause: () => Promise<void>,
): Promise<ImageInfo> {
  const layers: ImageLayer[] = [];
  let since = 0;
  for (const { bitmaps: columns, ...rest } of packed.layers) {
    const bitmaps: ImageBitmap[] = [];
    const n = columns.nameLengths.length;
    for (let start = 0; start < n;) {
      if (since === step) {
        await pause();
        since = 0;
      }
      const end = Math.min(n, start + step - since);
      append(bitmaps, unpackBitmaps(columns, start, end));
      since += end - start;
      start = end;
    }
    layers.push({ ...rest, bitmaps });
  }
  return { file: packed.file, layers };
}

/** The report in its packed form; `unpackScriptReport` gives it back, images shared as here. */
export function packScriptReport(report: ScriptReport): PackedScriptReport {
  const images: PackedLayer[] = [];
  const imageAt = new Map<ImageLayer, number>();
  const loose: ImageBitmap[] = [];
  /** Each image's layer, and where its bitmaps were last found: strays come in their order. */
  const known: { layer: ImageLayer; last: number; index?: Map<ImageBitmap, number> }[] = [];
  const image = (layer: ImageLayer): number => {
    let at = imageAt.get(layer);
    if (at === undefined) {
      at = images.length;
      imageAt.set(layer, at);
      const { bitmaps, ...rest } = layer;
      images.push({ ...rest, bitmaps: packBitmaps(bitmaps) });
      known.push({ layer, last: -1 });
    }
    return at;
  };
  /** Where a bitmap of `layer` is: the next after the last one asked for, else looked up. */
  const bitmap = (b: ImageBitmap, layer: ImageLayer): BitmapAt => {
    const at = image(layer);
    const k = known[at] as (typeof known)[number];
    const { bitmaps } = k.layer;
    let i = bitmaps[k.last + 1] === b ? k.last + 1 : -1;
    if (i < 0) {
      k.index ??= new Map(bitmaps.map((x, j) => [x, j]));
      i = k.index.get(b) ?? -1;
    }
    if (i < 0) return [-1, loose.push(b) - 1];
    k.last = i;
    return [at, i];
  };
  const row = (r: BitmapRow): PackedRow =>
    mapRow(r, (c) => mapChain(c, image, (b, layer) => bitmap(b, layer)));
  const disks = report.disks.map(({ layers, candidates, above, ...d }): PackedDisk => ({
    ...d,
    layers: layers.map(image),
    ...(candidates ? { candidates: candidates.map(image) } : {}),
    ...(above ? { above: image(above) } : {}),
  }));
  const n = report.orphans.length;
  const diskAt = new Map<string, number>();
  const orphans: PackedScriptReport['orphans'] = {
    disks: [],
    disk: new Uint32Array(n),
    image: new Uint32Array(n),
    bitmapImage: new Int32Array(n),
    bitmapIndex: new Uint32Array(n),
    unproven: [],
  };
  report.orphans.forEach((o, i) => {
    let d = diskAt.get(o.disk);
    if (d === undefined) diskAt.set(o.disk, (d = orphans.disks.push(o.disk) - 1));
    orphans.disk[i] = d;
    orphans.image[i] = image(o.image);
    const [at, index] = bitmap(o.bitmap, o.image);
    orphans.bitmapImage[i] = at;
    orphans.bitmapIndex[i] = index;
    if (o.unproven !== undefined) orphans.unproven.push([i, o.unproven]);
  });
  return {
    images,
    loose,
    ...(report.vm !== undefined ? { vm: report.vm } : {}),
    running: report.running,
    disks,
    rows: report.rows.map(row),
    notDefined: report.notDefined.map(row),
    redefine: report.redefine,
    orphans,
  };
}

/** The report `packScriptReport` packed: the same fields, each image one object again. */
export function unpackScriptReport(packed: PackedScriptReport): ScriptReport {
  const images: ImageLayer[] = packed.images.map(({ bitmaps, ...rest }) => ({
    ...rest,
    bitmaps: unpackBitmaps(bitmaps),
  }));
  const image = (at: number) => images[at] as ImageLayer;
  const bitmap = ([at, index]: BitmapAt): ImageBitmap =>
    (at < 0 ? packed.loose[index] : image(at).bitmaps[index]) as ImageBitmap;
  const row = (r: PackedRow): BitmapRow => mapRow(r, (c) => mapChain(c, image, (b) => bitmap(b)));
  const { orphans } = packed;
  const unproven = new Map(orphans.unproven);
  return {
    ...(packed.vm !== undefined ? { vm: packed.vm } : {}),
    running: packed.running,
    disks: packed.disks.map(({ layers, candidates, above, ...d }) => ({
      ...d,
      layers: layers.map(image),
      ...(candidates ? { candidates: candidates.map(image) } : {}),
      ...(above !== undefined ? { above: image(above) } : {}),
    })),
    rows: packed.rows.map(row),
    notDefined: packed.notDefined.map(row),
    redefine: packed.redefine,
    orphans: Array.from(orphans.disk, (d, i) => {
      const why = unproven.get(i);
      return {
        disk: orphans.disks[d] as string,
        image: image(orphans.image[i] as number),
        bitmap: bitmap([orphans.bitmapImage[i] as number, orphans.bitmapIndex[i] as number]),
        ...(why !== undefined ? { unproven: why } : {}),
      };
    }),
  };
}
