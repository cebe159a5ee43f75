import { chainProblems } from './chain-problems.ts';
import type { ForestEntry } from './forest-entry.ts';
import { at, baseName } from './forest-entry.ts';
import { compareVirsh } from './order.ts';
import type { Problem } from './problem.ts';
import { problem } from './problem.ts';
import { append } from './append.ts';

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

/** A checkpoint's key in the forest: its name, or its file when it has none. */
export function keyOf(entry: ForestEntry): string {
  return entry.checkpoint.name ?? entry.file;
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

/** Breadth first from the roots: the topological order, and each key's depth. */
export function walk(roots: readonly string[], children: ReadonlyMap<string, readonly string[]>) {
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
