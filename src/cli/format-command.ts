import { dirname, join } from 'node:path';
import type { FormatOptions, RedefineOptions } from '../core/index.ts';
import {
  fileBaseName,
  formatCheckpoint,
  parseCheckpoint,
  redefineCheckpoint,
  safeFileName,
  withFile,
} from '../core/index.ts';
import type { Validator } from '../validation/index.ts';
import type { MadeFolder } from './created-paths.ts';
import { CreatedPaths } from './created-paths.ts';
import { InputError } from './errors.ts';
import type { InputFile } from './io.ts';
import type { Output } from './output.ts';
import { reportFailure } from './output.ts';
import type { VmCheckpoint } from './pick-inputs.ts';
import { named } from './pick-inputs.ts';
import { readCheckpointFile } from './read-checkpoint.ts';
import { openValidator } from './validate-command.ts';

export interface FormatCommandOptions extends FormatOptions, RedefineOptions {
  redefine: boolean;
}

/** Validate, apply libvirt's redefine rules when asked, print as `virsh checkpoint-dumpxml`. */
export async function formatCommand(
  file: InputFile,
  options: FormatCommandOptions,
  output: Output,
): Promise<number> {
  const formatted = await formatOne(file, options, output);
  if (formatted === undefined) return 1;
  output.out(formatted);
  return 0;
}

/** One file as libvirt prints it, or undefined (said on stderr) when libvirt would refuse it. */
async function formatOne(
  file: InputFile,
  options: FormatCommandOptions,
  output: Output,
  validator?: Validator,
): Promise<string | undefined> {
  let checkpoint = await readCheckpointFile(file, output, validator);
  if (!checkpoint) return undefined;
  if (options.redefine) {
    const redefined = redefineCheckpoint(checkpoint, options);
    if (!redefined.ok) {
      fail(output, file, redefined.problems);
      return undefined;
    }
    checkpoint = redefined.value;
  }
  return formatCheckpoint(checkpoint, options);
}

/**
 * `format` of many inputs: each checkpoint formatted as alone. Printed one after another, each
 * headed `==> FILE <==` as head(1) heads files; or, with `outDir`, each written anew to
 * `DIR/NAME.xml` (`DIR/VM/NAME.xml` with several VMs; NAME the checkpoint's), DIR made by this
 * run. Two files that would be written to one path are refused before anything is written.
 * Exit status 1 when libvirt would refuse one of them (that one is not printed or written).
 */
export async function formatMany(
  checkpoints: readonly VmCheckpoint[],
  options: FormatCommandOptions,
  outDir: string | undefined,
  output: Output,
): Promise<number> {
  const several = new Set(checkpoints.map((c) => c.vm.key)).size > 1;
  const targets = outDir === undefined ? [] : outPaths(checkpoints, outDir, several);
  const created = outDir === undefined ? undefined : new CreatedPaths();
  const folders = new Map<string, MadeFolder>();
  const folder = (path: string): MadeFolder => {
    const made = folders.get(path) ?? (created as CreatedPaths).folder(path);
    folders.set(path, made);
    return made;
  };
  const validator = await openValidator();
  let status = 0;
  try {
    if (outDir !== undefined) folder(outDir);
    for (const [i, { file }] of checkpoints.entries()) {
      const formatted = await formatOne(file, options, output, validator);
      if (formatted === undefined) {
        status = 1;
        continue;
      }
      const to = targets[i];
      if (to === undefined) {
        output.out(`${i ? '\n' : ''}==> ${file.fileName} <==\n${formatted}`);
        await output.drained?.();
        continue;
      }
      (created as CreatedPaths).file(to, formatted, folder(dirname(to)));
      output.out(`wrote ${to} (from ${file.fileName})\n`);
    }
    created?.keep();
    return status;
  } finally {
    validator.close();
    for (const removed of created?.removeUnlessKept() ?? []) output.err(`${removed}\n`);
  }
}

/** Where each checkpoint goes in DIR: by its name, in its VM's folder when there are several. */
function outPaths(checkpoints: readonly VmCheckpoint[], dir: string, several: boolean): string[] {
  const paths = checkpoints.map(({ file, vm }) => {
    const parsed = file.problems?.length ? undefined : parseCheckpoint(file.contents);
    const name = (parsed?.ok ? parsed.value.name : undefined) ?? fileBaseName(file.path);
    const base = safeFileName(name.endsWith('.xml') ? name : `${name}.xml`);
    return several ? join(dir, safeFileName(vm.label), base) : join(dir, base);
  });
  const first = new Map<string, number>();
  paths.forEach((p, i) => {
    const was = first.get(p);
    if (was === undefined) return void first.set(p, i);
    const them = [was, i].map((k) => named(checkpoints[k] as VmCheckpoint)).join(' and ');
    throw new InputError(`${them} would both be written as ${p}: format them apart, or name one`);
  });
  return paths;
}

export function fail(
  output: Output,
  file: InputFile,
  problems: Parameters<typeof withFile>[0],
): number {
  reportFailure(output, withFile(problems, file.fileName));
  return 1;
}
