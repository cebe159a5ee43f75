import { DEFAULT_MAX_FILE_BYTES, fileSizeProblem } from './limits.ts';

/** A regular file of the bundle, under its path inside it (checked, `./` and `//` taken out). */
export interface BundleEntry {
  path: string;
  bytes: Uint8Array;
}

/** An entry left out, and why: its path is shown as the archive wrote it. */
export interface BundleSkip {
  path: string;
  reason: string;
}

/** Entries as they are unpacked, handed over many at a time. */
export interface BundleBatch {
  entries: BundleEntry[];
  skipped: BundleSkip[];
}

export interface BundleLimits {
  /** One entry larger than this is skipped unread (default: the file limit, 16 MiB). */
  maxEntryBytes?: number;
  /** The whole archive unpacked may not be larger than this (default 256 MiB): a gzip bomb stops here. */
  maxTotalBytes?: number;
}

export const DEFAULT_MAX_BUNDLE_BYTES = 256 * 1024 * 1024;

/** A batch is handed over once it holds this many entries (or skips), or this many bytes. */
const BATCH_ENTRIES = 1000;
const BATCH_BYTES = 4 * 1024 * 1024;

/**
 * A path inside an archive, never trusted: relative, `/`-separated, no `..`, no control
 * characters. Gives the path cleaned (`./a//b` is `a/b`; '' for the archive's root) or why not.
 */
export function bundlePath(name: string): { path: string } | { refused: string } {
  for (const c of name) {
    const code = c.codePointAt(0) as number;
    if (code < 0x20 || code === 0x7f) return { refused: 'path with control characters' };
  }
  if (name.includes('\\')) return { refused: 'path with a backslash' };
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return { refused: 'absolute path' };
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return { refused: 'path leaves the bundle (..)' };
  return { path: parts.join('/') };
}

/** What an entry is, in the words a skip gives: anything but a file or a folder is never read. */
export type EntryType =
  | 'file'
  | 'directory'
  | 'symlink'
  | 'link'
  | 'character-device'
  | 'block-device'
  | 'fifo'
  | 'socket'
  | 'other';

const KINDS: Record<Exclude<EntryType, 'file' | 'directory'>, string> = {
  symlink: 'a symbolic link',
  link: 'a hard link',
  'character-device': 'a character device',
  'block-device': 'a block device',
  fifo: 'a FIFO',
  socket: 'a socket',
  other: 'not a regular file',
};

/**
 * Pieces joined into one buffer of its own (a lone piece that is one already is kept), so that
 * an entry can be handed to another thread alone.
 */
export function joinBytes(parts: readonly Uint8Array[], length: number): Uint8Array {
  const only = parts[0];
  if (
    parts.length === 1 &&
    only &&
    only.byteOffset === 0 &&
    only.byteLength === only.buffer.byteLength
  ) {
    return only;
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

export function tooLargeEntry(bytes: number, limit: number): string {
  return fileSizeProblem(bytes, limit)?.message ?? 'too large';
}

/** Where the unpackers put what they find: checks each entry, counts, and hands batches over. */
export interface BundleSink {
  readonly maxEntryBytes: number;
  readonly maxTotalBytes: number;
  /**
   * Whether an entry is taken, before its bytes are read: its checked path, or why it is
   * skipped (and then it is listed). A folder is neither: structure only.
   */
  admit(
    name: string,
    type: EntryType,
    size: number,
    linkName?: string,
  ): { path: string } | { skipped: true } | { directory: true };
  take(path: string, bytes: Uint8Array): void;
  skip(name: string, reason: string): void;
  /** Hands over what is waiting. */
  flush(): void;
}

export function createBundleSink(
  archive: string,
  limits: BundleLimits,
  onBatch: (batch: BundleBatch) => void,
): BundleSink {
  const maxEntryBytes = limits.maxEntryBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxTotalBytes = limits.maxTotalBytes ?? DEFAULT_MAX_BUNDLE_BYTES;
  // Each path once: a folder cannot hold two files of one name, and the first is never dropped.
  const claimed = new Set<string>();
  let batch: BundleBatch = { entries: [], skipped: [] };
  let bytes = 0;
  const flush = () => {
    if (batch.entries.length === 0 && batch.skipped.length === 0) return;
    const ready = batch;
    batch = { entries: [], skipped: [] };
    bytes = 0;
    onBatch(ready);
  };
  const full = () => {
    if (batch.entries.length + batch.skipped.length >= BATCH_ENTRIES || bytes >= BATCH_BYTES) {
      flush();
    }
  };
  const skip = (name: string, reason: string) => {
    batch.skipped.push({ path: name, reason });
    full();
  };
  return {
    maxEntryBytes,
    maxTotalBytes,
    admit(name, type, size, linkName) {
      const checked = bundlePath(name);
      if (type === 'directory' && !('refused' in checked)) return { directory: true };
      let reason: string | undefined;
      if ('refused' in checked) reason = checked.refused;
      else if (type !== 'file') {
        reason = `${KINDS[type === 'directory' ? 'other' : type]}${linkName ? ` (to ${linkName})` : ''}, not a file`;
        if (type === 'other') reason = KINDS.other;
      } else if (size > maxEntryBytes) reason = tooLargeEntry(size, maxEntryBytes);
      else if (claimed.has(checked.path)) {
        reason = `a second entry named ${checked.path} in ${archive}: the first is the one opened`;
      }
      if (reason !== undefined || 'refused' in checked) {
        skip(name, reason ?? 'not a file');
        return { skipped: true };
      }
      claimed.add(checked.path);
      return { path: checked.path };
    },
    take(path, entryBytes) {
      batch.entries.push({ path, bytes: entryBytes });
      bytes += entryBytes.length;
      full();
    },
    skip,
    flush,
  };
}
