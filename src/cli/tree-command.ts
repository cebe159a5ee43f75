import type { ForestEntry, Problem } from '../core/index.ts';
import {
  append,
  buildForest,
  describeProblem,
  hasBackupData,
  mapBackups,
  parseCheckpoint,
  treeLines,
  withFile,
} from '../core/index.ts';

import type { Output } from './output.ts';
import { writeLines } from './output.ts';
import type { VmInputs } from './vm-inputs.ts';
import { vmHeading } from './vm-inputs.ts';

/** A VM's lines after its heading (a blank line before, but for the first): never one array. */
function* headed(vm: VmInputs, blank: boolean, lines: Iterable<string>): Iterable<string> {
  if (blank) yield '';
  yield vmHeading(vm);
  yield* lines;
}

export type TreeListing = 'tree' | 'roots' | 'leaves' | 'topological';

/**
 * Reads each VM's checkpoints as they stand and prints what `virsh checkpoint-list` prints: the
 * tree, or one name a line, line by line; with several VMs, each headed by its name. Unreadable
 * files and the chain's problems (a virtnbdbackup data file missing too) go to stderr; VM
 * definitions are no checkpoints and not listed.
 * Exit status 1 when a file is unreadable or a chain has an error libvirt would refuse, else 0.
 */
export async function treeCommand(
  vms: readonly VmInputs[],
  listing: TreeListing,
  output: Output,
): Promise<number> {
  let status = 0;
  let printed = 0; // VMs listed, for the blank line between them
  for (const vm of vms) {
    if (vms.length > 1 && vm.checkpoints.length === 0) continue;
    const entries: ForestEntry[] = [];
    const unreadable: Problem[] = [];
    for (const file of vm.checkpoints) {
      if (file.problems?.length) {
        append(unreadable, file.problems);
        continue;
      }
      const parsed = parseCheckpoint(file.contents);
      if (parsed.ok) entries.push({ file: file.fileName, checkpoint: parsed.value });
      else append(unreadable, withFile(parsed.problems, file.fileName));
    }
    const forest = buildForest(entries);
    const lines = listing === 'tree' ? treeLines(forest) : forest[listing];
    await writeLines(output, vms.length > 1 ? headed(vm, printed++ > 0, lines) : lines);
    // virtnbdbackup's data files beside the checkpoints: a chain with a data file missing is broken.
    const backups = hasBackupData(vm.backups)
      ? mapBackups(vm.backups, entries, vm.backupHeaders).problems
      : [];
    const problems = [...forest.problems, ...backups];
    for (const p of [...unreadable, ...problems])
      output.err(`${p.severity}: ${describeProblem(p)}\n`);
    // libvirt refuses to redefine what an error names (a parent missing, a name twice, a cycle).
    if (unreadable.length || problems.some((p) => p.severity === 'error')) status = 1;
  }
  return status;
}
