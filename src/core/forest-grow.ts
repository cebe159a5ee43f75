import { checkpointChainProblems, countUuids, mainUuidOf } from './chain-problems.ts';
import type { ForestEntry } from './forest-entry.ts';
import { at } from './forest-entry.ts';
import type { Forest } from './forest.ts';
import type { ForestGrowth } from './forest-rows.ts';
import { keyOf, walk } from './forest.ts';
import type { Problem } from './problem.ts';
import { problem } from './problem.ts';

/** A forest with the entries it was built from, so that the next update can start from it. */
export interface ForestBuild {
  entries: readonly ForestEntry[];
  forest: Forest;
  /** The chain's problems of each file. */
  problemsByFile: ReadonlyMap<string, Problem[]>;
  /** How many checkpoints' domains name each uuid, once a growth has counted them. */
  uuids?: ReadonlyMap<string, number>;
  /** The forest it grew from and the keys it added, when a growth made it (for forestRows). */
  grown?: ForestGrowth;
}

/** Two lists in `compare`'s order merged into one, in that order. */
function merge<T>(a: readonly T[], b: readonly T[], compare: (x: T, y: T) => number): T[] {
  if (b.length === 0) return a as T[];
  // A folder's next files mostly sort after those before them.
  if (a.length === 0 || compare(a[a.length - 1] as T, b[0] as T) <= 0) return [...a, ...b];
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    out.push(compare(a[i] as T, b[j] as T) <= 0 ? (a[i++] as T) : (b[j++] as T));
  }
  while (i < a.length) out.push(a[i++] as T);
  while (j < b.length) out.push(b[j++] as T);
  return out;
}

/** `key` put into a list of keys in `compare`'s order, as a new list. */
function insertSorted(
  list: readonly string[],
  key: string,
  compare: (a: string, b: string) => number,
) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(list[mid] as string, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return [...list.slice(0, lo), key, ...list.slice(lo)];
}

/**
 * The forest of `entries` when they are those of `prev` with more after them (the next files of a
 * folder), worked out from `prev` and the new entries alone: the same forest buildForest would
 * build, with its problems in the same order. Undefined when the new entries reach into what
 * `prev` holds beyond adding below it, so that only a build from scratch can tell: a name defined
 * again, a checkpoint of `prev` whose missing parent comes now, a cycle, another VM's uuid taking
 * the lead, or a `prev` with duplicates or cycles.
 */
