import { alignDisks } from './align-disks.ts';
import type { Checkpoint } from './checkpoint.ts';
import type { DomainDisk } from './domain.ts';
import { domainName, domainUuid, readDomainDisks } from './domain.ts';
import type { Problem, Result } from './problem.ts';
import { problem } from './problem.ts';
import { parseXml } from './xml.ts';

/** The VM a chain is to be redefined on, from its current definition (`virsh dumpxml VM`). */
export interface TargetDomain {
  name?: string;
  /** Lower case, as libvirt compares it. */
  uuid?: string;
  disks: DomainDisk[];
}

/** Reads a <domain> definition: its name, uuid and disks. */
export function readTargetDomain(text: string): Result<TargetDomain> {
  const xml = parseXml(text);
  if (!xml.ok) return xml;
  const root = xml.value;
  if (root.name !== 'domain') {
    return {
      ok: false,
      problems: [
        problem(
          'wrong-root',
          `expecting root element of 'domain', not '${root.name}'`,
          root.position,
        ),
      ],
    };
  }
  const target: TargetDomain = { disks: readDomainDisks(root) };
  const name = domainName(root);
  if (name) target.name = name;
  const uuid = domainUuid(root);
  if (uuid) target.uuid = uuid;
  return { ok: true, value: target, problems: [] };
}

/**
 * Whether a checkpoint's disks still fit the target VM: libvirt's disk alignment
 * (virDomainCheckpointAlignDisks) against the VM's current disks, in libvirt's words, said of the
 * target. The uuid rule is redefineCheckpoint's `vmUuid`.
 */
export function checkOnTarget(checkpoint: Checkpoint, target: TargetDomain): Problem[] {
  const aligned = alignDisks(checkpoint, target.disks);
  if (aligned.ok) return [];
  const vm = target.name ? `target VM ${target.name}` : 'target VM';
  return aligned.problems.map((p) => ({
    ...p,
    code: `target-${p.code}`,
    message: `${vm}: ${p.message}`,
  }));
}
