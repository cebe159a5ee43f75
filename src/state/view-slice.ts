import type { StateCreator } from 'zustand';
import type { EditorMutators, EditorState } from './store.ts';

/** The main area's views of the loaded checkpoints (one file, the chain, its bitmaps, a graph), and how to collect them from a host. */
export type MainView = 'checkpoint' | 'chain' | 'bitmaps' | 'graph' | 'collect';

export interface ViewSlice {
  mainView: MainView;
  showView: (view: MainView) => void;
  /** Opens a checkpoint in the editor: selects it and shows the Checkpoint view. */
  openInEditor: (id: string) => void;
}

export const createViewSlice: StateCreator<EditorState, EditorMutators, [], ViewSlice> = (
  set,
  get,
) => ({
  mainView: 'checkpoint',
  showView: (mainView) => {
    if (get().mainView !== mainView) set({ mainView });
  },
  openInEditor: (id) => {
    if (!get().documents[id]) return;
    set({ selectedId: id, selectedByKey: false, mainView: 'checkpoint' });
  },
});

export const selectMainView = (s: EditorState) => s.mainView;
