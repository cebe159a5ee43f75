import type { StateCreator } from 'zustand';
import type { EditorMutators, EditorState } from './store.ts';

/** A file that was offered but not opened, and why (not XML, too large, unreadable). */
export interface SkippedFile {
  fileName: string;
  reason: string;
}

export interface OpenSlice {
  /** The files the last open left out. */
  skipped: SkippedFile[];
  setSkipped: (skipped: SkippedFile[]) => void;
}

export const createOpenSlice: StateCreator<EditorState, EditorMutators, [], OpenSlice> = (set) => ({
  skipped: [],
  setSkipped: (skipped) => set({ skipped }),
});

export const selectSkipped = (s: EditorState) => s.skipped;
