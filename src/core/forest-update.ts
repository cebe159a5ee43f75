import type { Checkpoint } from './checkpoint.ts';
import { domainName, domainUuid, readDomainDisks } from './domain.ts';
import type { ForestOptions } from './forest.ts';
import { buildForest } from './forest.ts';
import { compareVirsh } from './order.ts';
import type { ForestEntry } from './forest-entry.ts';
import type { ForestBuild } from './forest-grow.ts';
import { growForest } from './forest-grow.ts';
import type { Position, Problem } from './problem.ts';

export type { ForestBuild } from './forest-grow.ts';

/** What buildForest reads of a checkpoint, positions aside: equal shapes, equal forest but for lines. */
function shapeOf(cp: Checkpoint): string {
  const d = cp.domain;
  return JSON.stringify([
    cp.name,
    cp.parent,
    cp.creationTime,
    // A disk's checkpoint kind too: the forest's entries are read for it (core's mapBackups).
    cp.disks?.map((disk) => [disk.name, disk.checkpoint]),
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
 * edits leave it as it is (the same forest comes back), an edit that only moves lines moves that
 * file's problems with them, and entries added after prev's (a folder's next files) grow it.
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
    if (same && moved.length === 0) {
      // The same forest: it grew from nothing now.
      const { grown: _grown, ...kept } = prev;
      return { ...kept, entries };
    }
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
  if (prev && entries.length > prev.entries.length) {
    const grown = growForest(prev, entries, options.compare ?? compareVirsh);
    if (grown) return grown;
  }
  const forest = buildForest(entries, options);
  return { entries, forest, problemsByFile: problemsByFileOf(forest.problems) };
}
