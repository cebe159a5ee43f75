// The bench's inputs on disk: src/samples' backup folder (checkpoints as `virsh checkpoint-dumpxml`
// prints them for a running KVM guest, each with its full <domain>, in chains with branches).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedCheckpoint } from '../src/samples/index.ts';
import { bigCheckpoint } from '../e2e/long-tasks.ts';

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

/**
 * The checkpoints as scripts/collect.sh packs them: DOMAIN-checkpoints/checkpoints/NAME.xml,
 * archived from the folder above it as `./DOMAIN-checkpoints`, its members listed in their paths'
 * natural order (`find -print0 | sort -z -V | tar --null --no-recursion -T -`). Returns the archive.
 */
export function packBundle(checkpoints: readonly GeneratedCheckpoint[], dir: string): string {
  const first = checkpoints[0]?.contents ?? '';
  const domain = /<domain[^>]*>\s*<name>([^<]+)<\/name>/.exec(first)?.[1] ?? 'guest';
  const out = `${domain}-checkpoints`;
  writeCheckpoints(join(dir, out, 'checkpoints'), checkpoints);
  const archive = join(dir, `${out}.tar.gz`);
  // Its members listed in their paths' natural order, as collect.sh lists them.
  const members = execFileSync('find', [`./${out}`, '-print0'], { cwd: dir, maxBuffer: 1 << 30 });
  const inOrder = execFileSync('sort', ['-z', '-V'], { input: members, maxBuffer: 1 << 30 });
  writeFileSync(
    archive,
    execFileSync('tar', ['-czf', '-', '--null', '--no-recursion', '-T', '-'], {
      cwd: dir,
      input: inOrder,
      maxBuffer: 1 << 30,
    }),
  );
  return archive;
}

/** e2e/big-file.spec.ts's file: a valid checkpoint `big` of about 15 MB, as big.xml in `dir`. */
export function writeBigFile(dir: string): string {
  const big = bigCheckpoint(15_000_000);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const path = join(dir, big.fileName);
  writeFileSync(path, big.contents);
  return path;
}
