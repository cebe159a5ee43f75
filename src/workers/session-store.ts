import { isFromSessionStoreWorker } from './session-store-messages.ts';
import type { ToSessionStoreWorker } from './session-store-messages.ts';
import type { WorkerLike } from './pool.ts';
import { createWorkerPool, WORKER_TIMEOUT_MS } from './pool.ts';

/** Writes session entries off the page: a large file's copy into IndexedDB takes long. */
export interface SessionStoreWorker {
  /** Stores `value` under `key`; rejects with the browser's reason (its name first). */
  put(key: string, value: unknown): Promise<void>;
  close(): void;
}

function startSessionStoreWorker(): WorkerLike<ToSessionStoreWorker> {
  return new Worker(new URL('./session-store-worker.ts', import.meta.url), {
    type: 'module',
    name: 'checkpoint-session-store',
  });
}

/** One worker, writes in the order asked; undefined where there are no workers. */
export function createSessionStoreWorker(): SessionStoreWorker | undefined {
  if (typeof Worker === 'undefined') return undefined;
  const pool = createWorkerPool<{ key: string; value: unknown }, null, ToSessionStoreWorker>({
    protocol: {
      request: (id, { key, value }) => ({ id, key, value }),
      answer: (data) => (isFromSessionStoreWorker(data) ? data : undefined),
    },
    createWorker: startSessionStoreWorker,
    size: 1,
    timeoutMs: WORKER_TIMEOUT_MS,
  });
  return {
    put: async (key, value) => {
      await pool.run({ key, value });
    },
    close: () => pool.close(),
  };
}
