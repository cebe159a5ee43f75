import type { Dirent, ReadStream } from 'node:fs';
import {
  closeSync,
  constants,
  createReadStream,
  fstatSync,
  openSync,
  readSync,
  readdirSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { BackupHeader, BundleEntry, BundleKind } from '../core/index.ts';
import {
  append,
  BACKUP_HEADER_BYTES,
  bundleKind,
  compareNatural,
  containerHost,
  readBackupFileName,
  readBackupHeader,
  unpackBundle,
} from '../core/index.ts';
import { InputError, systemReason } from './errors.ts';
import type { InputFile, SkippedEntry } from './io.ts';
import { readInput, toInput } from './io.ts';
import { notRegularFile, readRegularFile } from './regular-file.ts';

/**
 * What the command line offers, read as the page reads a drop: files as named, folders walked
 * through (sub-folders too), and bundles (`DOMAIN-checkpoints.tar.gz`, `.tgz`, `.tar`, `.zip`)
 * opened as the folder they hold, with the page's safety rules (core's readBundle).
 */

/** A file read, and where it came from: what grouping by VM looks at. */
export interface GatheredFile extends InputFile {
  /** Its path as offered: as given and walked, or inside its bundle. */
  path: string;
  /** The bundle it was unpacked from, as named or walked (its entries are `ARCHIVE/PATH`). */
  archive?: string;
  /**
   * The host it was collected from: the folder its bundle or `DOMAIN-checkpoints/` folder sits in,
   * below a folder named on the command line (the playbook's `fleet/HOST/DOMAIN-checkpoints.tar.gz`).
   */
  host?: string;
  /** `.json` by its name: qemu-img's or QMP's output about the disk images. */
  json: boolean;
  /** Named on the command line, not met in a folder or a bundle. */
  named: boolean;
}

export interface Gathered {
  files: GatheredFile[];
  /** `.xml`, `.json` and bundles met that could not be read: reported, the exit status at least 1. */
  skipped: SkippedEntry[];
  /** Other files met in folders and bundles (a backup's data and logs): counted, said once. */
  passedOver: number;
  /** Of those, virtnbdbackup's data files, logs and lists: known by their names, never read. */
  backups: GatheredBackup[];
}

/** A virtnbdbackup file met, by its path: where it came from, as a file's. */
export interface GatheredBackup {
  path: string;
  archive?: string;
  host?: string;
  /** A finished data file's header (its first bytes), when it has one. */
  header?: BackupHeader;
}

/**
 * Counts a file passed over; a virtnbdbackup file is kept by its path too, a finished data file
 * with its header, read from its first bytes (`start`, called only for such a file).
 */
function passOver(
  into: Gathered,
  backup: GatheredBackup,
  start: () => Uint8Array | undefined,
): void {
  into.passedOver++;
  const known = readBackupFileName(backup.path);
  if (!known) return;
  const bytes = known.kind === 'data' && !known.partial ? start() : undefined;
  const header = bytes && readBackupHeader(bytes);
  into.backups.push(header ? { ...backup, header } : backup);
}

/** The first bytes of a regular file (never blocking on a FIFO), or undefined when unreadable. */
function firstBytes(path: string): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const bytes = Buffer.alloc(BACKUP_HEADER_BYTES);
    const n = readSync(fd, bytes, 0, bytes.length, 0);
    return bytes.subarray(0, n);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

const XML = /\.xml$/i;
const JSON_NAME = /\.json$/i;

/** The host of a file met under `root` (core's rule, the page's too): the folder its container sits in. */
function hostOf(root: string, path: string): string | undefined {
  return containerHost(relative(root, path).split(sep).join('/'));
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // reading it says why
  }
}

// Never blocks in open() (a FIFO put in its place) and never takes a terminal as ours.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/** Up to this size a bundle is read at once; a larger one is streamed. */
const READ_WHOLE_BYTES = 4 * 1024 * 1024;

/** A bundle's bytes (a stream if large), or why it is no regular file to read (looked at before and after opening). */
function openArchive(path: string): ReadStream | Uint8Array[] | { refused: string } {
  const refused = notRegularFile(path);
  if (refused !== undefined) return { refused };
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    return { refused: `cannot read: ${systemReason(e)}` };
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    return { refused: 'not a regular file' };
  }
  if (stats.size > READ_WHOLE_BYTES) return createReadStream('', { fd, autoClose: true });
  // A small bundle (collect.sh's are a few KiB) in one read: no round trips through the event loop.
  try {
    const bytes = Buffer.allocUnsafe(stats.size);
    let at = 0;
    for (let n = 1; n > 0 && at < bytes.length; at += n)
      n = readSync(fd, bytes, at, bytes.length - at, null);
    return [bytes.subarray(0, at)];
  } finally {
    closeSync(fd);
  }
}

