import type { ImageBitmap, ImageLayer } from './image-info.ts';
import type { OrphanBitmap, DiskReport } from './bitmap-verdicts.ts';
import type { Steps } from './steps.ts';
import { runSteps } from './steps.ts';

/** Bitmaps libvirt makes for itself and removes again: never a checkpoint's. */
function isLibvirtTemporary(bitmap: ImageBitmap): boolean {
  if (bitmap.name.startsWith('libvirt-tmp-')) return true;
  // A backup job's bitmap (qemuBackupDiskPrepareDataOne names it backup-<disk>) lives in QEMU only.
  return !bitmap.persistent && bitmap.name.startsWith('backup-');
}

/** Bitmaps in a disk's images that no checkpoint keeps on that disk; an image shared by disks counts once. */
export function orphanBitmaps(disks: DiskReport[], kept: Map<string, Set<string>>): OrphanBitmap[] {
  return runSteps(orphanBitmapSteps(disks, kept, Infinity));
}

/** `orphanBitmaps`, pausing (a `yield`) after each `step` bitmaps looked at. */
export function* orphanBitmapSteps(
  disks: DiskReport[],
  kept: Map<string, Set<string>>,
  step: number,
): Steps<OrphanBitmap[]> {
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
  let since = 0;
  for (const d of disks) {
    for (const layer of d.layers) {
      if (seen.has(layer)) continue;
      seen.add(layer);
      const names = keptIn.get(layer);
      const disk = d.disk.target;
      for (const bitmap of layer.bitmaps) {
        if (++since >= step) {
          since = 0;
          yield;
        }
        if (isLibvirtTemporary(bitmap) || names?.has(bitmap.name)) continue;
        orphans.push({ disk, image: layer, bitmap });
      }
    }
  }
  return orphans;
}
