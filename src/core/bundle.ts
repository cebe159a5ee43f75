import { append } from './append.ts';
import { gunzipChunks } from './bundle-gzip.ts';
import type { BundleBatch, BundleEntry, BundleLimits, BundleSkip } from './bundle-sink.ts';
import { createBundleSink } from './bundle-sink.ts';
import { BundleStop } from './bundle-stop.ts';
import { readTarStream } from './bundle-tar.ts';
import { readZipStream } from './bundle-zip.ts';
import type { Problem, Result } from './problem.ts';
import { problem } from './problem.ts';

export type { BundleBatch, BundleEntry, BundleLimits, BundleSkip } from './bundle-sink.ts';
export { bundlePath, DEFAULT_MAX_BUNDLE_BYTES } from './bundle-sink.ts';

/** The archives a collected bundle comes as: scripts/collect.sh writes .tar.gz; an operator may re-pack. */
export type BundleKind = 'tar' | 'tar.gz' | 'zip';

export interface Bundle {
  entries: BundleEntry[];
  skipped: BundleSkip[];
}

/** How far an unpacking got: bytes of the archive read, bytes it unpacked to. */
export interface BundleProgress {
  read: number;
  unpacked: number;
}

export interface UnpackBundleOptions extends BundleLimits {
  /** The archive's name, as messages give it (a second entry of one name). */
  name?: string;
  /** Entries as they come, many at a time; what is skipped comes with them. */
  onBatch: (batch: BundleBatch) => void;
  /** Called as the archive is read: a caller shows it at the pace it likes. */
  onProgress?: (progress: BundleProgress) => void;
  /** Stops the unpacking between two chunks. */
  signal?: AbortSignal;
  /**
   * A .tar.gz inflated by the platform's DecompressionStream, fflate judging any other end than a
   * clean one (bundle-gzip.ts): the same entries and stops, in a fraction of the time (a browser's
   * bundle worker; Node's stream reads gzip otherwise).
   */
  nativeGunzip?: boolean;
}

/** The end of an unpacking: what stopped it before the end of the archive, if anything. */
export interface BundleOutcome extends BundleProgress {
  stopped?: Problem;
}

/** The bundle kind a file name says, or undefined when it is not an archive we open. */
export function bundleKind(fileName: string): BundleKind | undefined {
  if (/\.(tar\.gz|tgz)$/i.test(fileName)) return 'tar.gz';
  if (/\.tar$/i.test(fileName)) return 'tar';
  if (/\.zip$/i.test(fileName)) return 'zip';
  return undefined;
}

async function* chunksOf(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStream<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  if (!('getReader' in source)) {
    yield* source;
    return;
  }
  const reader = source.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * Unpacks a collected bundle (scripts/collect.sh's DOMAIN-checkpoints.tar.gz, or the folder as
 * .tar or .zip) as a stream: the bytes are counted as they come out of the decompressor, and the
 * unpacking stops at the limits (16 MiB an entry, 256 MiB in all) whatever the headers or the gzip
 * trailer claim. Its regular files come in batches under their checked paths; folders are taken as
 * structure; anything else — a path that is absolute, climbs out with `..`, has a backslash or a
 * control character, a link, a device or FIFO, an entry over the limit, a second entry of a name —
 * is skipped with the reason. Nothing is ever written anywhere: the paths only name files. What
 * stops the archive (cut short, damaged, past the limit, not an archive) is given back; what came
 * before it stays.
 */
export async function unpackBundle(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStream<Uint8Array>,
  kind: BundleKind,
  options: UnpackBundleOptions,
): Promise<BundleOutcome> {
  const sink = createBundleSink(options.name ?? 'the archive', options, options.onBatch);
  const progress: BundleProgress = { read: 0, unpacked: 0 };
  const tell = () => options.onProgress?.({ ...progress });
  async function* read(): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunksOf(source)) {
      if (options.signal?.aborted) throw new BundleStop('bundle-cancelled', 'cancelled');
      progress.read += chunk.length;
      tell();
      yield chunk;
    }
  }
  const unpacked = (bytes: number) => {
    progress.unpacked = bytes;
  };
  try {
    if (kind === 'zip') {
      await readZipStream(
        read(),
        sink,
        () => undefined,
        (bytes) => {
          unpacked(bytes);
          tell();
        },
      );
    } else {
      const tar =
        kind === 'tar'
          ? read()
          : gunzipChunks(read(), sink.maxTotalBytes, options.nativeGunzip === true);
      await readTarStream(tar, sink, unpacked);
    }
  } catch (e) {
    sink.flush();
    const stop =
      e instanceof BundleStop
        ? e
        : new BundleStop(
            'bundle-unreadable',
            `could not be read: ${e instanceof Error ? e.message : String(e)}`,
          );
    return { ...progress, stopped: problem(stop.code, stop.message) };
  }
  sink.flush();
  return { ...progress };
}

/**
 * A bundle held in memory, unpacked whole (tests, and the CLI until it reads a stream): ok with
 * its entries, and the problem that stopped it early if one did; not ok when nothing in it could
 * be read as the archive it says it is.
 */
export async function readBundle(
  bytes: Uint8Array,
  kind: BundleKind,
  limits: BundleLimits = {},
): Promise<Result<Bundle>> {
  const bundle: Bundle = { entries: [], skipped: [] };
  const outcome = await unpackBundle([bytes], kind, {
    ...limits,
    onBatch: (batch) => {
      append(bundle.entries, batch.entries);
      append(bundle.skipped, batch.skipped);
    },
  });
  const problems = outcome.stopped ? [outcome.stopped] : [];
  if (outcome.stopped?.code === 'bundle-unreadable') return { ok: false, problems };
  return { ok: true, value: bundle, problems };
}
