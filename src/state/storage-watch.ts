import { nothingWritten } from './services.ts';
import type { EditorStore } from './store.ts';

/** How often the editing tab looks whether the session is still stored (eviction says nothing). */
const CHECK_EVERY_MS = 15_000;

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
    if (checking) return checking;
    const written = store.services.written;
    // Nothing stored yet: nothing to lose. Without a loss heard, only a session entry this tab
    // stored and now missing says the storage was cleared (a full storage may have refused it).
    if (written.session === undefined && (!lost || written.documents.size === 0)) {
      return Promise.resolve();
    }
    // Never "Saved in this browser" while that may be untrue.
    if (lost) store.getState().setSaveStatus('saving');
    checking = watch
      .stored()
      .then(async (stored) => {
        if (stopped || (stored && !lost)) return;
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
  const stopWatching = store.services.watchSessionDb(() => void check(true));
  if (typeof document === 'undefined') {
    return () => {
      stopped = true;
      stopWatching();
    };
  }
  const onShow = () => {
    if (document.visibilityState === 'visible') void check(false);
  };
  const timer = setInterval(() => void check(false), CHECK_EVERY_MS);
  document.addEventListener('visibilitychange', onShow);
  return () => {
    stopped = true;
    stopWatching();
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onShow);
  };
}
