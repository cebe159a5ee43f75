import { gunzipSync, unzipSync } from 'fflate';
import { unpackTar } from 'modern-tar';
import type { TarHeader } from 'modern-tar';
import { DEFAULT_MAX_FILE_BYTES, fileSizeProblem } from './limits.ts';
import type { Result } from './problem.ts';
import { problem } from './problem.ts';

/** The archives a collected bundle comes as: scripts/collect.sh writes .tar.gz; an operator may re-pack. */
export type BundleKind = 'tar' | 'tar.gz' | 'zip';

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

export interface Bundle {
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

/** The bundle kind a file name says, or undefined when it is not an archive we open. */
export function bundleKind(fileName: string): BundleKind | undefined {
  if (/\.(tar\.gz|tgz)$/i.test(fileName)) return 'tar.gz';
  if (/\.tar$/i.test(fileName)) return 'tar';
  if (/\.zip$/i.test(fileName)) return 'zip';
  return undefined;
}

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

const KINDS: Record<string, string> = {
  symlink: 'a symbolic link',
  link: 'a hard link',
  'character-device': 'a character device',
  'block-device': 'a block device',
  fifo: 'a FIFO',
};

function tooLarge(bytes: number, limit: number): string {
  return fileSizeProblem(bytes, limit)?.message ?? 'too large';
}

/** gunzip, stopping as soon as the output passes `limit`, so a bomb is never unpacked whole. */
function gunzipLimited(bytes: Uint8Array, limit: number): Uint8Array | string {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new Error('no gzip header');
  // gzip's trailer holds the size modulo 2^32: a first bound, then the real one while unpacking.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = bytes.length >= 18 ? view.getUint32(bytes.length - 4, true) : 0;
  if (declared > limit) return `unpacks to ${tooLarge(declared, limit).replace(/^file is /, '')}`;
  const out = gunzipSync(bytes, { out: new Uint8Array(Math.max(declared, 1)) });
  return out.length > limit ? `unpacks to more than the limit of ${limit} bytes` : out;
}

async function readTar(tar: Uint8Array, limits: Required<BundleLimits>): Promise<Result<Bundle>> {
  const entries: BundleEntry[] = [];
  const skipped: BundleSkip[] = [];
  const take = new Map<TarHeader, string>();
  let total = 0;
  let unpacked: Awaited<ReturnType<typeof unpackTar>>;
  try {
    unpacked = await unpackTar(tar, {
      strict: true,
      // Seen before the entry's bytes are copied: what is refused is never read.
      filter: (header) => {
        const checked = bundlePath(header.name);
        const type = header.type ?? 'file';
        if (type === 'directory') return false;
        let reason: string | undefined;
        if ('refused' in checked) reason = checked.refused;
        else if (type !== 'file')
          reason = `${KINDS[type] ?? type}${header.linkname ? ` (to ${header.linkname})` : ''}, not a file`;
        else if (header.size > limits.maxEntryBytes)
          reason = tooLarge(header.size, limits.maxEntryBytes);
        else if ((total += header.size) > limits.maxTotalBytes)
          reason = 'past the bundle’s limit of ' + limits.maxTotalBytes + ' bytes';
        if (reason !== undefined || !('path' in checked)) {
          skipped.push({ path: header.name, reason: reason ?? 'not a file' });
          return false;
        }
        take.set(header, checked.path);
        return true;
      },
    });
  } catch (e) {
    return {
      ok: false,
      problems: [problem('bundle-unreadable', `not a tar archive: ${message(e)}`)],
    };
  }
  for (const { header, data } of unpacked) {
    const path = take.get(header);
    if (path !== undefined && data) entries.push({ path, bytes: data });
  }
  return { ok: true, value: { entries, skipped }, problems: [] };
}

/** Unix file types in a zip's central directory (made on Unix: external attributes' high half). */
function zipUnixModes(zip: Uint8Array): Map<string, number> {
  const modes = new Map<string, number>();
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) return modes;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  for (let i = 0; i < count && at + 46 <= zip.length; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) break;
    const madeOnUnix = view.getUint8(at + 5) === 3;
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const name = decoder.decode(zip.subarray(at + 46, at + 46 + nameLength));
    if (madeOnUnix) modes.set(name, view.getUint32(at + 38, true) >>> 16);
    at += 46 + nameLength + extra;
  }
  return modes;
}

function readZip(zip: Uint8Array, limits: Required<BundleLimits>): Result<Bundle> {
  const entries: BundleEntry[] = [];
  const skipped: BundleSkip[] = [];
  const modes = zipUnixModes(zip);
  const take = new Map<string, string>();
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, {
      filter: (file) => {
        if (file.name.endsWith('/')) return false;
        const checked = bundlePath(file.name);
        const type = (modes.get(file.name) ?? 0) & 0o170000;
        let reason: string | undefined;
        if ('refused' in checked) reason = checked.refused;
        else if (type === 0o120000) reason = 'a symbolic link, not a file';
        else if (type !== 0 && type !== 0o100000) reason = 'not a regular file';
        else if (file.originalSize > limits.maxEntryBytes)
          reason = tooLarge(file.originalSize, limits.maxEntryBytes);
        else if ((total += file.originalSize) > limits.maxTotalBytes)
          reason = 'past the bundle’s limit of ' + limits.maxTotalBytes + ' bytes';
        if (reason !== undefined || !('path' in checked)) {
          skipped.push({ path: file.name, reason: reason ?? 'not a file' });
          return false;
        }
        take.set(file.name, checked.path);
        return true;
      },
    });
  } catch (e) {
    return {
      ok: false,
      problems: [problem('bundle-unreadable', `not a zip archive: ${message(e)}`)],
    };
  }
  for (const [name, bytes] of Object.entries(files)) {
    const path = take.get(name);
    // fflate unpacks into the size the archive declares: a lie shows as a different length.
    if (path !== undefined) entries.push({ path, bytes });
  }
  return { ok: true, value: { entries, skipped }, problems: [] };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Reads a collected bundle (scripts/collect.sh's DOMAIN-checkpoints.tar.gz, or the folder as .tar
 * or .zip): its regular files, each under its checked path; folders taken as structure; anything
 * else — a path that is absolute or climbs out with `..`, a link, a device, an entry over the
 * limit — skipped with the reason. Nothing is ever written anywhere: the paths only name files.
 */
export async function readBundle(
  bytes: Uint8Array,
  kind: BundleKind,
  limits: BundleLimits = {},
): Promise<Result<Bundle>> {
  const all: Required<BundleLimits> = {
    maxEntryBytes: limits.maxEntryBytes ?? DEFAULT_MAX_FILE_BYTES,
    maxTotalBytes: limits.maxTotalBytes ?? DEFAULT_MAX_BUNDLE_BYTES,
  };
  if (kind === 'zip') return readZip(bytes, all);
  if (kind === 'tar') return readTar(bytes, all);
  let tar: Uint8Array | string;
  try {
    tar = gunzipLimited(bytes, all.maxTotalBytes);
  } catch (e) {
    return {
      ok: false,
      problems: [problem('bundle-unreadable', `not a gzip file: ${message(e)}`)],
    };
  }
  if (typeof tar === 'string') return { ok: false, problems: [problem('bundle-too-large', tar)] };
  return readTar(tar, all);
}
