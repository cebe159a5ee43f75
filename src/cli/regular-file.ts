import type { Stats } from 'node:fs';
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Problem } from '../core/index.ts';
import { DEFAULT_MAX_FILE_BYTES, fileSizeProblem, overLimitProblem } from '../core/index.ts';
import { systemReason } from './errors.ts';

/** A file's bytes; or refused for its size; or not read at all, and why. */
export type FileRead =
  | { kind: 'read'; bytes: Uint8Array }
  | { kind: 'too-large'; problem: Problem }
  | { kind: 'unreadable'; reason: string };

/** What a path is when it is not a regular file, in the words of `stat`'s manual. */
export function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'directory';
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isBlockDevice()) return 'block device';
  if (stats.isSymbolicLink()) return 'symbolic link';
  return 'special file';
}

/** Why a path cannot be read as a regular file, or undefined when it is one (links followed). */
export function notRegularFile(path: string): string | undefined {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (e) {
    return isDanglingLink(path, e) ? 'cannot read: dangling symbolic link' : cannotRead(e);
  }
  return stats.isFile() ? undefined : `not a regular file (${fileKind(stats)})`;
}

function isDanglingLink(path: string, e: unknown): boolean {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return false;
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

const cannotRead = (e: unknown) => `cannot read: ${systemReason(e)}`;

// Never blocks in open() (a FIFO without a writer) and never takes a terminal as ours.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;
const CHUNK = 64 * 1024;

/**
 * Reads a regular file, at most `maxBytes`. The path is looked at before it is opened — opening a
 * device can act on it — and the descriptor again after, in case the path changed in between. The
 * limit holds while reading: a file may say it is smaller than it is (/proc, a file still growing).
 */
export function readRegularFile(path: string, maxBytes = DEFAULT_MAX_FILE_BYTES): FileRead {
  const refused = notRegularFile(path);
  if (refused) return { kind: 'unreadable', reason: refused };
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    return { kind: 'unreadable', reason: cannotRead(e) };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      return { kind: 'unreadable', reason: `not a regular file (${fileKind(stats)})` };
    }
    const tooLarge = fileSizeProblem(stats.size, maxBytes);
    if (tooLarge) return { kind: 'too-large', problem: tooLarge };
    const bytes = readAtMost(fd, maxBytes, stats.size);
    return bytes
      ? { kind: 'read', bytes }
      : { kind: 'too-large', problem: overLimitProblem(maxBytes) };
  } catch (e) {
    return { kind: 'unreadable', reason: cannotRead(e) };
  } finally {
    closeSync(fd);
  }
}

/** The bytes up to the end, or undefined as soon as there are more than `maxBytes`. */
function readAtMost(fd: number, maxBytes: number, sizeHint: number): Uint8Array | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  // the size it says, plus one byte to see the end: most files are read in one call
  let want = Math.min(Math.max(sizeHint + 1, 4096), maxBytes + 1);
  for (;;) {
    const chunk = Buffer.allocUnsafe(want);
    const n = readSync(fd, chunk, 0, want, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > maxBytes) return undefined;
    want = Math.min(CHUNK, maxBytes + 1 - total);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}
