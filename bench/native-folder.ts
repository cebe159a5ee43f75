// Native xmllint over the folder of part 3, as an operator would check it: one process per 1,000
// files, one after the other.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { XMLLINT, timeProcess } from './native.ts';

export interface NativeFolder {
  files: number;
  processes: number;
  ms: number;
}

export function validateFolderNatively(
  folder: string,
  rootSchema: string,
  perProcess = 1000,
): NativeFolder {
  const paths = readdirSync(folder)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => join(folder, f));
  let ms = 0;
  let processes = 0;
  for (let i = 0; i < paths.length; i += perProcess) {
    ms += timeProcess(XMLLINT, [
      '--noout',
      '--relaxng',
      rootSchema,
      ...paths.slice(i, i + perProcess),
    ]);
    processes++;
  }
  return { files: paths.length, processes, ms };
}
