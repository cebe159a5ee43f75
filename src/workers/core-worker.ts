// The core worker's entry: core-pool.ts starts it with new Worker(new URL('./core-worker.ts', import.meta.url)).
import type { FromCoreWorker } from './core-messages.ts';
import { isToCoreWorker } from './core-messages.ts';
import { clear, createStore, getMany, promisifyRequest, setMany } from 'idb-keyval';
import { createDomainReuse } from '../core/index.ts';
import { runCoreTask } from './core-tasks.ts';
import { CORE_CACHE, cacheHasRoom } from './cache-room.ts';
import type { KeptResultStore } from './kept-results.ts';
import { createKeptResults } from './kept-results.ts';
import { createLargeTextReader, postWithLargeTexts } from './large-text.ts';

// The DOM lib types `self` as a Window; in a worker it is a DedicatedWorkerGlobalScope.
const scope = self as unknown as {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
};

// Long texts (a large file) come and go in pieces: see large-text.ts.
const read = createLargeTextReader();
// The domains this worker has read: a folder opened again, or the next chunk, reads each once.
const domains = createDomainReuse();

/**
 * This build's name for itself, the worker's hashed file name: results kept by another build, whose
 * rules may differ, are not found. None in development, where the code changes under one name.
 */
function buildVersion(): string | undefined {
  if (!import.meta.env.PROD) return undefined;
  const name = self.location.pathname.split('/').pop() ?? '';
  return /-[\w-]{8}\.js$/.test(name) ? name : undefined;
}

/** Chunks kept at most (~100,000 files): past it, what is kept is let go and kept anew. */
const MAX_KEPT_CHUNKS = 400;

/**
 * libvirt's verdicts kept in this browser: IndexedDB's checkpoint-editor-core, written only where
 * the session keeps its room (cache-room.ts).
 */
function openKeptResultStore(): KeptResultStore {
  const db = createStore(CORE_CACHE.db, CORE_CACHE.store);
  return {
    getMany: (keys) => getMany(keys, db),
    setMany: async (entries) => {
      if (!(await cacheHasRoom())) return;
      const count = await db('readonly', (store) => promisifyRequest(store.count()));
      if (count + entries.length > MAX_KEPT_CHUNKS) await clear(db);
      await setMany(entries, db);
    },
  };
}

const version = buildVersion();
// A folder opened again is decoded and its verdicts found kept, not checked again.
const kept =
  version !== undefined && typeof indexedDB !== 'undefined'
    ? createKeptResults(openKeptResultStore(), version)
    : undefined;
const post = (message: FromCoreWorker, transfer?: Transferable[]) =>
  postWithLargeTexts((m, t) => scope.postMessage(m, t), message, transfer);

scope.addEventListener('message', (event) => {
  const request = read(event.data);
  if (!isToCoreWorker(request)) return;
  const { task } = request;
  (task.kind === 'open' && kept
    ? kept.open(task.files, task.rules, domains)
    : runCoreTask(task, domains)
  ).then(
    (result) =>
      // A zip or an order is handed over, not copied.
      post(
        { id: request.id, ok: true, result },
        ArrayBuffer.isView(result) ? [result.buffer as ArrayBuffer] : [],
      ),
    (e: unknown) => post({ id: request.id, ok: false, message: (e as Error).message ?? String(e) }),
  );
});
