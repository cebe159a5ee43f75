import type { StoreApi } from 'zustand';
import type { EditorState, UndoHistory } from './editor-state.ts';
import type { EditorServices } from './services.ts';
import type { OpenStep } from './open-step.ts';

/**
 * One editor as actions and services use it: its state, its undo history (documents only) and its
 * services (workers, the schema validator, the session's saves, background jobs).
 */
export type EditorStore = StoreApi<EditorState> & {
  temporal: UndoHistory;
  /**
   * The steps of the undo history that are opens, each with all the open brought (open-step.ts):
   * the history itself holds only their documents, as zundo applies them.
   */
  openSteps: WeakMap<object, OpenStep>;
  services: EditorServices;
  /** Back to a fresh store: its first state, no history, new services. */
  reset(): void;
};
