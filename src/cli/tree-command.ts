import type { ForestEntry, Problem } from '../core/index.ts';
import {
  append,
  buildForest,
  describeProblem,
  parseCheckpoint,
  treeLines,
  withFile,
} from '../core/index.ts';
import type { InputFile } from './io.ts';
import type { Output } from './output.ts';
import { writeLines } from './output.ts';

export type TreeListing = 'tree' | 'roots' | 'leaves' | 'topological';

/**
 * Reads each file as it stands and prints what `virsh checkpoint-list` prints: the tree, or one name
 * a line, line by line. Unreadable files and the chain's problems go to stderr. Exit status 1 when
 * a file is unreadable or the chain has an error libvirt would refuse, else 0.
 */
export async function treeCommand(
  files: InputFile[],
  listing: TreeListing,
  output: Output,
): Promise<number> {
  const entries: ForestEntry[] = [];
  const unreadable: Problem[] = [];
  for (const file of files) {
    if (file.problems?.length) {
      append(unreadable, file.problems);
      continue;
    }
    const parsed = parseCheckpoint(file.contents);
    if (parsed.ok) entries.push({ file: file.fileName, checkpoint: parsed.value });
    else append(unreadable, withFile(parsed.problems, file.fileName));
  }
  const forest = buildForest(entries);
  await writeLines(output, listing === 'tree' ? treeLines(forest) : forest[listing]);
  for (const p of [...unreadable, ...forest.problems])
    output.err(`${p.severity}: ${describeProblem(p)}\n`);
  // libvirt refuses to redefine what an error names (a parent missing, a name twice, a cycle).
  return unreadable.length || forest.problems.some((p) => p.severity === 'error') ? 1 : 0;
}
