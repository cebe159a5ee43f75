import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../core/index.ts';
import { decodeXml, withFile } from '../core/index.ts';
import { InputError, systemReason } from './errors.ts';
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

/** A folder's entry named like a checkpoint that is not one to read, and why. */
export interface SkippedEntry {
  path: string;
  reason: string;
}

/** What the paths on a command line hold: the files read, and the folder entries passed over. */
export interface Inputs {
  files: InputFile[];
  skipped: SkippedEntry[];
}

function toInput(fileName: string, read: Exclude<FileRead, { kind: 'unreadable' }>): InputFile {
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

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // readInput says why
  }
}

/**
 * Files as given, and the *.xml entries of folders as given (or those ending in `extensions`), in
 * name order. An entry that is not a regular file (a folder, a dangling link, a FIFO, a device, a
 * socket) is skipped, and said so: one such entry does not stop the walk.
 */
export function readInputs(
  paths: readonly string[],
  maxBytes?: number,
  extensions: readonly string[] = ['.xml'],
): Inputs {
  const inputs: Inputs = { files: [], skipped: [] };
  for (const path of paths) {
    if (!isFolder(path)) {
      inputs.files.push(readInput(path, maxBytes));
      continue;
    }
    let names: string[];
    try {
      names = readdirSync(path).sort();
    } catch (e) {
      throw new InputError(`${path}: cannot read: ${systemReason(e)}`, { cause: e });
    }
    for (const name of names) {
      if (!extensions.some((ext) => name.endsWith(ext))) continue;
      const entry = join(path, name);
      const read = readRegularFile(entry, maxBytes);
      if (read.kind === 'unreadable') inputs.skipped.push({ path: entry, reason: read.reason });
      else inputs.files.push(toInput(entry, read));
    }
  }
  return inputs;
}
