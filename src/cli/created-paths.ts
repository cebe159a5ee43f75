import type { Stats } from 'node:fs';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { InputError, systemReason } from './errors.ts';

/** A folder this run made, as it was made: a path replaced since is not it. */
export interface MadeFolder {
  path: string;
  dev: number;
  ino: number;
}

// O_EXCL: the file is new, or open fails; with O_CREAT it never follows a link at the path, even a
// dangling one. O_NOFOLLOW says so again for systems that would.
const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * What one run creates, each folder and file anew, never through a link nor over anything; and,
 * unless the run finishes, removed again: each file this run wrote, then each folder it made if
 * nothing else is in it. A rerun then starts as the first did.
 */
export class CreatedPaths {
  private readonly made: { path: string; dev: number; ino: number; folder: boolean }[] = [];
  private kept = false;

  /** A new folder: `mkdir` alone fails if anything is at the path (a link, a folder made meanwhile). */
  folder(path: string): MadeFolder {
    try {
      mkdirSync(path, 0o755);
    } catch (e) {
      throw refused(path, e);
    }
    const stats = lstatSync(path);
    this.made.push({ path, dev: stats.dev, ino: stats.ino, folder: true });
    return { path, dev: stats.dev, ino: stats.ino };
  }

  /** A new file holding `data`, in `inside` if given, which must still be the folder this run made. */
  file(path: string, data: string | Uint8Array, inside?: MadeFolder): void {
    if (inside) stillMade(inside);
    let fd: number;
    try {
      fd = openSync(path, CREATE, 0o644);
    } catch (e) {
      throw refused(path, e);
    }
    try {
      const stats = fstatSync(fd);
      this.made.push({ path, dev: stats.dev, ino: stats.ino, folder: false });
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    } finally {
      closeSync(fd);
    }
  }

  /** The run finished: what it created stays. */
  keep(): void {
    this.kept = true;
  }

  /**
   * Unless kept, removes what this run created, newest first; says so of the first folder it made,
   * and says what it had to leave (a folder someone else wrote into, a path replaced meanwhile).
   */
  removeUnlessKept(): string[] {
    if (this.kept) return [];
    const first = this.made[0];
    const left: string[] = [];
    let removedFirst = false;
    for (const made of this.made.splice(0).reverse()) {
      let now: Stats;
      try {
        now = lstatSync(made.path);
      } catch {
        continue;
      }
      if (now.dev !== made.dev || now.ino !== made.ino) {
        left.push(`left ${made.path}: replaced during the run`);
        continue;
      }
      try {
        if (made.folder) rmdirSync(made.path);
        else unlinkSync(made.path);
        removedFirst ||= made === first;
      } catch (e) {
        left.push(`left ${made.path}: ${systemReason(e)}`);
      }
    }
    return removedFirst && first?.folder
      ? [`removed ${first.path}, which this run made`, ...left]
      : left;
  }
}

/** Why a path cannot be created: what is there already is said for what it is. */
function refused(path: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EEXIST' || code === 'ELOOP') {
    let what = 'something';
    try {
      const stats = lstatSync(path);
      what = stats.isSymbolicLink()
        ? 'a symbolic link'
        : stats.isDirectory()
          ? 'a folder'
          : 'a file';
    } catch {
      // gone again: still not created by this run
    }
    return new InputError(
      `${path}: ${what} is there already: nothing written to it (move it away first)`,
      {
        cause: e,
      },
    );
  }
  return new InputError(`${path}: cannot create: ${systemReason(e)}`, { cause: e });
}

/** The folder a file goes in must be the one this run made: a link put in its place is not followed. */
function stillMade(folder: MadeFolder): void {
  let stats: Stats | undefined;
  try {
    stats = lstatSync(folder.path);
  } catch {
    stats = undefined;
  }
  if (!stats?.isDirectory() || stats.dev !== folder.dev || stats.ino !== folder.ino) {
    throw new InputError(`${folder.path} was replaced during the run: nothing written to it`);
  }
}
