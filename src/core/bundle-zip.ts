import { Inflate } from 'fflate';
import { tooLarge } from './bundle-gzip.ts';
import type { BundleSink, EntryType } from './bundle-sink.ts';
import { joinBytes } from './bundle-sink.ts';
import { BundleStop } from './bundle-stop.ts';
import { overLimitProblem, sizeText } from './limits.ts';

/** Compressed bytes inflated at once: at most about 16 MiB out, then the counts are checked. */
const SLICE = 16 * 1024;

/** One file as the zip's central directory lists it (APPNOTE.TXT 4.3.12), the zip's own word on it. */
interface CentralEntry {
  name: string;
  type: EntryType;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const u16 = (v: DataView, at: number) => v.getUint16(at, true);
const u32 = (v: DataView, at: number) => v.getUint32(at, true);
const u64 = (v: DataView, at: number) => Number(v.getBigUint64(at, true));

/**
 * A name as written: UTF-8 where the entry says so (bit 11) or where its bytes are UTF-8 (as
 * Info-ZIP's unzip shows them on Linux), else Latin-1 (as fflate read them). The entry's type never
 * depends on this: it comes from the entry's own record, not from a lookup by name.
 */
function decodeName(bytes: Uint8Array, utf8Flag: boolean): string {
  if (utf8Flag) return new TextDecoder().decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

/** The type of an entry from its external attributes: the Unix mode when made on Unix or macOS. */
function entryType(madeBy: number, attributes: number, name: string): EntryType {
  const host = madeBy >> 8;
  const mode = attributes >>> 16;
  if ((host === 3 || host === 19) && mode !== 0) {
    switch (mode & 0o170000) {
      case 0o100000:
        return 'file';
      case 0o040000:
        return 'directory';
      case 0o120000:
        return 'symlink';
      case 0o020000:
        return 'character-device';
      case 0o060000:
        return 'block-device';
      case 0o010000:
        return 'fifo';
      case 0o140000:
        return 'socket';
      case 0:
        break;
      default:
        return 'other';
    }
  }
  // MS-DOS attributes (the low byte): 0x10 is a folder.
  if (name.endsWith('/') || (attributes & 0x10) !== 0) return 'directory';
  return 'file';
}

/** The zip64 extended information field (0x0001): the 64-bit values of fields saturated in the header. */
function zip64Values(view: DataView, from: number, to: number, wanted: number): number[] {
  for (let at = from; at + 4 <= to;) {
    const id = u16(view, at);
    const size = u16(view, at + 2);
    if (id === 0x0001) {
      const values: number[] = [];
      for (let i = 0; i < wanted && at + 4 + 8 * (i + 1) <= to; i++) {
        values.push(u64(view, at + 4 + 8 * i));
      }
      return values;
    }
    at += 4 + size;
  }
  return [];
}

const damaged = (what: string) => new BundleStop('bundle-damaged', `damaged: ${what}`);

/** The central directory's entries, in its order, or why the bytes are not a zip. */
function centralDirectory(zip: Uint8Array): CentralEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  while (end >= stop && u32(view, end) !== 0x06054b50) end--;
  if (end < stop) {
    throw new BundleStop('bundle-unreadable', 'not a zip archive: no end of central directory');
  }
  let count = u16(view, end + 10);
  let at = u32(view, end + 16);
  if (u16(view, end + 4) !== 0 || u16(view, end + 6) !== 0) {
    throw new BundleStop('bundle-unreadable', 'not read: a zip split over several disks');
  }
  if (count === 0xffff || at === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || u32(view, locator) !== 0x07064b50) throw damaged('no zip64 end record');
    const end64 = u64(view, locator + 8);
    if (end64 + 56 > zip.length || u32(view, end64) !== 0x06064b50) {
      throw damaged('no zip64 end record');
    }
    count = u64(view, end64 + 32);
    at = u64(view, end64 + 48);
  }
  const entries: CentralEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || u32(view, at) !== 0x02014b50) {
      throw damaged(`the central directory ends after ${i} of ${count} entries`);
    }
    const flags = u16(view, at + 8);
    const nameLength = u16(view, at + 28);
    const extraEnd = at + 46 + nameLength + u16(view, at + 30);
    const name = decodeName(zip.subarray(at + 46, at + 46 + nameLength), (flags & 0x800) !== 0);
    let size = u32(view, at + 24);
    let compressedSize = u32(view, at + 20);
    let localOffset = u32(view, at + 42);
    const saturated = [size, compressedSize, localOffset].filter((v) => v === 0xffffffff).length;
    if (saturated > 0) {
      const wide = zip64Values(
        view,
        at + 46 + nameLength,
        Math.min(extraEnd, zip.length),
        saturated,
      );
      if (size === 0xffffffff) size = wide.shift() ?? size;
      if (compressedSize === 0xffffffff) compressedSize = wide.shift() ?? compressedSize;
      if (localOffset === 0xffffffff) localOffset = wide.shift() ?? localOffset;
    }
    entries.push({
      name,
      type: entryType(u16(view, at + 4), u32(view, at + 38), name),
      flags,
      method: u16(view, at + 10),
      compressedSize,
      size,
      localOffset,
    });
    at = extraEnd + u16(view, at + 32);
  }
  return entries;
}

