import { useStore } from 'zustand';
import type { TemporalState } from 'zundo';
import type { EditorState, UndoableState } from './store.ts';
import { createEditorStore } from './store.ts';

/** The page's one store. */
export const editorStore = createEditorStore();

const initialState = editorStore.getState();

export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(editorStore, selector);
}

export function useUndoHistory<T>(selector: (s: TemporalState<UndoableState>) => T): T {
  return useStore(editorStore.temporal, selector);
}

export function undo(): void {
  editorStore.temporal.getState().undo();
}

export function redo(): void {
  editorStore.temporal.getState().redo();
}

/** Back to a fresh store with no history: for tests. */
export function resetEditorStore(): void {
  editorStore.setState(initialState, true);
  editorStore.temporal.getState().clear();
}
