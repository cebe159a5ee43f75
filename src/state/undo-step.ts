import type { EditorStore, UndoableState } from './store.ts';
import { UNDO_LIMIT } from './store.ts';

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
