import { nothingWritten } from './services.ts';
import type { EditorStore } from './editor-store.ts';

/** How often the editing tab looks whether the session is still stored (eviction says nothing). */
const CHECK_EVERY_MS = 15_000;
/**
 * After a lost connection, the session is looked for after these delays: Chromium closes the
 * connections before it deletes the data (a look at once can still find it), and the page says
 * "saved" again only once a look after the first delay found it.
 */
const AFTER_LOSS_MS = [1_000, 5_000];

export interface StorageWatch {
  /** Whether the session's own entry is stored. */
  stored: () => Promise<boolean>;
  /** Saves everything not stored: after a clear, everything. */
  saveAgain: () => Promise<void>;
}

/**
 * Watches that what the editing tab saved is still in the browser: the database deleted by
 * another tab (`versionchange`), closed by the browser (site data cleared, eviction: `close`), or
 * found empty when the page is shown again or every CHECK_EVERY_MS. Then "saved" is taken back at
 * once, and if the session's entry is gone the whole session is written again from the page's
 * memory, saying so. Returns the way to stop.
 */
export function watchStorage(store: EditorStore, watch: StorageWatch): () => void {
  let checking: Promise<void> | undefined;
  let stopped = false;
  const check = (lost: boolean): Promise<void> => {
    if (checking) return lost ? checking.then(() => check(true)) : checking;
    const written = store.services.written;
    // Nothing stored yet: nothing to lose. Without a loss heard, only a session entry this tab
    // stored and now missing says the storage was cleared (a full storage may have refused it).
    if (written.session === undefined && (!lost || written.documents.size === 0)) {
      return Promise.resolve();
    }
    // Never "Saved in this browser" while that may be untrue: not until the look below.
    if (lost) store.getState().setStorageInDoubt(true);
    const settled = lost ? delay(AFTER_LOSS_MS[0] ?? 0) : Promise.resolve();
    checking = settled
      .then(() => watch.stored())
      .then(async (stored) => {
        if (stopped) return;
        store.getState().setStorageInDoubt(false);
        if (stored && !lost) return;
        if (!stored) {
          // Everything is written again: the page's memory is all there is now.
          store.services.written = { ...nothingWritten(), oldLayoutKept: false };
          store.getState().noteStorageCleared();
        }
        await watch.saveAgain();
      })
      .catch((e: unknown) => console.error(e))
      .finally(() => {
        checking = undefined;
      });
    return checking;
  };
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  const afterLoss = () => {
    void check(true);
    // A look later still: the deletion may come after the first.
    for (const ms of AFTER_LOSS_MS.slice(1)) void delay(ms).then(() => check(false));
  };
  const stopWatching = store.services.watchSessionDb(afterLoss);
  const stop = () => {
    stopped = true;
    stopWatching();
    for (const timer of timers) clearTimeout(timer);
  };
  if (typeof document === 'undefined') return stop;
  const onShow = () => {
    if (document.visibilityState === 'visible') void check(false);
  };
  const timer = setInterval(() => void check(false), CHECK_EVERY_MS);
  document.addEventListener('visibilitychange', onShow);
  return () => {
    stop();
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onShow);
  };
}
