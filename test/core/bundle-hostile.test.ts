// Hostile bundles read as a stream (issue 26): the bytes counted as they come out of the
// decompressor whatever the headers or the gzip trailer claim, many entries in batches, archives
// cut short or written in several gzip members read as GNU tar reads them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { gzipSync, strToU8 } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import type { BundleBatch, BundleKind, BundleOutcome, BundleSkip } from '../../src/core/index.ts';
import { DEFAULT_MAX_BUNDLE_BYTES, unpackBundle } from '../../src/core/index.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** A ustar header block, written here so that a header can claim any size without its bytes. */
function tarHeader(name: string, size: number, type = '0'): Uint8Array {
  const block = new Uint8Array(512);
  const put = (at: number, text: string) => block.set(strToU8(text), at);
  const octal = (value: number, width: number) => value.toString(8).padStart(width - 1, '0');
  put(0, name);
  put(100, octal(0o644, 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(size, 12));
  put(136, octal(0, 12));
  put(148, '        ');
  put(156, type);
  put(257, 'ustar\u000000');
  let sum = 0;
  for (const b of block) sum += b;
  put(148, `${octal(sum, 7)}\u0000 `);
  return block;
}

/** A tar of small files, built by hand: packTar takes seconds for 200,000 entries. */
function tarOf(files: [string, string][]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, body] of files) {
    const bytes = strToU8(body);
    parts.push(tarHeader(name, bytes.length));
    const padded = new Uint8Array(Math.ceil(bytes.length / 512) * 512);
    padded.set(bytes);
    parts.push(padded);
  }
  parts.push(new Uint8Array(1024));
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

interface RawZipEntry {
  /** Bytes as stored: a string is written as UTF-8. */
  name: string | Uint8Array;
  data: Uint8Array;
  method: 0 | 8;
  /** The size the headers claim. */
  size: number;
  flags?: number;
  /** Unix (3) by default. */
  madeBy?: number;
  mode?: number;
}

/** A zip written field by field (APPNOTE.TXT 4.3), so that it can say what it likes. */
function rawZip(entries: RawZipEntry[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = typeof e.name === 'string' ? strToU8(e.name) : e.name;
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, e.flags ?? 0, true);
    lv.setUint16(8, e.method, true);
    lv.setUint32(18, e.data.length, true);
    lv.setUint32(22, e.size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, ((e.madeBy ?? 3) << 8) | 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, e.flags ?? 0, true);
    cv.setUint16(10, e.method, true);
    cv.setUint32(20, e.data.length, true);
    cv.setUint32(24, e.size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(38, ((e.mode ?? 0o100644) << 16) >>> 0, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local, e.data);
    centrals.push(central);
    offset += local.length + e.data.length;
  }
  const directory = concat(centrals);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, directory.length, true);
  ev.setUint32(16, offset, true);
  return concat([...locals, directory, end]);
}

const stored = (name: string | Uint8Array, text: string, more: Partial<RawZipEntry> = {}) => {
  const data = strToU8(text);
  return { name, data, method: 0 as const, size: data.length, ...more };
};

interface Unpacked {
  outcome: BundleOutcome;
  files: Record<string, string>;
  skipped: BundleSkip[];
  batches: BundleBatch[];
}

async function unpack(
  source: AsyncIterable<Uint8Array> | Uint8Array,
  kind: BundleKind,
  options: { maxEntryBytes?: number; maxTotalBytes?: number; signal?: AbortSignal } = {},
): Promise<Unpacked> {
  const batches: BundleBatch[] = [];
  const outcome = await unpackBundle(source instanceof Uint8Array ? [source] : source, kind, {
    name: `web01.${kind}`,
    ...options,
    onBatch: (b) => batches.push(b),
  });
  const files: Record<string, string> = {};
  const skipped: BundleSkip[] = [];
  for (const b of batches) {
    for (const e of b.entries) files[e.path] = new TextDecoder().decode(e.bytes);
    skipped.push(...b.skipped);
  }
  return { outcome, files, skipped, batches };
}

/** Zeros, a MiB at a time, never held whole. */
async function* zeros(bytes: number): AsyncGenerator<Uint8Array> {
  const chunk = new Uint8Array(MiB);
  for (let left = bytes; left > 0; left -= chunk.length) {
    yield left >= chunk.length ? chunk : chunk.subarray(0, left);
  }
}

/** `source` through zlib's gzip as a stream: only what the reader asks for is ever made. */
function gzipStream(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  return Readable.from(source).pipe(zlib.createGzip({ level: 1 }));
}

