import type { ImageBitmap, ImageLayer } from './image-info.ts';

/** What libvirt's rule says of one bitmap on one disk's backing chain, and where. */
export type ChainVerdict =
  | { verdict: 'ok'; layers: number }
  /** Not in the top image; `below` is a lower image that has it, if any does. */
  | { verdict: 'missing'; image: ImageLayer; below?: ImageLayer }
  /** Missing from `image` though `above` and `below` have it. */
  | { verdict: 'gap'; image: ImageLayer; above: ImageLayer; below: ImageLayer }
  | {
      verdict: 'in-use' | 'disabled' | 'not persistent';
      image: ImageLayer;
      bitmap: ImageBitmap;
    };

export interface ChainOptions {
  /**
   * The VM is running and its images were read with `qemu-img info -U`: QEMU has the top image
   * open for writing, so every bitmap there shows `in-use`, as expected. Backing images are opened
   * read-only and keep their flags, and QMP reports what QEMU itself holds.
   */
  running?: boolean;
}

/** A bitmap of the image as QEMU would find it there: none in an image that cannot hold one. */
function bitmapIn(layer: ImageLayer, name: string, top: boolean): ImageBitmap | undefined {
  if (layer.format !== 'qcow2' || layer.compat === '0.10') return undefined;
  // QEMU opens a corrupt qcow2 read-only at most: as the top image of a VM it holds nothing usable.
  if (top && layer.corrupt) return undefined;
  return layer.bitmaps.find((b) => b.name === name);
}

/**
 * libvirt 9.0's qemuBlockBitmapChainIsValid (src/qemu/qemu_block.c), which a backup start
 * (qemuBackupDiskPrepareOneBitmaps) and `checkpoint-create --redefine-validate`
 * (qemuCheckpointRedefineValidateBitmaps) ask: walking the chain from the top image down, the
 * bitmap must (1) be in the top image, (2) be in consecutive layers, none reappearing below a layer
 * without it, and (3) in every layer that has it be recording, persistent and not inconsistent.
 * The first broken rule in that walk is the verdict, as libvirt returns at the first one.
 */
export function bitmapChainVerdict(
  layers: readonly ImageLayer[],
  name: string,
  options: ChainOptions = {},
): ChainVerdict {
  let found: ImageLayer | undefined;
  let hole: ImageLayer | undefined;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i] as ImageLayer;
    const bitmap = bitmapIn(layer, name, i === 0);
    if (!bitmap) {
      if (!found) {
        const below = layers.slice(i + 1).find((l) => bitmapIn(l, name, false));
        return below
          ? { verdict: 'missing', image: layer, below }
          : { verdict: 'missing', image: layer };
      }
      hole ??= layer;
      continue;
    }
    if (hole && found) return { verdict: 'gap', image: hole, above: found, below: layer };
    const expectedInUse = options.running && layer.source === 'qemu-img' && i === 0;
    if (bitmap.inconsistent && !expectedInUse) return { verdict: 'in-use', image: layer, bitmap };
    if (!bitmap.persistent) return { verdict: 'not persistent', image: layer, bitmap };
    if (!bitmap.recording) return { verdict: 'disabled', image: layer, bitmap };
    found = layer;
  }
  if (!found) throw new Error('bitmapChainVerdict: a chain has at least its top image');
  return { verdict: 'ok', layers: layers.indexOf(found) + 1 };
}
