import type { EditorStore } from './store.ts';

/**
 * Text typed into a form field and not yet written into its document. A key shows in the field at
 * once (the field's own state); the document's text, its checks, the chain and the session's save
 * follow once the keys pause, off the key's path. Everything that reads or stores the documents
 * as a whole (a save when the tab is hidden or goes, a take-over, undo and redo) writes the drafts
 * first, so nothing typed is lost or left out.
 */
export interface FormDrafts {
  /** Registers a field's way to write its draft now; returns the way to unregister it. */
  add(write: () => void): () => void;
  /** Writes every draft into its document now. */
  flush(): void;
}

export function createFormDrafts(): FormDrafts {
  const writers = new Set<() => void>();
  return {
    add(write) {
      writers.add(write);
      return () => writers.delete(write);
    },
    flush() {
      for (const write of [...writers]) write();
    },
  };
}

/**
 * A draft's first key: the session no longer says _Saved in this browser_ (a test, or an operator,
 * waiting for it waits for the key's save too). One small set, no derivation.
 */
export function noteDraftTyped(store: EditorStore): void {
  const s = store.getState();
  if (s.access === 'editing' && s.saveStatus === 'saved') s.setSaveStatus('saving');
}

/**
 * Writes a draft into the store. A draft that changes nothing (typed and taken back) starts no
 * save of its own: the save that says _Saved_ again is run here.
 */
export function writeDraft(store: EditorStore, write: () => void): void {
  const before = store.getState();
  write();
  const s = store.getState();
  if (s === before && s.access === 'editing' && s.saveStatus === 'saving') {
    store.services.role?.flush().catch((e: unknown) => console.error(e));
  }
}

/** Keys closer together than this are written into the document together, once they pause. */
export const DRAFT_QUIET_MS = 150;

/**
 * A draft is written at the latest this long after its first key, even if the keys go on: under
 * UNDO_BURST_MS, so that steady typing stays one step of undo.
 */
export const DRAFT_MAX_WAIT_MS = 600;

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
