import type { Checkpoint } from '../core/index.ts';
import { parseCheckpoint, withFile } from '../core/index.ts';
import type { InputFile } from './io.ts';
import type { Output } from './output.ts';
import { reportFailure } from './output.ts';
import { openValidator, passesSchema } from './validate-command.ts';

/**
 * Reads a checkpoint as libvirt's virXMLParse does: the root element is checked first, then the
 * schema, always; then the model is read. Reports and gives undefined on failure.
 */
export async function readCheckpointFile(
  file: InputFile,
  output: Output,
): Promise<Checkpoint | undefined> {
  const parsed = file.problems?.length ? undefined : parseCheckpoint(file.contents);
  if (parsed && !parsed.ok && parsed.problems.some((p) => p.code === 'wrong-root')) {
    reportFailure(output, withFile(parsed.problems, file.fileName));
    return undefined;
  }
  const validator = await openValidator();
  try {
    if (!(await passesSchema(validator, file, output))) return undefined;
  } finally {
    validator.close();
  }
  if (!parsed) return undefined;
  if (!parsed.ok) {
    reportFailure(output, withFile(parsed.problems, file.fileName));
    return undefined;
  }
  return parsed.value;
}