/** An entry's compressed bytes, found through its local header; undefined when not where it says. */
function compressedData(zip: Uint8Array, entry: CentralEntry): Uint8Array | undefined {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const at = entry.localOffset;
  if (at + 30 > zip.length || u32(view, at) !== 0x04034b50) return undefined;
  const start = at + 30 + u16(view, at + 26) + u16(view, at + 28);
  if (start + entry.compressedSize > zip.length) return undefined;
  return zip.subarray(start, start + entry.compressedSize);
}

/**
 * An entry's bytes as they come out of the inflater, never more than the entry's limit whatever
 * its header says; a string says why it is skipped. `count` adds to the bundle's whole count.
 */
function inflateEntry(
  data: Uint8Array,
  entry: CentralEntry,
  maxEntryBytes: number,
  count: (bytes: number) => void,
): Uint8Array | string {
  const parts: Uint8Array[] = [];
  let length = 0;
  const inflate = new Inflate((chunk) => {
    parts.push(chunk);
    length += chunk.length;
  });
  const overEntry = () =>
    `unpacks to more than ${sizeText(maxEntryBytes)}, the limit, though its header says ${sizeText(entry.size)}`;
  try {
    for (let at = 0; at < data.length; at += SLICE) {
      const before = length;
      inflate.push(data.subarray(at, at + SLICE), false);
      count(length - before);
      if (length > maxEntryBytes) return overEntry();
    }
    const before = length;
    inflate.push(new Uint8Array(0), true);
    count(length - before);
    if (length > maxEntryBytes) return overEntry();
  } catch (e) {
    if (e instanceof BundleStop) throw e;
    return `damaged: its compressed data ${(e as { code?: number }).code === 0 ? 'ends too soon' : `cannot be read (${(e as Error).message})`}`;
  }
  if (length !== entry.size)
    return `damaged: it unpacks to ${length} bytes, its header says ${entry.size}`;
  return joinBytes(parts, length);
}

/** The zip's bytes, read whole (its central directory is at its end), never past `limit`. */
async function collect(
  source: AsyncIterable<Uint8Array>,
  limit: number,
  onRead: (n: number) => void,
) {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of source) {
    length += chunk.length;
    if (length > limit) throw new BundleStop('bundle-too-large', overLimitProblem(limit).message);
    parts.push(chunk);
    onRead(length);
  }
  return joinBytes(parts, length);
}

/**
 * The files of a zip, as its central directory lists them: each checked by the sink before it is
 * inflated (types from the entry's own external attributes), each inflated as a stream and
 * counted as it comes out, so that an entry that says 100 bytes and holds a GiB stops at the
 * entry's limit and the whole zip at the bundle's.
 */
export async function readZipStream(
  source: AsyncIterable<Uint8Array>,
  sink: BundleSink,
  onRead: (bytes: number) => void,
  onUnpacked: (bytes: number) => void,
): Promise<void> {
  const zip = await collect(source, sink.maxTotalBytes, onRead);
  let unpacked = 0;
  const count = (bytes: number) => {
    unpacked += bytes;
    if (unpacked > sink.maxTotalBytes) throw tooLarge(sink.maxTotalBytes);
    onUnpacked(unpacked);
  };
  for (const entry of centralDirectory(zip)) {
    const admitted = sink.admit(entry.name, entry.type, entry.size);
    if (!('path' in admitted)) continue;
    let bytes: Uint8Array | string;
    const data = compressedData(zip, entry);
    if (!data) bytes = 'damaged: its data is not where the zip says';
    else if (entry.flags & 1) bytes = 'encrypted: not read';
    else if (entry.method === 0) {
      bytes =
        entry.compressedSize === entry.size
          ? data.slice()
          : 'damaged: its stored size differs from its size';
      if (typeof bytes !== 'string') count(bytes.length);
    } else if (entry.method === 8) bytes = inflateEntry(data, entry, sink.maxEntryBytes, count);
    else bytes = `compressed with method ${entry.method}: only stored and deflate are read`;
    if (typeof bytes === 'string') sink.skip(entry.name, bytes);
    else sink.take(admitted.path, bytes);
  }
}
