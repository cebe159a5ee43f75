import type { Checkpoint } from '../core/index.ts';
import {
  libvirtText,
  parseXml,
  readCheckpoint,
  unexpandedEntityProblems,
  withFile,
} from '../core/index.ts';
import type { Validator } from '../validation/index.ts';
import type { InputFile } from './io.ts';
import type { Output } from './output.ts';
import { reportFailure } from './output.ts';
import { openValidator, passesSchema } from './validate-command.ts';

/**
 * Reads a checkpoint as libvirt's virDomainCheckpointDefParseString does: the file as a C string
 * in UTF-8 (whatever it declares), parsed by libxml2 without entity substitution, the root element
 * checked, then the schema, always; then the model is read. Reports and gives undefined on failure.
 */
export async function readCheckpointFile(
  file: InputFile,
  output: Output,
  /** One validator for many files (`format DIR`); else one is opened for this file and closed. */
  shared?: Validator,
): Promise<Checkpoint | undefined> {
  const fail = (problems: Parameters<typeof withFile>[0]) => {
    reportFailure(output, withFile(problems, file.fileName));
    return undefined;
  };
  if (!file.bytes && file.problems?.length) return fail(file.problems);
  const text = file.bytes ? libvirtText(file.bytes) : file.contents;
  const xml = parseXml(text);
  // libvirt's parse error first; then what the bytes are, when that is plainer (binary data).
  const unreadable = file.problems?.filter((p) => p.code !== 'encoding') ?? [];
  if (!xml.ok) return fail([...xml.problems, ...unreadable]);
  if (unreadable.length) return fail(unreadable);
  const parsed = readCheckpoint(xml.value);
  if (!parsed.ok) return fail(parsed.problems);
  const validator = shared ?? (await openValidator());
  try {
    if (!(await passesSchema(validator, { fileName: file.fileName, contents: text }, output))) {
      return undefined;
    }
  } finally {
    if (!shared) validator.close();
  }
  const entities = unexpandedEntityProblems(xml.value);
  if (entities.length) return fail(entities);
  return parsed.value;
}
