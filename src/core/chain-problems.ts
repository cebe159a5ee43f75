import type { Checkpoint } from './checkpoint.ts';
import { domainUuid, readDomainDisks } from './domain.ts';
import type { ForestEntry } from './forest-entry.ts';
import { at, baseName } from './forest-entry.ts';
import { compareInteger } from './integer.ts';
import type { Problem } from './problem.ts';
import { problem } from './problem.ts';

/**
 * The disks a checkpoint names: its domain's, else its own. `seen` keeps each domain's for one
 * build: checkpoints read together often share their domain's summary (domain-reuse.ts).
 */
function diskNames(
  checkpoint: Checkpoint,
  seen: Map<object, Set<string>>,
): Set<string> | undefined {
  const domain = checkpoint.domain;
  if (domain) {
    let names = seen.get(domain);
    if (!names) seen.set(domain, (names = new Set(readDomainDisks(domain).map((d) => d.target))));
    return names;
  }
  return checkpoint.disks ? new Set(checkpoint.disks.map((d) => d.name)) : undefined;
}

/** How many checkpoints' domains name each uuid, in the order of `keys`. */
export function countUuids(
  keys: readonly string[],
  entries: ReadonlyMap<string, ForestEntry>,
  counts = new Map<string, number>(),
): Map<string, number> {
  for (const key of keys) {
    const domain = entries.get(key)?.checkpoint.domain;
    const uuid = domain && domainUuid(domain);
    if (uuid) counts.set(uuid, (counts.get(uuid) ?? 0) + 1);
  }
  return counts;
}

/** The VM's uuid: the one most checkpoints name (on a tie, the first counted). */
export function mainUuidOf(counts: ReadonlyMap<string, number>): string | undefined {
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * What breaks a chain at one checkpoint when it is redefined elsewhere: its VM, its file's name,
 * its time and disks against its parent's. `seen` keeps each domain's disks for one build.
 */
export function checkpointChainProblems(
  key: string,
  entry: ForestEntry,
  parentKey: string | undefined,
  parentEntry: ForestEntry | undefined,
  mainUuid: string | undefined,
  seen: Map<object, Set<string>>,
  problems: Problem[] = [],
): Problem[] {
  const cp = entry.checkpoint;
  const uuid = cp.domain && domainUuid(cp.domain);
  if (uuid && mainUuid && uuid !== mainUuid) {
    problems.push({
      ...problem(
        'other-vm',
        `checkpoint ${key} belongs to another VM: uuid ${uuid}, not ${mainUuid}`,
      ),
      ...at(entry, cp.positions.domain),
    });
  }
  if (cp.name !== undefined && baseName(entry.file) !== `${cp.name}.xml`) {
    problems.push({
      ...problem(
        'file-name',
        `file name ${baseName(entry.file)} differs from ${cp.name}.xml, the name libvirt stores it under`,
        undefined,
        'warning',
      ),
      ...at(entry, cp.positions.name),
    });
  }
  const parent = parentEntry?.checkpoint;
  if (!parent) return problems;
  if (
    cp.creationTime !== undefined &&
    parent.creationTime !== undefined &&
    compareInteger(cp.creationTime, parent.creationTime) < 0
  ) {
    problems.push({
      ...problem(
        'created-before-parent',
        `checkpoint ${key} was created (${cp.creationTime}) before its parent ${parentKey} (${parent.creationTime})`,
        undefined,
        'warning',
      ),
      ...at(entry, cp.positions.creationTime),
    });
  }
  const mine = diskNames(cp, seen);
  const theirs = diskNames(parent, seen);
  if (!mine || !theirs) return problems;
  for (const d of mine) {
    if (!theirs.has(d)) {
      problems.push({
        ...problem(
          'disk-appears',
          `disk ${d} appears in checkpoint ${key} but not in its parent ${parentKey}`,
          undefined,
          'warning',
        ),
        ...at(entry, cp.disksPosition ?? cp.positions.domain),
      });
    }
  }
  for (const d of theirs) {
    if (!mine.has(d)) {
      problems.push({
        ...problem(
          'disk-disappears',
          `disk ${d} of parent ${parentKey} is missing from checkpoint ${key}`,
          undefined,
          'warning',
        ),
        ...at(entry, cp.disksPosition ?? cp.positions.domain),
      });
    }
  }
  return problems;
}

/** What breaks a chain when it is redefined elsewhere. */
export function chainProblems(
  keys: string[],
  entries: Map<string, ForestEntry>,
  parentOf: Map<string, string>,
): Problem[] {
  const problems: Problem[] = [];
  const mainUuid = mainUuidOf(countUuids(keys, entries));
  const seen = new Map<object, Set<string>>();
  for (const key of keys) {
    const parentKey = parentOf.get(key);
    const parentEntry = parentKey === undefined ? undefined : entries.get(parentKey);
    checkpointChainProblems(
      key,
      entries.get(key) as ForestEntry,
      parentKey,
      parentEntry,
      mainUuid,
      seen,
      problems,
    );
  }
  return problems;
}
