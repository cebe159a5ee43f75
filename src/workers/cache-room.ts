// The caches this browser keeps between visits (schema verdicts, libvirt's verdicts) are written
// only where the operator's session keeps its room: a cache is only a saving of time, the session
// holds what the operator brought and typed.

import { clear, createStore, promisifyRequest } from 'idb-keyval';

/** The caches' IndexedDB databases and their one object store each. */
export const CORE_CACHE = { db: 'checkpoint-editor-core', store: 'results' } as const;
export const VERDICT_CACHE = { db: 'checkpoint-editor-verdict-runs', store: 'runs' } as const;
const CACHES = [CORE_CACHE, VERDICT_CACHE];

/** What the browser says of its storage (navigator.storage.estimate()). */
export interface StorageEstimate {
  usage?: number;
  quota?: number;
}

/** Room a cache leaves free at least, whatever the quota. */
export const CACHE_LEAVES_FREE = 64 * 1024 * 1024;

/**
 * Whether a cache may write now: the origin's storage at most half used and 64 MiB free at least
 * (a folder's session is tens of MB). Unknown counts as no: a cache write that takes the last of the
 * quota would make the session's next save fail.
 */
export function cacheMayWrite(estimate: StorageEstimate): boolean {
  const { usage, quota } = estimate;
  if (usage === undefined || quota === undefined) return false;
  return usage <= quota / 2 && quota - usage >= CACHE_LEAVES_FREE;
}

/** cacheMayWrite with this browser's estimate; false where it cannot be had. */
export async function cacheHasRoom(): Promise<boolean> {
  try {
    const storage = (globalThis.navigator as Navigator | undefined)?.storage;
    if (!storage?.estimate) return false;
    return cacheMayWrite(await storage.estimate());
  } catch {
    return false;
  }
}

/**
 * Empties every cache, for the session's sake: a save the browser refused for want of room is
 * tried again once the caches have let go of theirs. The estimate cacheHasRoom reads can be wrong
 * (a quota set by the DevTools protocol is not in it; a disk filling up), so the session's own
 * refusal is the last word. Whether any cache held anything; false where IndexedDB cannot be had.
 */
export async function releaseCaches(): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false;
  const held = await Promise.all(
    CACHES.map(async ({ db, store }) => {
      try {
        const cache = createStore(db, store);
        const count = await cache('readonly', (s) => promisifyRequest(s.count()));
        if (count > 0) await clear(cache);
        return count > 0;
      } catch {
        return false;
      }
    }),
  );
  return held.some(Boolean);
}
