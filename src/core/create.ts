import { alignDisks } from './align-disks.ts';
import type { Checkpoint } from './checkpoint.ts';
import type { DomainDisk } from './domain.ts';
import { readDomainDisks } from './domain.ts';
import type { Result } from './problem.ts';
import type { XmlElement } from './xml.ts';

/** The facts libvirt supplies when it completes a `checkpoint-create` request. */
export interface CreateOptions {
  /** Seconds since the epoch. */
  now: number | string;
  /** The VM's current checkpoint, which becomes the parent. */
  parent?: string;
  /** The VM's <domain>, copied into the checkpoint. */
  domain?: XmlElement;
  /** The VM's disks, when its <domain> is not at hand. */
  vmDisks?: DomainDisk[];
  /** Current sizes of bitmaps, by disk target, in bytes. */
  sizes?: Record<string, number | string>;
}

/**
 * libvirt's completion of a new checkpoint: creationTime is now, the name defaults to now, the
 * parent is the current checkpoint, and the disks align to the VM's disks. A request's own
 * creationTime, parent and <domain> are not read, as libvirt reads them only on redefine.
 */
export function createCheckpoint(request: Checkpoint, options: CreateOptions): Result<Checkpoint> {
  const { creationTime: _c, parent: _p, domain: _d, ...rest } = request;
  const now = String(options.now);
  const checkpoint: Checkpoint = { ...rest, name: request.name ?? now, creationTime: now };
  if (options.parent !== undefined) checkpoint.parent = options.parent;
  if (options.domain) checkpoint.domain = options.domain;
  const vmDisks = options.domain ? readDomainDisks(options.domain) : (options.vmDisks ?? []);
  const aligned = alignDisks(checkpoint, vmDisks);
  if (!aligned.ok) return aligned;
  const sizes = options.sizes ?? {};
  const disks = aligned.value.map((d) => {
    const size = sizes[d.name];
    return size !== undefined && d.checkpoint === 'bitmap' ? { ...d, size: String(size) } : d;
  });
  return { ok: true, value: { ...checkpoint, disks }, problems: [] };
}

/** Writable, non-empty disks named by target, for when only their names are known. */
export function writableDisks(targets: readonly string[]): DomainDisk[] {
  return targets.map((target) => ({
    target,
    type: 'file',
    device: 'disk',
    bus: 'virtio',
    readonly: false,
    empty: false,
    position: { line: 0, column: 0 },
  }));
}
