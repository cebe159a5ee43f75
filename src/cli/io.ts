import type { Problem } from '../core/index.ts';
import { decodeXml, withFile } from '../core/index.ts';
import { InputError } from './errors.ts';
import type { FileRead } from './regular-file.ts';
import { readRegularFile } from './regular-file.ts';

export interface InputFile {
  /** As the user gave it, so messages name it the same way. */
  fileName: string;
  contents: string;
  /** The file's bytes, as read: libvirt reads them its own way (see core's libvirtText). */
  bytes?: Uint8Array;
  /** Why the file could not be read as XML text (binary, not UTF-8, too large); contents is then empty. */
  problems?: Problem[];
}

/** A folder's or a bundle's entry that should have been read and was not, and why. */
export interface SkippedEntry {
  path: string;
  reason: string;
}

export function toInput(
  fileName: string,
  read: Exclude<FileRead, { kind: 'unreadable' }>,
): InputFile {
  if (read.kind === 'too-large') {
    return { fileName, contents: '', problems: withFile([read.problem], fileName) };
  }
  const text = decodeXml(read.bytes);
  return text.ok
    ? { fileName, contents: text.value, bytes: read.bytes }
    : { fileName, contents: '', bytes: read.bytes, problems: withFile(text.problems, fileName) };
}

/** A file named on the command line; one that is not a regular file, or cannot be read, stops the command. */
export function readInput(fileName: string, maxBytes?: number): InputFile {
  const read = readRegularFile(fileName, maxBytes);
  if (read.kind === 'unreadable') throw new InputError(`${fileName}: ${read.reason}`);
  return toInput(fileName, read);
}
