import type { UndoableState } from './editor-state.ts';
import type { EditorStore } from './editor-store.ts';

/** Steps of undo kept. */
export const UNDO_LIMIT = 200;

/** Edits closer together than this are one step of undo, so typing a word is one step, even on a busy machine. */
export const UNDO_BURST_MS = 1000;

/**
 * Runs work that changes the documents in several steps (a folder added a chunk at a time) as one
 * step of undo: history is paused meanwhile, then the state from before is recorded once.
 */
export async function asOneUndoStep<T>(store: EditorStore, run: () => Promise<T>): Promise<T> {
  const s = store.getState();
  const before: UndoableState = { documents: s.documents, documentOrder: s.documentOrder };
  store.temporal.getState().pause();
  try {
    return await run();
  } finally {
    store.temporal.getState().resume();
    const after = store.getState();
    if (after.documents !== before.documents || after.documentOrder !== before.documentOrder) {
      store.temporal.setState((t) => ({
        pastStates: [...t.pastStates, before].slice(-UNDO_LIMIT),
        futureStates: [],
      }));
    }
  }
}
