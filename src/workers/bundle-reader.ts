import type {
  BundleBatch,
  BundleKind,
  BundleLimits,
  BundleOutcome,
  BundleProgress,
} from '../core/index.ts';
import { problem, unpackBundle } from '../core/index.ts';
import type { ToBundleWorker } from './bundle-messages.ts';
import { isFromBundleWorker } from './bundle-messages.ts';
import type { WorkerLike } from './pool.ts';
import { WORKER_TIMEOUT_MS } from './pool.ts';

export interface BundleReadOptions {
  /** The archive's name, as the skipped list gives it. */
  name: string;
  limits?: BundleLimits;
  onBatch: (batch: BundleBatch) => void;
  onProgress?: (progress: BundleProgress) => void;
  /** Starts the worker; by default a module worker, none where there are none (Node). */
  createWorker?: (() => WorkerLike<ToBundleWorker>) | undefined;
}

/** An archive being unpacked: its end, and a way to stop it now. */
export interface BundleReading {
  done: Promise<BundleOutcome>;
  /** Ends the worker at once; `done` then says the archive was cancelled. */
  cancel(): void;
}

function startBundleWorker(): WorkerLike<ToBundleWorker> {
  return new Worker(new URL('./bundle-worker.ts', import.meta.url), {
    type: 'module',
    name: 'checkpoint-bundle',
  });
}

const stopped = (code: string, message: string): BundleOutcome => ({
  read: 0,
  unpacked: 0,
  stopped: problem(code, message),
});

/**
 * Unpacks an archive in a worker of its own, read from the file there, so that the page never
 * holds its bytes nor waits for them: entries come in batches, their buffers handed over. A worker
 * that says nothing for the pool's timeout is ended; cancel() ends it at once. Where no worker can
 * start (Node), the unpacking runs here, a chunk at a time.
 */
export function readBundleFile(
  file: Blob,
  kind: BundleKind,
  options: BundleReadOptions,
): BundleReading {
  const create =
    'createWorker' in options
      ? options.createWorker
      : typeof Worker === 'undefined'
        ? undefined
        : startBundleWorker;
  if (!create) {
    const controller = new AbortController();
    const done = unpackBundle(file.stream(), kind, {
      ...options.limits,
      name: options.name,
      onBatch: options.onBatch,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      signal: controller.signal,
    });
    return { done, cancel: () => controller.abort() };
  }
  let worker: WorkerLike<ToBundleWorker>;
  try {
    worker = create();
  } catch (e) {
    const message = `could not be read: no worker (${(e as Error).message})`;
    return {
      done: Promise.resolve(stopped('bundle-unreadable', message)),
      cancel: () => undefined,
    };
  }
  let settle: (outcome: BundleOutcome) => void = () => undefined;
  const done = new Promise<BundleOutcome>((resolve) => (settle = resolve));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const end = (outcome: BundleOutcome) => {
    clearTimeout(timer);
    worker.terminate();
    settle(outcome);
    settle = () => undefined;
  };
  const wait = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        end(
          stopped(
            'bundle-unreadable',
            `not read: its worker gave no answer in ${WORKER_TIMEOUT_MS / 1000} s`,
          ),
        ),
      WORKER_TIMEOUT_MS,
    );
  };
  worker.addEventListener('message', (event) => {
    const data = (event as MessageEvent<unknown>).data;
    if (!isFromBundleWorker(data)) return;
    wait();
    if (data.type === 'batch') options.onBatch(data.batch);
    else if (data.type === 'progress') options.onProgress?.(data.progress);
    else end(data.outcome);
  });
  worker.addEventListener('error', (event) => {
    const said = (event as Partial<ErrorEvent>).message;
    end(
      stopped(
        'bundle-unreadable',
        `could not be read: its worker failed${said ? ` (${said})` : ''}`,
      ),
    );
  });
  worker.addEventListener('messageerror', () =>
    end(stopped('bundle-unreadable', 'could not be read: its worker sent what cannot be read')),
  );
  wait();
  worker.postMessage({
    file,
    kind,
    name: options.name,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  return {
    done,
    cancel: () => end(stopped('bundle-cancelled', 'cancelled')),
  };
}
