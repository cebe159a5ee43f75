import type { CheckpointDisk, CheckpointType, DomainDisk } from '../core/index.ts';
import { findDomainDisk } from '../core/index.ts';
import type { CheckpointEdit } from './documents-slice.ts';
import type { DocumentCheck } from './derive-chain.ts';

/** The form edits, as data: core makes each in the file's own text (editCheckpointText). */
export const setName = (name: string): CheckpointEdit => ({ field: 'name', value: name });

export const setDescription = (description: string): CheckpointEdit => ({
  field: 'description',
  value: description,
});

export const setParent = (parent: string): CheckpointEdit => ({ field: 'parent', value: parent });

/** Seconds as decimal text (libvirt's long long outgrows a JS number); 0 or empty removes it. */
export const setCreationTime = (seconds: string | number | undefined): CheckpointEdit => {
  const text = seconds === undefined ? '' : String(seconds).replace(/^0+(?=\d)/, '');
  return { field: 'creationTime', value: text && text !== '0' ? text : '' };
};

export const setDiskCheckpoint = (disk: string, checkpoint: CheckpointType): CheckpointEdit => ({
  field: 'disk-checkpoint',
  disk,
  checkpoint,
});

export const setDiskBitmap = (disk: string, bitmap: string): CheckpointEdit => ({
  field: 'disk-bitmap',
  disk,
  bitmap,
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
