// The bench's inputs on disk: src/samples' backup folder (checkpoints as `virsh checkpoint-dumpxml`
// prints them for a running KVM guest, each with its full <domain>, in chains with branches).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedCheckpoint } from '../src/samples/index.ts';

/** Writes the checkpoints to `dir` (emptied first) and returns their paths, in order. */
export function writeCheckpoints(
  dir: string,
  checkpoints: readonly GeneratedCheckpoint[],
): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const paths = checkpoints.map((c) => join(dir, c.fileName));
  checkpoints.forEach((c, i) => writeFileSync(paths[i] as string, c.contents));
  if (readdirSync(dir).length !== checkpoints.length)
    throw new Error(`${dir}: duplicate file names`);
  return paths;
}
