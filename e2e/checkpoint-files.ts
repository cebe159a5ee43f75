// Checkpoint files on disk for the e2e tests: what src/samples generates, written to a folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedCheckpoint } from '../src/samples/index.ts';

/** Writes the files into `dir` (created if need be) and returns it. */
export function writeCheckpoints(dir: string, files: readonly GeneratedCheckpoint[]): string {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.fileName), f.contents);
  return dir;
}
