/**
 * Text typed into a form field and not yet written into its document. A key shows in the field at
 * once (the field's own state); the document's text, its checks, the chain and the session's save
 * follow once the keys pause, off the key's path. Everything that reads or stores the documents
 * as a whole (a save when the tab is hidden or goes, a take-over, undo and redo) writes the drafts
 * first, so nothing typed is lost or left out; while one is pending the session does not say it is
 * saved (the top bar reads `pending` and hears `subscribe`, without a set of the store).
 */
export interface FormDrafts {
  /** A draft's first key: its way to write it now; returns the way to say it is written. */
  open(write: () => void): () => void;
  /** Writes every draft into its document now. */
  flush(): void;
  /** Whether a draft is waiting to be written. */
  pending(): boolean;
  /** Hears each draft opened or written; returns the way to stop. */
  subscribe(listener: () => void): () => void;
}

export function createFormDrafts(): FormDrafts {
  const writers = new Set<() => void>();
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of [...listeners]) listener();
  };
  return {
    open(write) {
      writers.add(write);
      changed();
      return () => {
        if (writers.delete(write)) changed();
      };
    },
    flush() {
      for (const write of [...writers]) write();
    },
    pending: () => writers.size > 0,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Keys closer together than this are written into the document together, once they pause. Steady
 * typing is written when it stops, as the session's save always waited for a pause: writing it
 * meanwhile put that work (hundreds of ms with 10,000 files) between two keys.
 */
export const DRAFT_QUIET_MS = 300;

/**
 * A User Timing mark of the store's work on an edit (DevTools' Performance panel shows it; the e2e
 * tests count them between a key and its frame). Cleared at once: observers still hear of it, and
 * the browser's buffer does not grow with every edit.
 */
export function markWork(name: 'document-edit' | 'chain-update'): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  const label = `checkpoint-editor:${name}`;
  performance.mark(label);
  performance.clearMarks(label);
}
