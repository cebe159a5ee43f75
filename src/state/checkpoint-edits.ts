import type { Checkpoint, CheckpointDisk, CheckpointType, DomainDisk } from '../core/index.ts';
import { findDomainDisk } from '../core/index.ts';
import type { CheckpointEdit } from './documents-slice.ts';
import type { DocumentCheck } from './derive-chain.ts';

/** The form edits: each returns the checkpoint with one field changed; an empty value removes it. */
export const setName =
  (name: string): CheckpointEdit =>
  (cp) => ({ ...cp, name: name || undefined });

export const setDescription =
  (description: string): CheckpointEdit =>
  (cp) => ({ ...cp, description: description || undefined });

export const setParent =
  (parent: string): CheckpointEdit =>
  (cp) => ({ ...cp, parent: parent || undefined });

/** Seconds as decimal text (libvirt's long long outgrows a JS number); 0 or empty removes it. */
export const setCreationTime =
  (seconds: string | number | undefined): CheckpointEdit =>
  (cp) => {
    const text = seconds === undefined ? '' : String(seconds).replace(/^0+(?=\d)/, '');
    return { ...cp, creationTime: text && text !== '0' ? text : undefined };
  };

/** A disk's entry in <disks>, added (named by its target) when the file does not list it yet. */
function withDisk(
  cp: Checkpoint,
  name: string,
  change: (disk: CheckpointDisk) => CheckpointDisk,
): Checkpoint {
  const disks = cp.disks ?? [];
  const index = disks.findIndex((d) => d.name === name);
  if (index >= 0) return { ...cp, disks: disks.map((d, i) => (i === index ? change(d) : d)) };
  return { ...cp, disks: [...disks, change({ name, checkpoint: 'bitmap' })] };
}

export const setDiskCheckpoint =
  (name: string, checkpoint: CheckpointType): CheckpointEdit =>
  (cp) =>
    withDisk(cp, name, (d) => {
      if (checkpoint === 'bitmap') return { ...d, checkpoint };
      // A disk without a checkpoint has no bitmap and no size: libvirt prints neither.
      return { name: d.name, checkpoint, ...(d.position ? { position: d.position } : {}) };
    });

export const setDiskBitmap =
  (name: string, bitmap: string): CheckpointEdit =>
  (cp) =>
    withDisk(cp, name, (d) => {
      const { bitmap: _old, ...rest } = d;
      return bitmap ? { ...rest, checkpoint: 'bitmap', bitmap } : rest;
    });

/** One row of the Disks table: a domain disk and the checkpoint's entry for it, aligned as libvirt does. */
export interface DiskRow {
  /** The name the checkpoint uses: the domain disk's target, or what the file wrote. */
  name: string;
  domainDisk?: DomainDisk;
  /** The entry as the file lists it, if it does. */
  listed?: CheckpointDisk;
  /** What libvirt makes of it after a redefine (defaults filled in), when the rules pass. */
  aligned?: CheckpointDisk;
  /** Lines of the file that belong to this row, for its problems. */
  lines: number[];
}

export function diskRows(check: DocumentCheck): DiskRow[] {
  const listed = check.checkpoint?.disks ?? [];
  const aligned = check.redefined?.disks ?? [];
  const rows: DiskRow[] = [];
  const used = new Set<CheckpointDisk>();
  for (const domainDisk of check.domainDisks) {
    const entry = listed.find(
      (d) => !used.has(d) && findDomainDisk(check.domainDisks, d.name) === domainDisk,
    );
    if (entry) used.add(entry);
    const row: DiskRow = {
      name: entry?.name ?? domainDisk.target,
      domainDisk,
      lines: [domainDisk.position.line],
    };
    if (entry) {
      row.listed = entry;
      if (entry.position) row.lines.push(entry.position.line);
    }
    const effective = aligned.find((d) => d.name === domainDisk.target);
    if (effective) row.aligned = effective;
    rows.push(row);
  }
  for (const entry of listed) {
    if (used.has(entry)) continue;
    const row: DiskRow = { name: entry.name, listed: entry, lines: [] };
    if (entry.position) row.lines.push(entry.position.line);
    const effective = check.domainDisks.length === 0 && aligned.find((d) => d.name === entry.name);
    if (effective) row.aligned = effective;
    rows.push(row);
  }
  return rows;
}