/**
 * A bundle on disk, streamed through core's unpacker (the page's, with its limits and rules): its
 * entries offered as a folder's files would be, what it refuses skipped. Gives why the archive
 * stopped early, if it did (what came before stays), and whether it could be read at all.
 */
async function openBundle(
  archive: string,
  kind: BundleKind,
  host: string | undefined,
  maxBytes: number | undefined,
  into: Gathered,
): Promise<{ stopped?: string; unreadable?: boolean }> {
  const stream = openArchive(archive);
  if ('refused' in stream) return { stopped: stream.refused, unreadable: true };
  const entries: BundleEntry[] = [];
  const outcome = await unpackBundle(stream, kind, {
    name: archive,
    ...(maxBytes === undefined ? {} : { maxEntryBytes: maxBytes }),
    onBatch: (batch) => {
      append(entries, batch.entries);
      for (const s of batch.skipped)
        into.skipped.push({ path: `${archive}: ${s.path}`, reason: s.reason });
    },
  });
  entries.sort((a, b) => compareNatural(a.path, b.path));
  for (const entry of entries) {
    const name = basename(entry.path);
    const json = JSON_NAME.test(name);
    if (!json && !XML.test(name)) {
      passOver(into, { path: entry.path, archive, ...(host !== undefined ? { host } : {}) }, () =>
        entry.bytes.subarray(0, BACKUP_HEADER_BYTES),
      );
      continue;
    }
    into.files.push({
      ...toInput(`${archive}/${entry.path}`, { kind: 'read', bytes: entry.bytes }),
      path: entry.path,
      archive,
      ...(host !== undefined ? { host } : {}),
      json,
      named: false,
    });
  }
  const stopped = outcome.stopped;
  if (!stopped) return {};
  return {
    stopped: stopped.message,
    unreadable: stopped.code === 'bundle-unreadable' && entries.length === 0,
  };
}

async function walk(
  root: string,
  dir: string,
  maxBytes: number | undefined,
  seen: Set<string>,
  into: Gathered,
): Promise<void> {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    into.skipped.push({ path: dir, reason: `cannot read: ${systemReason(e)}` });
    return;
  }
  entries.sort((a, b) => compareNatural(a.name, b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (isFolder(path)) {
      // A link back up would walk for ever: each folder is read once.
      const real = realpathSync(path);
      if (seen.has(real)) continue;
      seen.add(real);
      await walk(root, path, maxBytes, seen, into);
      continue;
    }
    const kind = bundleKind(entry.name);
    const json = JSON_NAME.test(entry.name);
    const host = hostOf(root, path);
    if (!kind && !json && !XML.test(entry.name)) {
      passOver(into, { path, ...(host !== undefined ? { host } : {}) }, () => firstBytes(path));
      continue;
    }
    if (kind) {
      const opened = await openBundle(path, kind, host, maxBytes, into);
      if (opened.stopped !== undefined) into.skipped.push({ path, reason: opened.stopped });
      continue;
    }
    const read = readRegularFile(path, maxBytes);
    if (read.kind === 'unreadable') {
      into.skipped.push({ path, reason: read.reason });
    } else {
      into.files.push({
        ...toInput(path, read),
        path,
        ...(host !== undefined ? { host } : {}),
        json,
        named: false,
      });
    }
  }
}

/**
 * Reads what the paths name: a file as it is (a bundle unpacked), a folder walked through in
 * natural order. A path named that cannot be read stops the command (InputError); what a walk
 * meets and cannot read is skipped, and said.
 */
export async function gatherInputs(paths: readonly string[], maxBytes?: number): Promise<Gathered> {
  const into: Gathered = { files: [], skipped: [], passedOver: 0, backups: [] };
  for (const path of paths) {
    if (isFolder(path)) {
      await walk(path, path, maxBytes, new Set([realpathSync(path)]), into);
      continue;
    }
    const kind = bundleKind(path);
    if (!kind) {
      into.files.push({
        ...readInput(path, maxBytes),
        path,
        json: JSON_NAME.test(path),
        named: true,
      });
      continue;
    }
    const opened = await openBundle(path, kind, undefined, maxBytes, into);
    // Nothing in it could be read: as a file named that cannot be read. Cut short: what came stays.
    if (opened.unreadable) throw new InputError(`${path}: ${opened.stopped ?? 'unreadable'}`);
    if (opened.stopped !== undefined) into.skipped.push({ path, reason: opened.stopped });
  }
  return into;
}

/** The line said once for the files passed over: a backup's data and logs are no error. */
export function passedOverLine(count: number): string | undefined {
  if (count === 0) return undefined;
  return `skipped ${count === 1 ? '1 file that is' : `${count} files that are`} not .xml or .json`;
}
