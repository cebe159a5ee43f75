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
  /** Inflate with the platform's DecompressionStream where there is one (see nativeFirst). */
  native = false,
): AsyncGenerator<Uint8Array> {
  if (native && typeof DecompressionStream === 'function') yield* nativeFirst(source, limit);
  else yield* fflateChunks(source, limit, 0);
}

/**
 * Output of the native inflater held back from the reader, more than fflate makes of one slice
 * (16 KiB in, at most about 16.5 MiB out) and keeps in its window: what the reader got is then
 * never more than fflate would have given it before any stop.
 */
const HOLD_BACK = 32 * 1024 * 1024;

/**
 * The browser's own gunzip (C++ zlib, several times fflate's speed), with fflate as the judge of
 * anything but a clean end: the output is held back by HOLD_BACK, and where the native stream
 * fails, passes the limit, or ends with a trailer other than one member's, fflate reads the same
 * input again from the start, skipping what the reader already has, and says what it says. So the
 * reader gets the very bytes, and the very stop, that fflate alone gives it.
 */
async function* nativeFirst(
  source: AsyncIterable<Uint8Array>,
  limit: number,
): AsyncGenerator<Uint8Array> {
  const input = source[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  let given = 0;
  let clean: boolean;
  try {
    let total = 0;
    for await (const chunk of nativeGunzip(input, seen)) {
      total += chunk.length;
      if (total > limit) break;
      held.push(chunk);
      heldBytes += chunk.length;
      while (heldBytes - (held[0] as Uint8Array).length >= HOLD_BACK) {
        const out = held.shift() as Uint8Array;
        heldBytes -= out.length;
        given += out.length;
        yield out;
      }
    }
    clean = total <= limit && endsOneMember(seen, total);
  } catch {
    clean = false;
  }
  if (clean) {
    yield* held;
    return;
  }
  async function* again(): AsyncGenerator<Uint8Array> {
    yield* seen;
    for (let next = await input.next(); !next.done; next = await input.next()) yield next.value;
  }
  yield* fflateChunks(again(), limit, given);
}

/** Whether the input's last 8 bytes are a gzip trailer for `total` bytes out (one member). */
function endsOneMember(seen: readonly Uint8Array[], total: number): boolean {
  const tail = new Uint8Array(8);
  let need = 8;
  let length = 0;
  for (let i = seen.length - 1; i >= 0; i--) {
    const chunk = seen[i] as Uint8Array;
    length += chunk.length;
    if (need > 0) {
      const part = chunk.subarray(Math.max(0, chunk.length - need));
      tail.set(part, need - part.length);
      need -= part.length;
    }
  }
  return need === 0 && length >= 18 && isizeOf(tail) === total % 2 ** 32;
}

/**
 * DecompressionStream('gzip') over the input, each chunk taken recorded in `seen` (to be read
 * again should the stream fail); stops taking input once the reader stops.
 */
async function* nativeGunzip(
  input: AsyncIterator<Uint8Array>,
  seen: Uint8Array[],
): AsyncGenerator<Uint8Array> {
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let stop = false;
  const feeding = (async () => {
    while (!stop) {
      const next = await input.next();
      if (next.done) return writer.close();
      seen.push(next.value);
      await writer.write(next.value as Uint8Array<ArrayBuffer>);
    }
  })();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
    await feeding;
  } finally {
    stop = true;
    await Promise.all([
      reader.cancel().catch(() => undefined),
      writer.abort().catch(() => undefined),
      feeding.catch(() => undefined),
    ]);
  }
}

/** fflate's gunzip, the first `skip` bytes out not given (the reader has them already). */
async function* fflateChunks(
  source: AsyncIterable<Uint8Array>,
  limit: number,
  skip: number,
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
      const before = unpacked;
      unpacked += chunk.length;
      if (unpacked > limit) throw tooLarge(limit);
      if (unpacked <= skip) continue;
      yield before < skip ? chunk.subarray(skip - before) : chunk;
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
