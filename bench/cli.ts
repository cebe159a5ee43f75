// The CLI's start: `validate` of one file as a whole process, against `node -e 0`.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT } from './build.ts';
import { timeProcess } from './native.ts';
import type { Summary } from './stats.ts';
import { summarize } from './stats.ts';

export interface CliBench {
  validate: Summary;
  node: Summary;
}

export function benchCli(file: string, runs: number): CliBench {
  const bin = join(PROJECT, 'bin', 'checkpoint-editor.mjs');
  // The bundle as `npm install` makes it: bin/ runs the sources through tsx where it is older.
  execFileSync(process.execPath, [join(PROJECT, 'scripts', 'build-cli.mjs')], { stdio: 'ignore' });
  const validate: number[] = [];
  const node: number[] = [];
  // Taking turns, run for run, so that the machine's load falls on both alike.
  for (let i = 0; i < runs + 1; i++) {
    const v = timeProcess(process.execPath, [bin, 'validate', file]);
    const n = timeProcess(process.execPath, ['-e', '0']);
    // The first of each warms the file cache.
    if (i > 0) {
      validate.push(v);
      node.push(n);
    }
  }
  return { validate: summarize(validate), node: summarize(node) };
}
