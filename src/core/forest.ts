import type { Checkpoint } from './checkpoint.ts';
import { domainName, domainUuid, readDomainDisks } from './domain.ts';
import { compareInteger } from './integer.ts';
import { compareVirsh } from './order.ts';
import type { Position, Problem } from './problem.ts';
import { problem } from './problem.ts';
import { append } from './append.ts';

/** One loaded checkpoint file. */
export interface ForestEntry {
  file: string;
  checkpoint: Checkpoint;
}

/**
 * Many checkpoints linked by their parents, as libvirt's checkpoint object list holds them:
 * roots, children, leaves, a topological order, and what is wrong with the chain.
 */
export interface Forest {
  /** Each checkpoint's key: its name, or its file when it has none. */
  keys: string[];
  /** One entry of each key: the file named NAME.xml where there is one, else the first. */
  entries: Map<string, ForestEntry>;
  /** The other files of a key defined more than once, each with the file kept in its stead. */
  duplicates: { entry: ForestEntry; kept: ForestEntry }[];
  parentOf: Map<string, string>;
  /** The checkpoints whose parents go round in a cycle (each cycle broken to show it as a tree). */
  inCycle: ReadonlySet<string>;
  children: Map<string, string[]>;
  depth: Map<string, number>;
  roots: string[];
  leaves: string[];
  /** Parents before children. */
  topological: string[];
  problems: Problem[];
}

export interface ForestOptions {
  /** How siblings, roots and leaves are ordered; virsh's order by default. */
  compare?: (a: string, b: string) => number;
}

function keyOf(entry: ForestEntry): string {
  return entry.checkpoint.name ?? entry.file;
}

