import type { Forest } from './forest.ts';

/** Why a checkpoint is left out of a redefine: libvirt would refuse it, or could not link it. */
export type LeftOutReason =
  /** Another file of the same name is redefined instead (a second redefine would replace it). */
  | { kind: 'duplicate'; kept: string }
  /** Its parent is not among the files: "parent P for moment C not found". */
  | { kind: 'parent-missing'; parent: string }
  /** Its parents go round in a cycle: none of them has a parent defined before it. */
  | { kind: 'cycle' }
  /** The file has errors for which libvirt refuses it (the schema, the redefine rules). */
  | { kind: 'refused'; errors: number }
  /** A checkpoint above it is left out: its parent is never defined. */
  | { kind: 'below'; ancestor: string };

export interface LeftOut {
  /** The checkpoint's key in the forest (its name, or its file when it has none). */
  key: string;
  file: string;
  reason: LeftOutReason;
}

/** What a redefine of the loaded chain does: the checkpoints in order, and what it leaves out. */
export interface RedefinePlan {
  /** Each root's subtree together, depth first, parents before their children. */
  order: string[];
  /** In tree order, then the duplicates. */
  leftOut: LeftOut[];
}

export interface RedefinePlanOptions {
  /** The number of errors for which libvirt would refuse a checkpoint's file, by key; none if it would not. */
  errorsOf?: (key: string) => number;
}

/**
 * The checkpoints libvirt will take, in an order it takes them: a checkpoint's parent must be
 * defined before it (else "parent P for moment C not found"), so a checkpoint whose file libvirt
 * refuses, whose parent is missing or which hangs in a cycle is left out with everything below it.
 * Subtrees stay together, so that the chain reads root by root.
 */
export function planRedefine(forest: Forest, options: RedefinePlanOptions = {}): RedefinePlan {
  const order: string[] = [];
  const leftOut: LeftOut[] = [];
  const reasonOf = (key: string): LeftOutReason | undefined => {
    const cp = forest.entries.get(key)?.checkpoint;
    if (forest.inCycle.has(key)) return { kind: 'cycle' };
    if (cp?.parent !== undefined && !forest.parentOf.has(key))
      return { kind: 'parent-missing', parent: cp.parent };
    const errors = options.errorsOf?.(key) ?? 0;
    if (errors > 0) return { kind: 'refused', errors };
    return undefined;
  };
  // Depth first without recursion: a chain can be thousands of checkpoints deep.
  const stack: { key: string; below?: string }[] = [...forest.roots]
    .reverse()
    .map((key) => ({ key }));
  const seen = new Set<string>();
  while (stack.length) {
    const { key, below } = stack.pop() as (typeof stack)[number];
    if (seen.has(key)) continue;
    seen.add(key);
    const file = forest.entries.get(key)?.file ?? key;
    // Its own reason first: that one needs fixing whatever is above it.
    const reason: LeftOutReason | undefined =
      reasonOf(key) ?? (below !== undefined ? { kind: 'below', ancestor: below } : undefined);
    if (reason) leftOut.push({ key, file, reason });
    else order.push(key);
    const children = forest.children.get(key) ?? [];
    // Below a checkpoint left out, the first one left out is named: the one to fix.
    const next = below ?? (reason ? key : undefined);
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i] as string;
      stack.push(next === undefined ? { key: child } : { key: child, below: next });
    }
  }
  for (const { entry, kept } of forest.duplicates) {
    leftOut.push({
      key: entry.checkpoint.name ?? entry.file,
      file: entry.file,
      reason: { kind: 'duplicate', kept: kept.file },
    });
  }
  return { order, leftOut };
}

/** Each reason in a few words, with how many checkpoints it leaves out: never a name from a file. */
export function leftOutSummary(leftOut: readonly LeftOut[]): string[] {
  const counts = new Map<LeftOutReason['kind'], number>();
  for (const l of leftOut) counts.set(l.reason.kind, (counts.get(l.reason.kind) ?? 0) + 1);
  const words: Record<LeftOutReason['kind'], [string, string]> = {
    'parent-missing': [
      'whose parent is not among the files',
      'whose parent is not among the files',
    ],
    cycle: ['in a cycle of parents', 'in a cycle of parents'],
    refused: ['whose file libvirt refuses', 'whose files libvirt refuses'],
    below: ['below one left out', 'below one left out'],
    duplicate: ['defined again by another file', 'defined again by other files'],
  };
  const order: LeftOutReason['kind'][] = [
    'parent-missing',
    'cycle',
    'refused',
    'below',
    'duplicate',
  ];
  return order
    .filter((k) => counts.has(k))
    .map((k) => {
      const n = counts.get(k) as number;
      return `${n} ${words[k][n === 1 ? 0 : 1]}`;
    });
}
