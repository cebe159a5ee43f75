import type {
  BundleBatch,
  BundleKind,
  BundleLimits,
  BundleOutcome,
  BundleProgress,
} from '../core/index.ts';
import { unpackBundle } from '../core/index.ts';

/** What the page asks of a bundle worker: one archive, read from the file itself off the page. */
export interface ToBundleWorker {
  file: Blob;
  kind: BundleKind;
  name: string;
  limits?: BundleLimits;
}

/** A bundle worker's messages: batches of entries (their buffers handed over), progress, the end. */
export type FromBundleWorker =
  | { type: 'batch'; batch: BundleBatch }
  | { type: 'progress'; progress: BundleProgress }
  | { type: 'done'; outcome: BundleOutcome };

export function isToBundleWorker(data: unknown): data is ToBundleWorker {
  const d = data as Partial<ToBundleWorker> | null;
  return typeof d?.name === 'string' && typeof d.kind === 'string' && d.file instanceof Blob;
}

export function isFromBundleWorker(data: unknown): data is FromBundleWorker {
  const t = (data as Partial<FromBundleWorker> | null)?.type;
  return t === 'batch' || t === 'progress' || t === 'done';
}

/** Progress is told at most this often: the page shows it, and each message is a task there. */
export const PROGRESS_EVERY_MS = 100;

/** The entries' buffers, each once (a buffer handed over twice fails the message). */
export function transferList(batch: BundleBatch): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const e of batch.entries) buffers.add(e.bytes.buffer as ArrayBuffer);
  return [...buffers];
}

/**
 * What a bundle worker does with a request: unpacks the file as a stream, each batch posted with
 * its entries' buffers handed over (never copied), progress at most every PROGRESS_EVERY_MS, then
 * the end.
 */
export async function serveBundleRequest(
  request: ToBundleWorker,
  post: (message: FromBundleWorker, transfer?: Transferable[]) => void,
): Promise<void> {
  let toldAt = 0;
  const outcome = await unpackBundle(request.file.stream(), request.kind, {
    ...request.limits,
    name: request.name,
    // The browser's own gunzip: fflate took most of a 10,000-checkpoint bundle's unpacking.
    nativeGunzip: true,
    onBatch: (batch) => post({ type: 'batch', batch }, transferList(batch)),
    onProgress: (progress) => {
      const now = performance.now();
      if (now - toldAt < PROGRESS_EVERY_MS) return;
      toldAt = now;
      post({ type: 'progress', progress });
    },
  });
  post({ type: 'done', outcome });
}
