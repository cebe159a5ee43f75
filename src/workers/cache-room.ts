// The caches this browser keeps between visits (schema verdicts, libvirt's verdicts) are written
// only where the operator's session keeps its room: a cache is only a saving of time, the session
// holds what the operator brought and typed.

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
