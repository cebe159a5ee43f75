import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A usage error or an unreadable file: exit status 2. */
export class UsageError extends Error {}

export interface InputFile {
  /** As the user gave it, so messages name it the same way. */
  fileName: string;
  contents: string;
}

export function readInput(fileName: string): InputFile {
  try {
    return { fileName, contents: readFileSync(fileName, 'utf8') };
  } catch (e) {
    throw new UsageError(
      `${fileName}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
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
