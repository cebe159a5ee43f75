import type { Checkpoint } from './checkpoint.ts';
import { readCheckpoint } from './checkpoint.ts';
import { readDomainDisks } from './domain.ts';
import type { DomainReuse } from './domain-reuse.ts';
import { derivedOf } from './domain-reuse.ts';
import { fieldProblems } from './fields.ts';
import { unexpandedEntityProblems } from './libvirt-schema.ts';
import type { Problem } from './problem.ts';
import { withFile } from './problem.ts';
import { qemuWarnings } from './qemu-rules.ts';
import type { RedefineOptions } from './redefine.ts';
import { redefineCheckpoint } from './redefine.ts';
import { parseXml } from './xml.ts';

export interface CheckOptions extends RedefineOptions {
  fileName?: string;
  /** Domains read before, when many files are read one after the other (domain-reuse.ts). */
  domains?: DomainReuse;
}

export interface CheckedCheckpoint {
  /** The file as it stands, when it could be read. */
  checkpoint?: Checkpoint;
  /** The checkpoint as libvirt would hold it after a redefine, when the rules pass. */
  redefined?: Checkpoint;
  problems: Problem[];
}

/**
 * A file as an operator is about to redefine it: read, libvirt's redefine rules, and the QEMU
 * driver's rules as warnings. Schema validation runs beside this, in the validation layer.
 */
export function checkCheckpoint(text: string, options: CheckOptions = {}): CheckedCheckpoint {
  const tag = (problems: Problem[]) =>
    options.fileName ? withFile(problems, options.fileName) : problems;
  const xml = parseXml(text, options.domains);
  if (!xml.ok) return { problems: tag(xml.problems) };
  const parsed = readCheckpoint(xml.value);
  if (!parsed.ok) return { problems: tag(parsed.problems) };
  const checkpoint = parsed.value;
  // What the schema refuses, said plainly and at once, before the worker's verdict comes back.
  const fields = fieldProblems(checkpoint);
  // What libvirt's schema check refuses though xmllint's accepts.
  // Without an `&` the file holds no entity reference, and the walk would find none.
  const entities = text.includes('&') ? unexpandedEntityProblems(xml.value) : [];
  if (entities.length) return { checkpoint, problems: tag([...fields, ...entities]) };
  const redefined = redefineCheckpoint(checkpoint, options);
  if (!redefined.ok) return { checkpoint, problems: tag([...fields, ...redefined.problems]) };
  const domain = checkpoint.domain;
  const domainDisks = domain
    ? derivedOf(options.domains, domain, 'disks', () => readDomainDisks(domain))
    : [];
  return {
    checkpoint,
    redefined: redefined.value,
    problems: tag([...fields, ...qemuWarnings(redefined.value, domainDisks)]),
  };
}

/** libvirt keeps each checkpoint as NAME.xml. */
export function checkpointFileName(checkpoint: Checkpoint): string {
  return `${checkpoint.name ?? 'checkpoint'}.xml`;
}
