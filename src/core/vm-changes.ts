import type { CheckpointDisk } from './checkpoint.ts';
import { compareDomainFacts } from './compare-domain.ts';
import type { DomainFacts } from './domain-facts.ts';

/** A checkpoint as the chain compares it with its parent. */
export interface ChainMoment {
  name: string;
  /** Its disks as libvirt holds them (after a redefine where the rules pass). */
  disks: readonly CheckpointDisk[];
  /** Its <domain> in brief, when it carries one. */
  domain?: DomainFacts;
}

/** How the VM changed between a checkpoint and its parent. */
export interface VmChange {
  parent: string;
  /** What changed in the VM, in brief: `vdb added`, `memory 4→8 GiB`. */
  changes: string[];
  /**
   * Disks with a bitmap here and none in the parent: an incremental backup of them since the parent
   * or any older checkpoint is impossible.
   */
  newBitmaps: string[];
}

const bitmapDisks = (disks: readonly CheckpointDisk[]) =>
  new Set(disks.filter((d) => d.checkpoint === 'bitmap').map((d) => d.name));

/**
 * What changed in the VM from `parent` to `child`: their <domain>s compared in brief where both
 * carry one, else the disks each lists; and the disks whose bitmaps start here. None when nothing did.
 */
export function vmChangeOf(parent: ChainMoment, child: ChainMoment): VmChange | undefined {
  let changes: string[];
  if (parent.domain && child.domain) {
    changes = compareDomainFacts(parent.domain, child.domain).map((d) => d.summary);
  } else {
    const before = new Set(parent.disks.map((d) => d.name));
    const after = new Set(child.disks.map((d) => d.name));
    changes = [
      ...[...after].filter((d) => !before.has(d)).map((d) => `${d} added`),
      ...[...before].filter((d) => !after.has(d)).map((d) => `${d} removed`),
    ];
  }
  const hadBitmap = bitmapDisks(parent.disks);
  const newBitmaps = [...bitmapDisks(child.disks)].filter((d) => !hadBitmap.has(d));
  if (changes.length === 0 && newBitmaps.length === 0) return undefined;
  return { parent: parent.name, changes, newBitmaps };
}

/** A VM change in one line, for a tooltip or a row's description. */
export function describeVmChange(change: VmChange, checkpoint: string): string {
  const parts: string[] = [];
  if (change.changes.length)
    parts.push(`VM changed since ${change.parent}: ${change.changes.join(', ')}`);
  for (const disk of change.newBitmaps) {
    parts.push(
      `${disk} has no bitmap before ${checkpoint}: an incremental backup of ${disk} since ${change.parent} or an older checkpoint is impossible`,
    );
  }
  return parts.join('. ');
}
