import type { StoreApi } from 'zustand';
import type { EditorState, UndoHistory } from './editor-state.ts';
import type { EditorServices } from './services.ts';

/**
 * One editor as actions and services use it: its state, its undo history (documents only) and its
 * services (workers, the schema validator, the session's saves, background jobs).
 */
export type EditorStore = StoreApi<EditorState> & {
  temporal: UndoHistory;
  services: EditorServices;
  /** Back to a fresh store: its first state, no history, new services. */
  reset(): void;
};