function at(entry: ForestEntry, position = entry.checkpoint.positions.root): Partial<Problem> {
  return {
    file: entry.file,
    ...(position ? { line: position.line, column: position.column } : {}),
  };
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/** Whether the file is named as libvirt stores the checkpoint: NAME.xml. */
function isOwnFile(entry: ForestEntry, key: string): boolean {
  return entry.checkpoint.name === key && baseName(entry.file) === `${key}.xml`;
}

/**
 * Links the checkpoints by their parents. What it reads of each checkpoint is what `shapeOf` lists
 * (and, for the problems' places, `placesOf`): updateForest relies on that, so keep them in step.
 */
export function buildForest(list: readonly ForestEntry[], options: ForestOptions = {}): Forest {
  const compare = options.compare ?? compareVirsh;
  const problems: Problem[] = [];
  const entries = new Map<string, ForestEntry>();
  const others = new Map<string, ForestEntry[]>();
  for (const entry of list) {
    const key = keyOf(entry);
    const first = entries.get(key);
    if (!first) {
      entries.set(key, entry);
      continue;
    }
    // libvirt keeps a checkpoint as NAME.xml: that file is the checkpoint, whatever sorts first.
    const kept = !isOwnFile(first, key) && isOwnFile(entry, key) ? entry : first;
    if (kept === entry) entries.set(key, entry);
    const list = others.get(key) ?? [];
    list.push(kept === entry ? first : entry);
    others.set(key, list);
  }
  const duplicates: Forest['duplicates'] = [];
  for (const [key, list] of others) {
    const kept = entries.get(key) as ForestEntry;
    for (const entry of list) {
      duplicates.push({ entry, kept });
      problems.push({
        ...problem(
          'duplicate-name',
          `checkpoint ${key} is defined again (kept: ${kept.file}); redefined after it, this file would replace it`,
        ),
        ...at(entry, entry.checkpoint.positions.name),
      });
    }
  }
  const keys = [...entries.keys()].sort(compare);
  const parentOf = new Map<string, string>();
  const children = new Map<string, string[]>(keys.map((k) => [k, []]));
  for (const key of keys) {
    const entry = entries.get(key) as ForestEntry;
    const parent = entry.checkpoint.parent;
    if (parent === undefined) continue;
    if (!entries.has(parent) || parent === key) {
      problems.push({
        // libvirt refuses the redefine with these words: an error, not a warning.
        ...problem('parent-missing', `parent ${parent} for moment ${key} not found`),
        ...at(entry, entry.checkpoint.positions.parent),
      });
      continue;
    }
    parentOf.set(key, parent);
    children.get(parent)?.push(key);
  }
  const roots = keys.filter((k) => !parentOf.has(k));
  const { order, depth } = walk(roots, children);
  const inCycle = new Set<string>();
  // Whatever no root reaches hangs in a cycle: break each at its first name so it can be shown.
  for (const key of keys) {
    if (depth.has(key)) continue;
    const cycle = cycleFrom(key, parentOf);
    const head = [...cycle].sort(compare)[0] as string;
    for (const member of cycle) {
      inCycle.add(member);
      const entry = entries.get(member) as ForestEntry;
      problems.push({
        // Whichever of them libvirt meets first has no parent yet: it says so, in these words.
        ...problem(
          'parent-cycle',
          `checkpoint ${member} is in a cycle of parents (${[...cycle, cycle[0]].join(' → ')}): parent ${parentOf.get(member)} for moment ${member} not found`,
        ),
        ...at(entry, entry.checkpoint.positions.parent),
      });
    }
    const parent = parentOf.get(head) as string;
    parentOf.delete(head);
    children.set(
      parent,
      (children.get(parent) ?? []).filter((c) => c !== head),
    );
    roots.push(head);
    const more = walk([head], children);
    append(order, more.order);
    for (const [k, d] of more.depth) depth.set(k, d);
  }
  roots.sort(compare);
  const leaves = keys.filter((k) => (children.get(k) ?? []).length === 0);
  append(problems, chainProblems(keys, entries, parentOf));
  return {
    keys,
    entries,
    duplicates,
    parentOf,
    inCycle,
    children,
    depth,
    roots,
    leaves,
    topological: order,
    problems,
  };
}

function walk(roots: readonly string[], children: Map<string, string[]>) {
  const order: string[] = [];
  const depth = new Map<string, number>();
  const queue: [string, number][] = roots.map((r) => [r, 0]);
  for (let i = 0; i < queue.length; i++) {
    const [key, d] = queue[i] as [string, number];
    if (depth.has(key)) continue;
    depth.set(key, d);
    order.push(key);
    for (const child of children.get(key) ?? []) queue.push([child, d + 1]);
  }
  return { order, depth };
}

function cycleFrom(start: string, parentOf: Map<string, string>): string[] {
  const path: string[] = [];
  let key: string | undefined = start;
  while (key !== undefined && !path.includes(key)) {
    path.push(key);
    key = parentOf.get(key);
  }
  return key === undefined ? path : path.slice(path.indexOf(key));
}

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

/** What breaks a chain when it is redefined elsewhere. */
function chainProblems(
  keys: string[],
  entries: Map<string, ForestEntry>,
  parentOf: Map<string, string>,
): Problem[] {
  const problems: Problem[] = [];
  const uuids = new Map<string, number>();
  for (const key of keys) {
    const domain = entries.get(key)?.checkpoint.domain;
    const uuid = domain && domainUuid(domain);
    if (uuid) uuids.set(uuid, (uuids.get(uuid) ?? 0) + 1);
  }
  const mainUuid = [...uuids.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const seen = new Map<object, Set<string>>();
  for (const key of keys) {
    const entry = entries.get(key) as ForestEntry;
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
    const parentKey = parentOf.get(key);
    const parent = parentKey === undefined ? undefined : entries.get(parentKey)?.checkpoint;
    if (!parent) continue;
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
    if (!mine || !theirs) continue;
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
  }
  return problems;
}

/** A forest with the entries it was built from, so that the next update can start from it. */
export interface ForestBuild {
  entries: readonly ForestEntry[];
  forest: Forest;
  /** The chain's problems of each file. */
  problemsByFile: ReadonlyMap<string, Problem[]>;
}

/** What buildForest reads of a checkpoint, positions aside: equal shapes, equal forest but for lines. */
function shapeOf(cp: Checkpoint): string {
  const d = cp.domain;
  return JSON.stringify([
    cp.name,
    cp.parent,
    cp.creationTime,
    cp.disks?.map((disk) => disk.name),
    cp.disksPosition !== undefined,
    d && [domainName(d), domainUuid(d), readDomainDisks(d).map((disk) => disk.target)],
  ]);
}

/** The places buildForest puts a file's problems at. */
function placesOf(cp: Checkpoint): (Position | undefined)[] {
  const at = cp.positions;
  return [at.root, at.name, at.parent, at.creationTime, at.domain, cp.disksPosition];
}

const samePlace = (a: Position | undefined, b: Position | undefined) =>
  a?.line === b?.line && a?.column === b?.column;

/**
 * A file's problems moved with its lines (an edit added or removed lines above them); none when
 * one of them stands somewhere else than where buildForest puts problems.
 */
function moveProblems(problems: readonly Problem[], before: Checkpoint, after: Checkpoint) {
  const from = placesOf(before);
  const to = placesOf(after);
  const moved: Problem[] = [];
  for (const p of problems) {
    if (p.line === undefined) {
      moved.push(p);
      continue;
    }
    const i = from.findIndex((at) => at?.line === p.line && at?.column === p.column);
    const place = to[i];
    if (!place) return undefined;
    moved.push({ ...p, line: place.line, column: place.column });
  }
  return moved;
}

function problemsByFileOf(problems: readonly Problem[]): Map<string, Problem[]> {
  const byFile = new Map<string, Problem[]>();
  for (const p of problems) {
    if (p.file === undefined) continue;
    const list = byFile.get(p.file);
    if (list) list.push(p);
    else byFile.set(p.file, [p]);
  }
  return byFile;
}

/**
 * The forest of `entries`, built again only when the chain itself has changed since `prev`: most
 * edits leave it as it is (the same forest comes back), and an edit that only moves lines moves
 * that file's problems with them.
 */
export function updateForest(
  prev: ForestBuild | undefined,
  entries: readonly ForestEntry[],
  options: ForestOptions = {},
): ForestBuild {
  if (prev && prev.entries.length === entries.length) {
    const moved: number[] = [];
    const same = entries.every((e, i) => {
      const before = prev.entries[i] as ForestEntry;
      if (e.file !== before.file) return false;
      if (e.checkpoint === before.checkpoint) return true;
      if (shapeOf(e.checkpoint) !== shapeOf(before.checkpoint)) return false;
      const a = placesOf(e.checkpoint);
      const b = placesOf(before.checkpoint);
      if (!a.every((at, j) => samePlace(at, b[j]))) moved.push(i);
      return true;
    });
    if (same && moved.length === 0) return { ...prev, entries };
    if (same) {
      const problemsByFile = new Map(prev.problemsByFile);
      let ok = true;
      for (const i of moved) {
        const { file, checkpoint } = entries[i] as ForestEntry;
        const before = (prev.entries[i] as ForestEntry).checkpoint;
        const mine = prev.problemsByFile.get(file);
        if (!mine) continue;
        const shifted = moveProblems(mine, before, checkpoint);
        if (!shifted) ok = false;
        else problemsByFile.set(file, shifted);
      }
      if (ok) {
        const problems = prev.forest.problems.map((p) => {
          const list = p.file === undefined ? undefined : problemsByFile.get(p.file);
          const index = list ? (prev.problemsByFile.get(p.file as string) ?? []).indexOf(p) : -1;
          return index >= 0 ? (list?.[index] ?? p) : p;
        });
        return { entries, forest: { ...prev.forest, problems }, problemsByFile };
      }
    }
  }
  const forest = buildForest(entries, options);
  return { entries, forest, problemsByFile: problemsByFileOf(forest.problems) };
}
