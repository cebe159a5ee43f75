import type { Problem } from '../core/index.ts';
import type { Validator } from '../validation/index.ts';
import { withDomainShortcut } from '../validation/index.ts';
import { createNodeValidator, loadSchemaSet } from '../validation/node.ts';
import { readVmFile } from '../core/index.ts';
import type { GatheredFile } from './gather.ts';
import type { InputFile } from './io.ts';
import type { Output } from './output.ts';
import { reportFailure, schemaMessage } from './output.ts';
import { isImage } from './vm-inputs.ts';

export async function openValidator(schemasDir?: string): Promise<Validator> {
  const schemas = await loadSchemaSet(schemasDir);
  return withDomainShortcut(await createNodeValidator(schemas), schemas);
}

/** Schema problems of one file, worded as libvirt words a schema failure; empty when valid. */
export async function schemaProblems(validator: Validator, file: InputFile): Promise<Problem[]> {
  if (file.problems?.length) return file.problems;
  const [verdict] = await validator.validate([file]);
  if (!verdict || verdict.valid) return [];
  return verdict.problems.map((p) =>
    p.code === 'schema' ? { ...p, message: schemaMessage(p) } : p,
  );
}

/** Validates, as libvirt always does before it reads a checkpoint; reports and says false on failure. */
export async function passesSchema(
  validator: Validator,
  file: InputFile,
  output: Output,
): Promise<boolean> {
  const problems = await schemaProblems(validator, file);
  if (problems.length) reportFailure(output, problems);
  return problems.length === 0;
}

/** What a folder holds beside checkpoints, said rather than validated as one: `<domain>` or JSON. */
function notACheckpoint(file: GatheredFile): string | undefined {
  if (file.problems?.length) return undefined;
  if (isImage(file)) return 'disk image state (JSON)';
  return readVmFile(file.path, file.contents).root === 'domain'
    ? 'a VM definition (<domain>)'
    : undefined;
}

export async function validateCommand(
  all: GatheredFile[],
  schemasDir: string | undefined,
  output: Output,
): Promise<number> {
  const files: GatheredFile[] = [];
  for (const file of all) {
    const what = notACheckpoint(file);
    if (what === undefined) files.push(file);
    else output.out(`${file.fileName}: ${what}, not a checkpoint: not validated\n`);
  }
  const validator = await openValidator(schemasDir);
  try {
    const readable = files.filter((f) => !f.problems?.length);
    const checked = new Map((await validator.validate(readable)).map((v, i) => [readable[i], v]));
    const verdicts = files.map(
      (f) => checked.get(f) ?? { fileName: f.fileName, valid: false, problems: f.problems ?? [] },
    );
    for (const v of verdicts) {
      for (const p of v.problems)
        output.out(`${v.fileName}:${p.line ? `${p.line}:` : ''} ${p.message}\n`);
      output.out(`${v.fileName}: ${v.valid ? 'valid' : 'invalid'}\n`);
    }
    return verdicts.every((v) => v.valid) ? 0 : 1;
  } finally {
    validator.close();
  }
}
