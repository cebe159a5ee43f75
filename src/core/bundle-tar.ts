import { createTarDecoder } from 'modern-tar';
import type { TarHeader } from 'modern-tar';
import { tooLarge } from './bundle-gzip.ts';
import type { BundleSink, EntryType } from './bundle-sink.ts';
import { joinBytes } from './bundle-sink.ts';
import { BundleStop } from './bundle-stop.ts';

const TYPES: Partial<Record<NonNullable<TarHeader['type']>, EntryType>> = {
  file: 'file',
  directory: 'directory',
  symlink: 'symlink',
  link: 'link',
  'character-device': 'character-device',
  'block-device': 'block-device',
  fifo: 'fifo',
};

/** Tar bytes given to the decoder at once. */
const WRITE = 64 * 1024;

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Why the entry being read when the archive stops is not taken. */
const INSIDE: Partial<Record<BundleStop['code'], string>> = {
  'bundle-too-large': 'past the bundle’s limit: not read whole',
  'bundle-cut-short': 'cut short: the archive ends inside it',
  'bundle-cancelled': 'not read whole: cancelled',
};

/** modern-tar's words for a tar that ends too soon or is not tar, as a stop of the archive. */
function tarStop(e: unknown, entries: number): BundleStop {
  if (e instanceof BundleStop) return e;
  const said = e instanceof Error ? e.message : String(e);
  if (/truncated/i.test(said)) {
    return new BundleStop('bundle-cut-short', 'cut short: its tar data ends inside an entry');
  }
  return entries === 0
    ? new BundleStop('bundle-unreadable', `not a tar archive: ${said}`)
    : new BundleStop('bundle-damaged', `damaged: ${said}; read up to there`);
}

/**
 * The entries of a tar stream (modern-tar's streaming decoder, strict: checksums and truncation
 * are errors), each checked by the sink before its bytes are read; the tar bytes are counted as
 * they come, so that past the bundle's limit nothing more is read.
 */
export async function readTarStream(
  tar: AsyncIterable<Uint8Array>,
  sink: BundleSink,
  onUnpacked: (bytes: number) => void,
): Promise<void> {
  const decoder = createTarDecoder({ strict: true });
  const writer = decoder.writable.getWriter();
  const reader = decoder.readable.getReader();
  let unpacked = 0;
  let headers = 0;
  /** The entry whose bytes are being read: when the archive stops inside it, it is listed. */
  let current: string | undefined;
  const feeding = (async () => {
    let stop: unknown;
    try {
      for await (const chunk of tar) {
        const room = sink.maxTotalBytes - unpacked;
        if (chunk.length > room) {
          // Up to the limit exactly: an entry that ends before it is still taken.
          if (room > 0) await writer.write(chunk.subarray(0, room));
          throw tooLarge(sink.maxTotalBytes);
        }
        unpacked += chunk.length;
        onUnpacked(unpacked);
        // The decoder holds up to 1 MiB before it waits for the reader: smaller writes keep it moving.
        for (let at = 0; at < chunk.length; at += WRITE)
          await writer.write(chunk.subarray(at, at + WRITE));
      }
    } catch (e) {
      stop = e;
    }
    // The reader takes every entry that came whole before the decoder hears of the end: an
    // error drops what it has not handed over yet.
    await nextTask();
    if (stop === undefined) return writer.close();
    await writer.abort(stop).catch(() => undefined);
    throw stop;
  })();
  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      headers++;
      const { header, body } = value;
      const type = TYPES[header.type ?? 'file'] ?? 'other';
      const admitted = sink.admit(header.name, type, header.size, header.linkname);
      if (!('path' in admitted)) {
        await body.cancel();
        continue;
      }
      current = header.name;
      const parts: Uint8Array[] = [];
      let length = 0;
      const bodyReader = body.getReader();
      for (;;) {
        const part = await bodyReader.read();
        if (part.done) break;
        parts.push(part.value);
        length += part.value.length;
      }
      current = undefined;
      sink.take(admitted.path, joinBytes(parts, length));
    }
  })();
  const [fed, read] = await Promise.allSettled([feeding, reading]);
  // The stream's own stop (gzip cut short, the limit) says more than the decoder's echo of it.
  const failed = [fed, read].find((r) => r.status === 'rejected');
  if (!failed) return;
  const stop = tarStop(failed.reason, headers);
  if (current !== undefined)
    sink.skip(current, INSIDE[stop.code] ?? 'not read: the archive stops inside it');
  throw stop;
}