export function growForest(
  prev: ForestBuild,
  entries: readonly ForestEntry[],
  compare: (a: string, b: string) => number,
): ForestBuild | undefined {
  const old = prev.entries;
  const f = prev.forest;
  if (entries.length <= old.length || f.inCycle.size > 0 || f.duplicates.length > 0)
    return undefined;
  for (let i = 0; i < old.length; i++) {
    const a = entries[i] as ForestEntry;
    const b = old[i] as ForestEntry;
    if (a !== b && (a.file !== b.file || a.checkpoint !== b.checkpoint)) return undefined;
  }
  const added = entries.slice(old.length);
  const addedByKey = new Map<string, ForestEntry>();
  for (const e of added) {
    const key = keyOf(e);
    if (f.entries.has(key) || addedByKey.has(key)) return undefined;
    addedByKey.set(key, e);
  }
  // An orphan of prev (a root with a parent named) whose parent comes now moves below it.
  for (const root of f.roots) {
    const parent = f.entries.get(root)?.checkpoint.parent;
    if (parent !== undefined && addedByKey.has(parent)) return undefined;
  }
  // A folder's files come in the order of their names, mostly: then there is nothing to sort.
  const newKeys = [...addedByKey.keys()];
  if (!newKeys.every((k, i) => i === 0 || compare(newKeys[i - 1] as string, k) <= 0))
    newKeys.sort(compare);
  const uuids = new Map(prev.uuids ?? countUuids(f.keys, f.entries));
  const mainBefore = mainUuidOf(uuids);
  countUuids(newKeys, addedByKey, uuids);
  // The VM's uuid must stay the one before, and lead alone, or every file's problems may change.
  let lead = 0;
  for (const n of uuids.values()) lead = Math.max(lead, n);
  const leaders = [...uuids].filter(([, n]) => n === lead);
  if (uuids.size > 0 && (leaders.length !== 1 || leaders[0]?.[0] !== mainBefore)) return undefined;

  const entryMap = new Map(f.entries);
  for (const [key, e] of addedByKey) entryMap.set(key, e);
  const parentOf = new Map(f.parentOf);
  const children = new Map(f.children);
  for (const key of newKeys) children.set(key, []);
  const missing: Problem[] = [];
  const newRoots: string[] = [];
  const gainedChildren = new Set<string>();
  for (const key of newKeys) {
    const entry = addedByKey.get(key) as ForestEntry;
    const parent = entry.checkpoint.parent;
    if (parent === undefined) {
      newRoots.push(key);
      continue;
    }
    if (!entryMap.has(parent) || parent === key) {
      missing.push({
        ...problem('parent-missing', `parent ${parent} for moment ${key} not found`),
        ...at(entry, entry.checkpoint.positions.parent),
      });
      newRoots.push(key);
      continue;
    }
    parentOf.set(key, parent);
    children.set(parent, insertSorted(children.get(parent) ?? [], key, compare));
    if (f.entries.has(parent)) gainedChildren.add(parent);
  }
  const roots = merge(f.roots, newRoots, compare);
  // A new key no root reaches hangs in a cycle of new keys: each new key's parents followed
  // through new keys to an old key or a root (the old keys' parents are the same).
  const reached = new Set<string>();
  for (const key of newKeys) {
    const path: string[] = [];
    for (let at: string | undefined = key; at !== undefined; at = parentOf.get(at)) {
      if (!addedByKey.has(at) || reached.has(at)) break;
      if (path.length > addedByKey.size) return undefined;
      path.push(at);
    }
    for (const k of path) reached.add(k);
  }

  const seen = new Map<object, Set<string>>();
  const chain: Problem[] = [];
  for (const key of newKeys) {
    const parentKey = parentOf.get(key);
    const parentEntry = parentKey === undefined ? undefined : entryMap.get(parentKey);
    const entry = addedByKey.get(key) as ForestEntry;
    checkpointChainProblems(key, entry, parentKey, parentEntry, mainBefore, seen, chain);
  }
  let problems = f.problems;
  let problemsByFile = prev.problemsByFile;
  if (missing.length > 0 || chain.length > 0) {
    // In buildForest's order: every missing parent by key, then the chain's problems by key.
    const keyOfFile = new Map<string, string>();
    for (const [key, e] of entryMap) keyOfFile.set(e.file, key);
    const byKey = (a: Problem, b: Problem) =>
      compare(keyOfFile.get(a.file as string) as string, keyOfFile.get(b.file as string) as string);
    const split = f.problems.findIndex((p) => p.code !== 'parent-missing');
    const oldMissing = split < 0 ? f.problems : f.problems.slice(0, split);
    const oldChain = split < 0 ? [] : f.problems.slice(split);
    problems = [...merge(oldMissing, missing, byKey), ...merge(oldChain, chain, byKey)];
    const byFile = new Map(prev.problemsByFile);
    for (const p of [...missing, ...chain]) {
      const file = p.file as string;
      byFile.set(file, [...(byFile.get(file) ?? []), p]);
    }
    problemsByFile = byFile;
  }
  const keys = merge(f.keys, newKeys, compare);
  const newLeaves = newKeys.filter((k) => (children.get(k) as string[]).length === 0);
  const leaves = merge(
    gainedChildren.size ? f.leaves.filter((k) => !gainedChildren.has(k)) : f.leaves,
    newLeaves,
    compare,
  );
  let walked: ReturnType<typeof walk> | undefined;
  const forest: Forest = {
    keys,
    entries: entryMap,
    duplicates: f.duplicates,
    parentOf,
    inCycle: f.inCycle,
    children,
    // Walked when first read (a backup folder's mapping), not at each growth of a folder.
    get depth() {
      return (walked ??= walk(roots, children)).depth;
    },
    roots,
    leaves,
    get topological() {
      return (walked ??= walk(roots, children)).order;
    },
    problems,
  };
  return { entries, forest, problemsByFile, uuids, grown: { from: f, keys: newKeys } };
}
