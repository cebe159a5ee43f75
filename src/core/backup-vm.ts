import { domainName, domainUuid, readDomainDisks } from './domain.ts';
import type { ForestEntry } from './forest-entry.ts';
import { buildForest } from './forest.ts';
import { compareInteger } from './integer.ts';
import { compareNatural } from './order.ts';
import type { TargetDomain } from './target-domain.ts';

/**
 * The checkpoints oldest first: by creation time, then parents before children, then by name.
 * A name defined twice counts once, as its first file (the chain reports the second).
 */
export function checkpointsByAge(entries: readonly ForestEntry[]): ForestEntry[] {
  const forest = buildForest(entries);
  const unique = forest.keys.map((k) => forest.entries.get(k) as ForestEntry);
  const key = (e: ForestEntry) => e.checkpoint.name ?? e.file;
  return unique.sort(
    (a, b) =>
      compareInteger(a.checkpoint.creationTime ?? '0', b.checkpoint.creationTime ?? '0') ||
      (forest.depth.get(key(a)) ?? 0) - (forest.depth.get(key(b)) ?? 0) ||
      compareNatural(key(a), key(b)),
  );
}

/**
 * The VM whose disks the images are matched to: the target VM's definition when given, else the
 * `<domain>` the newest checkpoint carries (libvirt records the VM as it was at each checkpoint).
 */
export function backupVm(entries: readonly ForestEntry[], target?: TargetDomain): TargetDomain {
  if (target) return target;
  const newest = checkpointsByAge(entries)
    .reverse()
    .find((e) => e.checkpoint.domain);
  const domain = newest?.checkpoint.domain;
  if (!domain) return { disks: [] };
  const vm: TargetDomain = { disks: readDomainDisks(domain) };
  const name = domainName(domain);
  if (name) vm.name = name;
  const uuid = domainUuid(domain);
  if (uuid) vm.uuid = uuid;
  return vm;
}
