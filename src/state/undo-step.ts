import type { UndoableState } from './editor-state.ts';
import type { EditorStore } from './editor-store.ts';
import { openedStateOf, openStepBetween } from './open-step.ts';

/** Steps of undo kept. */
export const UNDO_LIMIT = 200;

/** Edits closer together than this are one step of undo, so typing a word is one step, even on a busy machine. */
export const UNDO_BURST_MS = 1000;

/**
 * Starts work that changes the documents and what comes with them in several steps (a folder
 * added a chunk at a time, its VM definitions, backup files and skipped list) as one step of
 * undo: history is paused until the function returned is called, which records the step once,
 * with all the work brought (open-step.ts).
 */
export function startOneUndoStep(store: EditorStore): () => void {
  const before = openedStateOf(store.getState());
  store.temporal.getState().pause();
  return () => {
    store.temporal.getState().resume();
    const step = openStepBetween(openedStateOf(store.getState()), before);
    if (!step) return;
    // What zundo would apply by itself (and what a close counts as reachable): the documents.
    const entry: Partial<UndoableState> = {
      documents: before.documents,
      documentOrder: before.documentOrder,
    };
    store.openSteps.set(entry, step);
    store.temporal.setState((t) => ({
      pastStates: [...t.pastStates, entry].slice(-UNDO_LIMIT),
      futureStates: [],
    }));
  };
}

/** `startOneUndoStep` around async work. */
export async function asOneUndoStep<T>(store: EditorStore, run: () => Promise<T>): Promise<T> {
  const end = startOneUndoStep(store);
  try {
    return await run();
  } finally {
    end();
  }
}

/** `startOneUndoStep` around work done at once (a paste). */
export function inOneUndoStep<T>(store: EditorStore, run: () => T): T {
  const end = startOneUndoStep(store);
  try {
    return run();
  } finally {
    end();
  }
}
