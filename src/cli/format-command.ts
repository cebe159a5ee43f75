import type { FormatOptions, RedefineOptions } from '../core/index.ts';
import { formatCheckpoint, redefineCheckpoint, withFile } from '../core/index.ts';
import type { InputFile } from './io.ts';
import type { Output } from './output.ts';
import { reportFailure } from './output.ts';
import { readCheckpointFile } from './read-checkpoint.ts';

export interface FormatCommandOptions extends FormatOptions, RedefineOptions {
  redefine: boolean;
}

/** Validate, apply libvirt's redefine rules when asked, print as `virsh checkpoint-dumpxml`. */
export async function formatCommand(
  file: InputFile,
  options: FormatCommandOptions,
  output: Output,
): Promise<number> {
  let checkpoint = await readCheckpointFile(file, output);
  if (!checkpoint) return 1;
  if (options.redefine) {
    const redefined = redefineCheckpoint(checkpoint, options);
    if (!redefined.ok) return fail(output, file, redefined.problems);
    checkpoint = redefined.value;
  }
  output.out(formatCheckpoint(checkpoint, options));
  return 0;
}

export function fail(
  output: Output,
  file: InputFile,
  problems: Parameters<typeof withFile>[0],
): number {
  reportFailure(output, withFile(problems, file.fileName));
  return 1;
}
