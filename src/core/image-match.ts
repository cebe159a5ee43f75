import type { DomainDisk } from './domain.ts';
import type { ImageInfo, ImageLayer } from './image-info.ts';
import type { Problem } from './problem.ts';
import { problem } from './problem.ts';

/** How a disk's image was found. */
export type ImageMatchKind = 'path' | 'base name' | 'chosen' | 'none';

/** A disk of the VM and the images under it, as far as the loaded outputs describe them. */
export interface DiskImage {
  disk: DomainDisk;
  match: ImageMatchKind;
  /** The disk's image and its backing chain, top first; empty when no image matches. */
  layers: ImageLayer[];
  /** Images that share the source's base name, when more than one does (then none is taken). */
  candidates?: ImageLayer[];
  /** The backing file the last layer names, which no loaded output describes. */
  backingNotLoaded?: string;
  /**
   * A loaded image whose backing file is the disk's image: a newer layer above it, so the image
   * is not provably the disk's top unless the VM's current definition names it.
   */
  above?: ImageLayer;
}

export interface ImageMatch {
  disks: DiskImage[];
  /** qemu-img's images that are in no disk's chain (QMP's other block nodes are not listed). */
  unmatched: ImageLayer[];
  /** The same image described twice, differently. */
  problems: Problem[];
}

/** The last part of a path, as a disk's source and qemu-img's file name are compared. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function sameImage(a: ImageLayer, b: ImageLayer): boolean {
  const shape = (l: ImageLayer) =>
    JSON.stringify([
      l.format,
      l.compat,
      l.corrupt,
      l.backing,
      l.bitmaps.map((b) => [b.name, b.recording, b.persistent, b.inconsistent, b.granularity]),
    ]);
  return a.source === b.source && shape(a) === shape(b);
}

/**
 * Matches each disk to its image: the image whose file name is the disk's `<source file=…>` (or
 * `dev=`), else the only image with the same base name; `chosen` (disk target → file name, or null
 * for none) overrides either. Then follows each image's backing file down the loaded images.
 */
export function matchImages(
  disks: readonly DomainDisk[],
  images: readonly ImageInfo[],
  chosen: Readonly<Record<string, string | null>> = {},
): ImageMatch {
  const problems: Problem[] = [];
  const byName = new Map<string, ImageLayer>();
  for (const layer of images.flatMap((i) => i.layers)) {
    const first = byName.get(layer.filename);
    if (!first) {
      byName.set(layer.filename, layer);
      continue;
    }
    if (sameImage(first, layer)) continue;
    // The running QEMU's view is newer than any file read: it wins over qemu-img's.
    const used = first.source === 'qemu-img' && layer.source === 'qmp' ? layer : first;
    if (used === layer) byName.set(layer.filename, layer);
    problems.push({
      ...problem(
        'image-twice',
        `image ${layer.filename} is described again, differently (first at ${first.file}:${first.line}); the ${used === layer ? 'live view of QMP' : 'first'} is used`,
        undefined,
        'warning',
      ),
      file: layer.file,
      line: layer.line,
    });
  }
  const byBaseName = new Map<string, string[]>();
  for (const name of byName.keys()) {
    const base = baseName(name);
    byBaseName.set(base, [...(byBaseName.get(base) ?? []), name]);
  }

  const below = (layer: ImageLayer): ImageLayer | undefined => {
    if (layer.backing === undefined) return undefined;
    const exact = byName.get(layer.backing);
    if (exact) return exact;
    const same = byBaseName.get(baseName(layer.backing)) ?? [];
    return same.length === 1 ? byName.get(same[0] as string) : undefined;
  };

  const aboveOf = new Map<ImageLayer, ImageLayer>();
  for (const layer of byName.values()) {
    const under = below(layer);
    if (under && under !== layer && !aboveOf.has(under)) aboveOf.set(under, layer);
  }

  const inChains = new Set<ImageLayer>();
  const result = disks.map((disk): DiskImage => {
    let top: ImageLayer | undefined;
    let match: ImageMatchKind = 'none';
    let candidates: ImageLayer[] | undefined;
    const choice = chosen[disk.target];
    if (choice !== undefined) {
      top = choice === null ? undefined : byName.get(choice);
      match = top ? 'chosen' : 'none';
    } else if (disk.source !== undefined) {
      top = byName.get(disk.source);
      if (top) match = 'path';
      else {
        const same = byBaseName.get(baseName(disk.source)) ?? [];
        if (same.length === 1) {
          top = byName.get(same[0] as string);
          match = 'base name';
        } else if (same.length > 1) candidates = same.map((n) => byName.get(n) as ImageLayer);
      }
    }
    const layers: ImageLayer[] = [];
    for (let layer = top; layer && !layers.includes(layer); layer = below(layer)) {
      layers.push(layer);
      inChains.add(layer);
    }
    const image: DiskImage = { disk, match, layers };
    if (candidates) image.candidates = candidates;
    const above = top && aboveOf.get(top);
    if (above) image.above = above;
    const last = layers[layers.length - 1];
    if (last?.backing !== undefined && !below(last)) image.backingNotLoaded = last.backing;
    return image;
  });
  const isBacking = new Set(
    [...byName.values()].map((l) => (l.backing === undefined ? undefined : below(l))),
  );
  const unmatched = [...byName.values()].filter(
    (l) => l.source === 'qemu-img' && !inChains.has(l) && !isBacking.has(l),
  );
  return { disks: result, unmatched, problems };
}
