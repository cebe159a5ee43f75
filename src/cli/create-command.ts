import type { CreateOptions, FormatOptions } from '../core/index.ts';
import {
  createCheckpoint,
  formatCheckpoint,
  parseCheckpoint,
  parseXml,
  writableDisks,
} from '../core/index.ts';
import { fail } from './format-command.ts';
import type { InputFile } from './io.ts';
import { UsageError } from './io.ts';
import type { Output } from './output.ts';
import { openValidator, passesSchema } from './validate-command.ts';

export interface CreateCommandOptions extends FormatOptions {
  now: number;
  parent?: string;
  domain?: InputFile;
  vmDisks?: string[];
  sizes?: Record<string, number>;
}

/** Complete a `virsh checkpoint-create` request the way libvirt does, and print the result. */
export async function createCommand(
  file: InputFile,
  options: CreateCommandOptions,
  output: Output,
): Promise<number> {
  const validator = await openValidator();
  try {
    if (!(await passesSchema(validator, file, output))) return 1;
  } finally {
    validator.close();
  }
  const parsed = parseCheckpoint(file.contents);
  if (!parsed.ok) return fail(output, file, parsed.problems);
  const facts: CreateOptions = { now: options.now };
  if (options.parent !== undefined) facts.parent = options.parent;
  if (options.sizes) facts.sizes = options.sizes;
  if (options.domain) {
    const domain = parseXml(options.domain.contents);
    if (!domain.ok) return fail(output, options.domain, domain.problems);
    if (domain.value.name !== 'domain') {
      throw new UsageError(
        `${options.domain.fileName}: expecting root element of 'domain', not '${domain.value.name}'`,
      );
    }
    facts.domain = domain.value;
  } else {
    facts.vmDisks = writableDisks(options.vmDisks ?? []);
  }
  const created = createCheckpoint(parsed.value, facts);
  if (!created.ok) return fail(output, file, created.problems);
  output.out(formatCheckpoint(created.value, options));
  return 0;
}
