import type { DomainReuse } from './domain-reuse.ts';
import type { Moment } from './moment.ts';
import { readUnsignedLongLong } from './integer.ts';
import { readMoment } from './moment.ts';
import type { Position, Result } from './problem.ts';
import { problem } from './problem.ts';
import type { XmlElement } from './xml.ts';
import { attribute, childElements, firstChild, parseXml } from './xml.ts';

export type CheckpointType = 'bitmap' | 'no';

/** One <disk> of a checkpoint (libvirt's virDomainCheckpointDiskDef). */
export interface CheckpointDisk {
  /** A target dev such as `vda`, or a source path as the file wrote it. */
  name: string;
  checkpoint: CheckpointType;
  bitmap?: string;
  /** What checkpoint= holds when it is neither 'bitmap' nor 'no' (the form shows it, flagged). */
  checkpointAsWritten?: string;
  /**
   * Bytes as canonical decimal text, known only for a live checkpoint (libvirt never reads it from
   * XML: a redefine drops it); kept here as the file says, printed with the size option.
   */
  size?: string;
  position?: Position;
}

/** A checkpoint: a moment and its disks. `disks` is undefined when the file has no <disks>. */
export interface Checkpoint extends Moment {
  disks?: CheckpointDisk[];
  disksPosition?: Position;
}

export const CHECKPOINT_ROOT = 'domaincheckpoint';

function readDisk(el: XmlElement): CheckpointDisk {
  const written = attribute(el, 'checkpoint');
  const disk: CheckpointDisk = {
    name: attribute(el, 'name') ?? '',
    // Without checkpoint=, a disk is a bitmap (the schema allows only 'bitmap' and 'no').
    checkpoint: written === 'no' ? 'no' : 'bitmap',
    position: el.position,
  };
  if (written !== undefined && written !== 'no' && written !== 'bitmap') {
    disk.checkpointAsWritten = written;
  }
  const bitmap = attribute(el, 'bitmap');
  if (bitmap !== undefined) disk.bitmap = bitmap;
  const size = readUnsignedLongLong(attribute(el, 'size'));
  if (size !== undefined) disk.size = size;
  return disk;
}

/** Reads a parsed <domaincheckpoint> element into the model; no rules applied. */
export function readCheckpoint(root: XmlElement): Result<Checkpoint> {
  if (root.name !== CHECKPOINT_ROOT) {
    return {
      ok: false,
      problems: [
        problem(
          'wrong-root',
          `expecting root element of '${CHECKPOINT_ROOT}', not '${root.name}'`,
          root.position,
        ),
      ],
    };
  }
  const checkpoint: Checkpoint = readMoment(root);
  const disksEl = firstChild(root, 'disks');
  if (disksEl) {
    // libvirt reads ./disks/*: every element child is a disk.
    checkpoint.disks = childElements(disksEl).map(readDisk);
    checkpoint.disksPosition = disksEl.position;
  }
  return { ok: true, value: checkpoint, problems: [] };
}

/** Reads checkpoint XML text into the model, with positions; no rules applied. */
export function parseCheckpoint(text: string, domains?: DomainReuse): Result<Checkpoint> {
  const xml = parseXml(text, domains);
  if (!xml.ok) return xml;
  return readCheckpoint(xml.value);
}
