import type { CreateOptions, FormatOptions } from '../core/index.ts';
import { createCheckpoint, formatCheckpoint, parseXml, writableDisks } from '../core/index.ts';
import { InputError } from './errors.ts';
import { fail } from './format-command.ts';
import type { InputFile } from './io.ts';
import type { Output } from './output.ts';
import { readCheckpointFile } from './read-checkpoint.ts';

export interface CreateCommandOptions extends FormatOptions {
  /** Whole seconds as decimal text: libvirt's long long. */
  now: string;
  parent?: string;
  domain?: InputFile;
  vmDisks?: string[];
  sizes?: Record<string, string>;
}

/** Complete a `virsh checkpoint-create` request the way libvirt does, and print the result. */
export async function createCommand(
  file: InputFile,
  options: CreateCommandOptions,
  output: Output,
): Promise<number> {
  const request = await readCheckpointFile(file, output);
  if (!request) return 1;
  const facts: CreateOptions = { now: options.now };
  if (options.parent !== undefined) facts.parent = options.parent;
  if (options.sizes) facts.sizes = options.sizes;
  if (options.domain) {
    const domain = parseXml(options.domain.contents);
    if (!domain.ok) return fail(output, options.domain, domain.problems);
    if (domain.value.name !== 'domain') {
      throw new InputError(
        `${options.domain.fileName}: expecting root element of 'domain', not '${domain.value.name}'`,
      );
    }
    facts.domain = domain.value;
  } else {
    facts.vmDisks = writableDisks(options.vmDisks ?? []);
  }
  const created = createCheckpoint(request, facts);
  if (!created.ok) return fail(output, file, created.problems);
  output.out(formatCheckpoint(created.value, options));
  return 0;
}
