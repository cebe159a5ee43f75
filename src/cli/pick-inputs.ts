import { statSync } from 'node:fs';
import { bundleKind, parseCheckpoint } from '../core/index.ts';
import { InputError } from './errors.ts';
import type { GatheredFile } from './gather.ts';
import type { InputFile } from './io.ts';
import type { Output } from './output.ts';
import type { VmInputs } from './vm-inputs.ts';
import { vmHeading } from './vm-inputs.ts';

/**
 * What `format`, `create` and `diff` take out of the inputs `check` and `tree` read (files, folders,
 * bundles, collect.sh's folders): the checkpoints, a VM's definition, a checkpoint by its name.
 * What fits none, or more than one, is refused naming the files, never guessed.
 */

/** A path named on the command line that is a folder or a bundle: read as many files. */
export function isFolderOrBundle(path: string): boolean {
  if (bundleKind(path)) return true;
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // reading it says why
  }
}

/** A regular file (or a link to one) at the path, that is no bundle: read as one file. */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile() && !bundleKind(path);
  } catch {
    return false;
  }
}

/** A checkpoint file of a VM, and that VM. */
export interface VmCheckpoint {
  file: GatheredFile;
  vm: VmInputs;
}

/** Every VM's checkpoint files in order; VM definitions and image JSON said on stderr as passed over. */
export function checkpointsOf(vms: readonly VmInputs[], output: Output, verb: string) {
  const found: VmCheckpoint[] = [];
  for (const vm of vms) {
    for (const file of vm.definitions)
      output.err(`${file.fileName}: a VM definition (<domain>), not a checkpoint: not ${verb}\n`);
    for (const file of vm.images)
      output.err(`${file.fileName}: disk image state (JSON), not a checkpoint: not ${verb}\n`);
    for (const file of vm.checkpoints) found.push({ file, vm });
  }
  return found;
}

/** A file named on the command line on its own, as the VM it is read for. */
const LOOSE: VmInputs = {
  key: 'command-line',
  label: 'the file named',
  reason: 'named on the command line',
  checkpoints: [],
  images: [],
  definitions: [],
  backups: [],
  repeats: [],
};

/** Where a VM's file is, for a message that names several: `FILE (VM web01 on kvm1)`. */
export function named(c: VmCheckpoint): string {
  return `${c.file.fileName} (${vmHeading(c.vm).replace(/:$/, '')})`;
}

/** The checkpoint's `<name>` as the file gives it, read for matching only. */
function checkpointName(file: GatheredFile): string | undefined {
  if (file.problems?.length) return undefined;
  const parsed = parseCheckpoint(file.contents);
  return parsed.ok ? parsed.value.name : undefined;
}

/** A file matches a path when it is that file, or that path inside its bundle or folder. */
function isAt(file: GatheredFile, path: string): boolean {
  const p = path.replace(/^\.\//, '');
  return file.fileName === p || file.path === p || file.fileName.endsWith(`/${p}`);
}

/**
 * `diff A B INPUT…`: A and B found among the inputs' checkpoints, each by its path or its
 * checkpoint name. A name found in several files is taken from the one VM that has both; else it
 * is refused, naming every file that has it.
 */
export function resolvePair(
  names: readonly [string, string],
  checkpoints: readonly VmCheckpoint[],
  where: string,
  direct: readonly (InputFile | undefined)[] = [],
): [InputFile, InputFile] {
  const [da, db] = direct;
  if (da && db) return [da, db];
  const candidates = names.map((n, i) => {
    const own = direct[i];
    if (own) return [{ file: { ...own, path: own.fileName, json: false, named: true }, vm: LOOSE }];
    const byPath = checkpoints.filter((c) => isAt(c.file, n));
    return byPath.length ? byPath : checkpoints.filter((c) => checkpointName(c.file) === n);
  }) as [VmCheckpoint[], VmCheckpoint[]];
  names.forEach((n, i) => {
    if (!candidates[i]?.length)
      throw new InputError(`${n}: no checkpoint of that name or path in ${where}`);
  });
  if (candidates.every((c) => c.length === 1))
    return candidates.map((c) => (c[0] as VmCheckpoint).file) as [GatheredFile, GatheredFile];
  // Each name once in one VM that holds both: that VM's pair.
  const keys = (cs: VmCheckpoint[]) => new Set(cs.map((c) => c.vm.key));
  const [ka, kb] = [keys(candidates[0]), keys(candidates[1])];
  const both = [...ka].filter((k) => kb.has(k));
  const inVm = (cs: VmCheckpoint[], k: string) => cs.filter((c) => c.vm.key === k);
  if (both.length === 1) {
    const [a, b] = [inVm(candidates[0], both[0] as string), inVm(candidates[1], both[0] as string)];
    if (a.length === 1 && b.length === 1)
      return [(a[0] as VmCheckpoint).file, (b[0] as VmCheckpoint).file];
  }
  const i = (candidates[0].length > 1 ? 0 : 1) as 0 | 1;
  const many = candidates[i];
  throw new InputError(
    `${names[i]} is ambiguous: ${many.length} checkpoints have it: ${many.map(named).join(', ')}; name the file instead`,
  );
}

/**
 * `create`'s request: the one checkpoint among the inputs. None, or several, is refused naming
 * what was found.
 */
export function oneRequest(checkpoints: readonly VmCheckpoint[], where: string): GatheredFile {
  if (checkpoints.length === 1) return (checkpoints[0] as VmCheckpoint).file;
  if (checkpoints.length === 0) throw new InputError(`${where}: no checkpoint request in it`);
  throw new InputError(
    `${where}: ${checkpoints.length} checkpoints, and create completes one request: ${checkpoints
      .map(named)
      .join(', ')}; name one file`,
  );
}

/**
 * `create --domain DIR|BUNDLE`: the VM definition the inputs hold (collect.sh's `domain.xml`, else
 * the newest `vmconfig`), of exactly one VM.
 */
export function oneDefinition(vms: readonly VmInputs[], where: string): GatheredFile {
  const targets = vms.flatMap((vm) => (vm.target ? [{ file: vm.target, vm }] : []));
  if (targets.length === 1) return (targets[0] as VmCheckpoint).file;
  if (targets.length === 0) throw new InputError(`${where}: no VM definition (<domain>) in it`);
  throw new InputError(
    `${where}: the definitions of ${targets.length} VMs: ${targets.map(named).join(', ')}; name one file`,
  );
}
