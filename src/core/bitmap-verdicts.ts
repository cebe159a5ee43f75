import type { ChainVerdict } from './bitmap-chain.ts';
import type { ForestEntry } from './forest-entry.ts';
import type { ImageBitmap, ImageLayer } from './image-info.ts';
import type { DiskImage } from './image-match.ts';
import type { Problem } from './problem.ts';

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