describe('a gzip that lies about its size', () => {
  it('stops 4 GiB + 10 KiB of zeros (the trailer claims 10 KiB) at the 256 MiB limit', async () => {
    const size = 4 * GiB + 10 * 1024;
    async function* tar() {
      yield tarHeader('web01-checkpoints/zeros.xml', size);
      yield* zeros(size);
      yield new Uint8Array(1024);
    }
    const started = performance.now();
    const { outcome, files, skipped } = await unpack(gzipStream(tar()), 'tar.gz');
    expect(outcome.stopped).toMatchObject({
      code: 'bundle-too-large',
      message: 'unpacks to more than 256.0 MiB, the limit: stopped there, the rest is not read',
    });
    expect(outcome.unpacked).toBeLessThanOrEqual(DEFAULT_MAX_BUNDLE_BYTES);
    // Read only as far as the limit: a fraction of the 4 MB the whole bomb compresses to.
    expect(outcome.read).toBeLessThan(4 * MiB);
    expect(files).toEqual({});
    expect(skipped).toEqual([
      {
        path: 'web01-checkpoints/zeros.xml',
        reason: 'file is 4096.0 MiB, over the limit of 16.0 MiB',
      },
    ]);
    // A ceiling that catches a hang (the page froze 207 s), not a speed budget.
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 120_000);

  it('reads a bundle whose trailer lies, and says the size differs', async () => {
    const tgz = gzipSync(tarOf([['a.xml', '<domaincheckpoint/>']]));
    new DataView(tgz.buffer).setUint32(tgz.length - 4, 10, true);
    const { outcome, files } = await unpack(tgz, 'tar.gz');
    expect(files).toEqual({ 'a.xml': '<domaincheckpoint/>' });
    expect(outcome.stopped?.message).toBe(
      'cut short: its gzip data does not end with the size of what it unpacks to (2048 bytes, not 10): its end is missing or damaged',
    );
  });
});

describe('a zip entry that lies about its size', () => {
  it('stops an entry claiming 100 bytes that holds 1 GiB at the entry limit, and the rest is read', async () => {
    const parts: Uint8Array[] = [];
    for await (const c of Readable.from(zeros(GiB)).pipe(zlib.createDeflateRaw({ level: 1 }))) {
      parts.push(c as Uint8Array);
    }
    const zip = rawZip([
      { name: 'web01/lie.xml', data: concat(parts), method: 8, size: 100 },
      stored('web01/bk.1.xml', '<domaincheckpoint/>'),
    ]);
    const started = performance.now();
    const { outcome, files, skipped } = await unpack(zip, 'zip');
    expect(outcome.stopped).toBeUndefined();
    expect(outcome.unpacked).toBeLessThan(20 * MiB);
    expect(files).toEqual({ 'web01/bk.1.xml': '<domaincheckpoint/>' });
    expect(skipped).toEqual([
      {
        path: 'web01/lie.xml',
        reason: 'unpacks to more than 16.0 MiB, the limit, though its header says 100 bytes',
      },
    ]);
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 120_000);

  it('stops many lying entries at the bundle’s limit', async () => {
    const data = zlib.deflateRawSync(new Uint8Array(2 * MiB));
    const entries = Array.from({ length: 8 }, (_, i) => ({
      name: `lie${i}.xml`,
      data,
      method: 8 as const,
      size: 2 * MiB,
    }));
    const { outcome, files } = await unpack(rawZip(entries), 'zip', { maxTotalBytes: 5 * MiB });
    expect(Object.keys(files)).toEqual(['lie0.xml', 'lie1.xml']);
    expect(outcome.stopped?.code).toBe('bundle-too-large');
  });
});

describe('zip entries as the central directory says', () => {
  it('skips a symlink whose name is not flagged UTF-8: its type is its own, not looked up by name', async () => {
    const latin1 = new Uint8Array([...strToU8('web01/caf'), 0xe9, ...strToU8('.xml')]);
    const zip = rawZip([
      stored(latin1, '/etc/shadow', { mode: 0o120777 }),
      stored('web01/fifo.xml', '', { mode: 0o010644 }),
      stored('web01/dev.xml', '', { mode: 0o020644 }),
      stored('web01/ok.xml', 'ok'),
    ]);
    const { files, skipped } = await unpack(zip, 'zip');
    expect(files).toEqual({ 'web01/ok.xml': 'ok' });
    expect(skipped).toEqual([
      { path: 'web01/café.xml', reason: 'a symbolic link, not a file' },
      { path: 'web01/fifo.xml', reason: 'a FIFO, not a file' },
      { path: 'web01/dev.xml', reason: 'a character device, not a file' },
    ]);
  });

  it('keeps the first of two entries of one name and lists the second, in a zip and in a tar', async () => {
    const zip = rawZip([stored('web01/bk.1.xml', 'first'), stored('web01/./bk.1.xml', 'second')]);
    const fromZip = await unpack(zip, 'zip');
    expect(fromZip.files).toEqual({ 'web01/bk.1.xml': 'first' });
    expect(fromZip.skipped).toEqual([
      {
        path: 'web01/./bk.1.xml',
        reason: 'a second entry named web01/bk.1.xml in web01.zip: the first is the one opened',
      },
    ]);
    const fromTar = await unpack(
      tarOf([
        ['a.xml', 'first'],
        ['./a.xml', 'second'],
      ]),
      'tar',
    );
    expect(fromTar.files).toEqual({ 'a.xml': 'first' });
    expect(fromTar.skipped).toEqual([
      {
        path: './a.xml',
        reason: 'a second entry named a.xml in web01.tar: the first is the one opened',
      },
    ]);
  });
});

describe('many entries', () => {
  it('hands 200,000 tiny entries over in batches', async () => {
    const files: [string, string][] = [];
    for (let i = 0; i < 200_000; i++) files.push([`web01/f${i}.xml`, '<a/>']);
    const tgz = zlib.gzipSync(tarOf(files), { level: 1 });
    const started = performance.now();
    const r = await unpack(tgz, 'tar.gz');
    expect(r.outcome.stopped).toBeUndefined();
    expect(Object.keys(r.files)).toHaveLength(200_000);
    expect(r.files['web01/f199999.xml']).toBe('<a/>');
    expect(r.batches.length).toBeGreaterThanOrEqual(200);
    expect(Math.max(...r.batches.map((b) => b.entries.length))).toBeLessThanOrEqual(1000);
    expect(performance.now() - started).toBeLessThan(120_000);
  }, 180_000);
});

describe('archives cut short or in several gzip members', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-hostile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tar = tarOf([
    ['web01/a.xml', 'a'.repeat(3000)],
    ['web01/b.xml', 'b'.repeat(3000)],
    ['web01/c.xml', 'c'.repeat(3000)],
  ]);

  it('says a .tar.gz cut short is cut short, keeping the entries before the cut', async () => {
    const big = tarOf(['a', 'b', 'c'].map((n) => [`web01/${n}.xml`, n.repeat(100_000)]));
    // Stored blocks of 64 KiB: the cut falls in c.xml, after a.xml and b.xml came out whole.
    const tgz = zlib.gzipSync(big, { level: 0 });
    const { outcome, files } = await unpack(tgz.subarray(0, 250_000), 'tar.gz');
    expect(outcome.stopped).toMatchObject({
      code: 'bundle-cut-short',
      message:
        'cut short: its gzip data ends before the end of the compressed stream (unexpected end of file)',
    });
    expect(Object.keys(files)).toEqual(['web01/a.xml', 'web01/b.xml']);
    // Cut inside the trailer: the data is whole, the size that closes it is not there.
    const trailerCut = await unpack(tgz.subarray(0, tgz.length - 3), 'tar.gz');
    expect(trailerCut.outcome.stopped?.code).toBe('bundle-cut-short');
    // A .tar cut inside an entry.
    const tarCut = await unpack(tar.subarray(0, 4000), 'tar');
    expect(tarCut.outcome.stopped).toMatchObject({
      code: 'bundle-cut-short',
      message: 'cut short: its tar data ends inside an entry',
    });
    expect(Object.keys(tarCut.files)).toEqual(['web01/a.xml']);
  });

  it('reads `cat a.gz b.gz` as GNU tar does', async () => {
    const members = concat([
      zlib.gzipSync(tar.subarray(0, 4321)),
      zlib.gzipSync(tar.subarray(4321, 9000)),
      zlib.gzipSync(tar.subarray(9000)),
    ]);
    const path = join(dir, 'members.tar.gz');
    writeFileSync(path, members);
    const gnu = spawnSync('tar', ['-tzf', path], { encoding: 'utf8' });
    expect(gnu.stdout.split('\n').filter(Boolean)).toEqual([
      'web01/a.xml',
      'web01/b.xml',
      'web01/c.xml',
    ]);
    const { outcome, files } = await unpack(members, 'tar.gz');
    expect(outcome.stopped).toBeUndefined();
    expect(files).toEqual({
      'web01/a.xml': 'a'.repeat(3000),
      'web01/b.xml': 'b'.repeat(3000),
      'web01/c.xml': 'c'.repeat(3000),
    });
  });

  it('stops when asked, between two chunks', async () => {
    const controller = new AbortController();
    async function* slow() {
      for (let at = 0; at < tar.length; at += 512) {
        if (at === 4096) controller.abort();
        yield tar.subarray(at, at + 512);
      }
    }
    const { outcome, files } = await unpack(slow(), 'tar', { signal: controller.signal });
    expect(outcome.stopped).toMatchObject({ code: 'bundle-cancelled' });
    expect(Object.keys(files)).toEqual(['web01/a.xml']);
  });
});

describe('a .tar.gz inflated by the platform (a browser’s bundle worker), fflate judging the rest', () => {
  /** What a reader makes of it: the entries, what was skipped and what stopped it. */
  async function read(tgz: Uint8Array, nativeGunzip: boolean, maxTotalBytes?: number) {
    const batches: BundleBatch[] = [];
    // In pieces, as a file's stream comes: the native stream takes input while it gives output.
    const pieces = Array.from({ length: Math.ceil(tgz.length / 65536) }, (_, i) =>
      tgz.subarray(i * 65536, (i + 1) * 65536),
    );
    const outcome = await unpackBundle(pieces, 'tar.gz', {
      name: 'web01.tar.gz',
      nativeGunzip,
      ...(maxTotalBytes ? { maxTotalBytes } : {}),
      onBatch: (b) => batches.push(b),
    });
    const entries = batches.flatMap((b) =>
      b.entries.map((e) => [e.path, e.bytes.length, e.bytes[0]]),
    );
    const skipped = batches.flatMap((b) => b.skipped);
    return { stopped: outcome.stopped, unpacked: outcome.unpacked, entries, skipped };
  }

  const small = gzipSync(
    tarOf([
      ['web01/a.xml', 'a'.repeat(3000)],
      ['web01/b.xml', 'b'.repeat(3000)],
    ]),
  );
  // 45 MiB out: more than the native output held back, so some is given before the end.
  const large = zlib.gzipSync(
    tarOf(['a', 'b', 'c'].map((n) => [`web01/${n}.xml`, n.repeat(15 * MiB)])),
  );
  const withTrailer = (tgz: Uint8Array, at: number, value: number) => {
    const copy = tgz.slice();
    new DataView(copy.buffer).setUint32(copy.length - at, value, true);
    return copy;
  };
  const flipped = (tgz: Uint8Array, at: number) => {
    const copy = tgz.slice();
    copy[at] = (copy[at] as number) ^ 0x55;
    return copy;
  };
  const cases: [string, Uint8Array, number?][] = [
    ['whole', small],
    ['whole, large', large],
    ...[1, 10, 100, small.length >> 1, small.length - 9, small.length - 8, small.length - 3].map(
      (n): [string, Uint8Array] => [`cut after ${n} bytes`, small.subarray(0, n)],
    ),
    ['large, cut near its end', large.subarray(0, large.length - 2000)],
    ['large, a byte of its deflate data changed', flipped(large, large.length - 5000)],
    ['two members', concat([small, gzipSync(tarOf([['web01/c.xml', 'c']]))])],
    ['trailing garbage', concat([small, strToU8('garbage!')])],
    ['a trailer that lies about the size', withTrailer(small, 4, 10)],
    ['a trailer with another CRC', withTrailer(small, 8, 12345)],
    ['not gzip', strToU8('<domaincheckpoint/>')],
    ['empty', new Uint8Array(0)],
    ['past the limit', large, 20 * MiB],
  ];
  for (const [label, tgz, limit] of cases) {
    it(`gives what fflate alone gives: ${label}`, async () => {
      expect(await read(tgz, true, limit)).toEqual(await read(tgz, false, limit));
    });
  }

  it('the native stream reads a whole bundle; where there is none, fflate does', async () => {
    const Native = globalThis.DecompressionStream;
    let made = 0;
    globalThis.DecompressionStream = class extends Native {
      constructor(format: CompressionFormat) {
        super(format);
        made++;
      }
    };
    try {
      const whole = await read(large, true);
      expect(made).toBe(1);
      expect(whole.stopped).toBeUndefined();
      expect(whole.entries.map((e) => e[0])).toEqual(['web01/a.xml', 'web01/b.xml', 'web01/c.xml']);
      (globalThis as { DecompressionStream?: unknown }).DecompressionStream = undefined;
      expect(await read(large, true)).toEqual(whole);
    } finally {
      globalThis.DecompressionStream = Native;
    }
  });
});
