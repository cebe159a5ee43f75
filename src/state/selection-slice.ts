import type { StateCreator } from 'zustand';
import type { EditorMutators, EditorState } from './editor-state.ts';
import { VM_ROW } from './vm-key.ts';

/** Which document the forms and the source view show, and where the source view should go. */
export interface SelectionSlice {
  selectedId: string | null;
  /** A line to reveal in the XML source (from a problem); `seq` makes the same line reveal again. */
  reveal: { id: string; line: number; seq: number } | null;
  /** Whether a key moved the selection there (arrowing through the tree), not a click or a link. */
  selectedByKey: boolean;
  selectDocument: (id: string, by?: 'key') => void;
  revealLine: (id: string, line: number) => void;
}

// This slice's part of the editor's state.
declare module './editor-state.ts' {
  interface EditorState extends SelectionSlice {}
}

export const createSelectionSlice: StateCreator<EditorState, EditorMutators, [], SelectionSlice> = (
  set,
  get,
) => ({
  selectedId: null,
  reveal: null,
  selectedByKey: false,
  selectDocument: (id, by) => {
    const known =
      get().documents[id] ??
      (id.startsWith(VM_ROW) && get().vms.some((v) => VM_ROW + v.key === id));
    if (known && get().selectedId !== id) {
      set({ selectedId: id, selectedByKey: by === 'key' });
    }
  },
  revealLine: (id, line) => {
    if (!get().documents[id]) return;
    // The line is shown in the XML source: the editor's view.
    set({
      selectedId: id,
      selectedByKey: false,
      reveal: { id, line, seq: (get().reveal?.seq ?? 0) + 1 },
      mainView: 'checkpoint',
    });
  },
});

/**
 * The selected document (or VM row), or the first document when the selection is gone (closed, or
 * undone).
 */
export const selectSelectedId = (s: EditorState): string | null =>
  s.selectedId !== null &&
  (s.documents[s.selectedId] ||
    (s.selectedId.startsWith(VM_ROW) && s.currentVm === s.selectedId.slice(VM_ROW.length)))
    ? s.selectedId
    : (s.documentOrder[0] ?? null);

export const selectSelectedDocument = (s: EditorState) => {
  const id = selectSelectedId(s);
  return id === null ? undefined : s.documents[id];
};
