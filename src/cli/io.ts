import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../core/index.ts';
import { decodeXml, fileSizeProblem, withFile } from '../core/index.ts';

/** A usage error or an unreadable file: exit status 2. */
export class UsageError extends Error {}

export interface InputFile {
  /** As the user gave it, so messages name it the same way. */
  fileName: string;
  contents: string;
  /** Why the file could not be read as XML text (binary, not UTF-8, too large); contents is then empty. */
  problems?: Problem[];
}

export function readInput(fileName: string, maxBytes?: number): InputFile {
  let bytes: Uint8Array;
  try {
    const size = statSync(fileName).size;
    const tooLarge = fileSizeProblem(size, maxBytes);
    if (tooLarge) return { fileName, contents: '', problems: withFile([tooLarge], fileName) };
    bytes = readFileSync(fileName);
  } catch (e) {
    throw new UsageError(
      `${fileName}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      { cause: e },
    );
  }
  const text = decodeXml(bytes);
  return text.ok
    ? { fileName, contents: text.value }
    : { fileName, contents: '', problems: withFile(text.problems, fileName) };
}

/** Files as given, and the *.xml files of folders as given, in name order. */
export function expandInputs(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      // let readInput report it
    }
    if (!isDir) files.push(p);
    else
      for (const name of readdirSync(p).sort())
        if (name.endsWith('.xml')) files.push(join(p, name));
  }
  return files;
}
