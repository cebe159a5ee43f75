// libvirt's kept verdicts as a worker opens them: the core worker, and the validation worker
// that opens a bundle's files itself (src/validation/worker.ts), keep them the same way.
import { clear, createStore, getMany, promisifyRequest, setMany } from 'idb-keyval';
import { CORE_CACHE, cacheHasRoom } from './cache-room.ts';
import type { KeptResults, KeptResultStore } from './kept-results.ts';
import { createKeptResults } from './kept-results.ts';

/**
 * This build's name for the worker, its hashed file name: results kept by another build, whose
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

/**
 * The kept verdicts of this worker's build, in a worker of a production build with IndexedDB: a
 * folder opened again is decoded and its verdicts found kept, not checked again. Undefined
 * elsewhere (development, Node).
 */
export function openKeptCoreResults(): KeptResults | undefined {
  const version = buildVersion();
  return version !== undefined && typeof indexedDB !== 'undefined'
    ? createKeptResults(openKeptResultStore(), version)
    : undefined;
}
