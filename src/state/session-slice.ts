import type { StateCreator } from 'zustand';
import type { AutosaveStatus } from './persistence.ts';
import type { EditorMutators, EditorState } from './store.ts';

/** The session's own status: whether the last change is saved in this browser. */
export interface SessionSlice {
  saveStatus: AutosaveStatus | null;
  setSaveStatus: (status: AutosaveStatus) => void;
}

export const createSessionSlice: StateCreator<EditorState, EditorMutators, [], SessionSlice> = (
  set,
) => ({
  saveStatus: null,
  setSaveStatus: (saveStatus) => set({ saveStatus }),
});

export const selectSaveStatus = (s: EditorState) => s.saveStatus;
