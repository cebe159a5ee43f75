import { Gunzip } from 'fflate';
import { BundleStop } from './bundle-stop.ts';
import { sizeText } from './limits.ts';

/**
 * Compressed bytes given to the inflater at once: deflate expands at most about 1032 times, so
 * one push makes at most about 16 MiB, and the count of bytes out is checked that often.
 */
const SLICE = 16 * 1024;

/** The 4 bytes that end a gzip member: the size of what it holds, modulo 4 GiB (RFC 1952). */
const isizeOf = (tail: Uint8Array) =>
  ((tail[4] as number) |
    ((tail[5] as number) << 8) |
    ((tail[6] as number) << 16) |
    ((tail[7] as number) << 24)) >>>
  0;

/**
 * The bytes a gzip stream unpacks to, as they come out of the inflater, never more than `limit`
 * of them whatever its trailer claims (the trailer holds the size modulo 4 GiB: a bomb of 4 GiB of
 * zeros claims almost nothing). Members written one after another (`cat a.gz b.gz`) are read on
 * as gzip and GNU tar read them. Data that ends before the deflate stream does, or whose last
 * size differs from what it unpacked to, is cut short.
 */
export async function* gunzipChunks(
  source: AsyncIterable<Uint8Array>,
  limit: number,
): AsyncGenerator<Uint8Array> {
  let out: Uint8Array[] = [];
  let unpacked = 0;
  /** Bytes out of the current member, modulo 4 GiB as its trailer counts them. */
  let memberSize = 0;
  const tail = new Uint8Array(8);
  let seen = 0;
  const gunzip = new Gunzip((data) => {
    if (data.length === 0) return;
    out.push(data);
    memberSize = (memberSize + data.length) % 2 ** 32;
  });
  gunzip.onmember = () => {
    memberSize = 0;
  };
  /** What stops the stream at this push, given back so that what came out before is read first. */
  const push = (slice: Uint8Array, final: boolean): BundleStop | undefined => {
    try {
      gunzip.push(slice, final);
      return undefined;
    } catch (e) {
      if ((e as { code?: number }).code === 0) {
        return new BundleStop(
          'bundle-cut-short',
          'cut short: its gzip data ends before the end of the compressed stream (unexpected end of file)',
        );
      }
      const said = (e as Error).message;
      if (unpacked === 0 && out.length === 0) {
        return new BundleStop('bundle-unreadable', `not a gzip file: ${said}`);
      }
      // After a whole member, bytes that do not start another: gzip says "trailing garbage".
      return new BundleStop(
        'bundle-damaged',
        `damaged: what follows its gzip data is not gzip (${said}); read up to there`,
      );
    }
  };
  const keepTail = (slice: Uint8Array) => {
    if (slice.length >= 8) tail.set(slice.subarray(slice.length - 8));
    else {
      tail.copyWithin(0, slice.length);
      tail.set(slice, 8 - slice.length);
    }
    seen += slice.length;
  };
  function* emit(): Generator<Uint8Array> {
    const ready = out;
    out = [];
    for (const chunk of ready) {
      unpacked += chunk.length;
      if (unpacked > limit) throw tooLarge(limit);
      yield chunk;
    }
  }
  let first = true;
  for await (const chunk of source) {
    if (first && chunk.length > 0) {
      first = false;
      if (chunk[0] !== 0x1f || (chunk.length > 1 && chunk[1] !== 0x8b)) {
        throw new BundleStop('bundle-unreadable', 'not a gzip file: no gzip header');
      }
    }
    for (let at = 0; at < chunk.length; at += SLICE) {
      const slice = chunk.subarray(at, at + SLICE);
      const stop = push(slice, false);
      keepTail(slice);
      yield* emit();
      if (stop) throw stop;
    }
  }
  if (first) throw new BundleStop('bundle-unreadable', 'not a gzip file: it is empty');
  const stop = push(new Uint8Array(0), true);
  yield* emit();
  if (stop) throw stop;
  if (seen < 18 || isizeOf(tail) !== memberSize) {
    // fflate may take a cut inside the last block for its end: the size that closes gzip tells.
    throw new BundleStop(
      'bundle-cut-short',
      `cut short: its gzip data does not end with the size of what it unpacks to (${memberSize} bytes${seen < 18 ? '' : `, not ${isizeOf(tail)}`}): its end is missing or damaged`,
    );
  }
}

/** Past the bundle's limit: the rest is never unpacked. */
export function tooLarge(limit: number): BundleStop {
  return new BundleStop(
    'bundle-too-large',
    `unpacks to more than ${sizeText(limit)}, the limit: stopped there, the rest is not read`,
  );
}
