import type { StateCreator } from 'zustand';
import type { AutosaveStatus, SaveReport } from './persistence.ts';
import type { EditorMutators, EditorState } from './store.ts';

/**
 * Whether this tab edits the session (one tab at a time does) or shows it read-only: another tab
 * had it first, another tab took it over, the tab that edited it has gone, or this one is taking
 * it over.
 */
export type SessionAccess = 'editing' | 'elsewhere' | 'taken-over' | 'vacant' | 'taking-over';

/** A file the browser refused to store, as it was then: at risk until stored or exported. */
export interface UnsavedFile {
  fileName: string;
  text: string;
  /** The browser's reason, in the operator's words. */
  reason: string;
}

/** The session's own status: who edits it, and whether every change is stored in this browser. */
export interface SessionSlice {
  /** Set only while this tab edits the session. */
  saveStatus: AutosaveStatus | null;
  access: SessionAccess;
  unsaved: Record<string, UnsavedFile>;
  /** Why the list of open files could not be stored, if it could not. */
  sessionSaveError: string | null;
  /** Saves of the editing tab heard so far: each one is read into this (read-only) tab. */
  remoteSaves: number;
  setSaveStatus: (status: AutosaveStatus) => void;
  setAccess: (access: SessionAccess) => void;
  /** What a save stored and what the browser refused: "saved" only when nothing is left out. */
  applySaveReport: (report: SaveReport) => void;
  noteRemoteSave: () => void;
}

export const createSessionSlice: StateCreator<EditorState, EditorMutators, [], SessionSlice> = (
  set,
  get,
) => ({
  saveStatus: null,
  access: 'editing',
  unsaved: {},
  sessionSaveError: null,
  remoteSaves: 0,
  setSaveStatus: (saveStatus) => set({ saveStatus }),
  setAccess: (access) =>
    set({ access, saveStatus: access === 'editing' ? get().saveStatus : null }),
  applySaveReport: (report) => {
    const { documents, unsaved, access } = get();
    const next = { ...unsaved };
    for (const id of report.stored) delete next[id];
    for (const [id, reason] of Object.entries(report.refused)) {
      const doc = documents[id];
      if (doc) next[id] = { fileName: doc.fileName, text: doc.text, reason };
    }
    const sessionSaveError = report.sessionError ?? null;
    const failed = Object.keys(next).length > 0 || sessionSaveError !== null;
    set({
      unsaved: next,
      sessionSaveError,
      saveStatus:
        access !== 'editing' ? null : failed ? 'failed' : report.pending ? 'saving' : 'saved',
    });
  },
  noteRemoteSave: () => set({ remoteSaves: get().remoteSaves + 1 }),
});

export const selectSaveStatus = (s: EditorState) => s.saveStatus;
export const selectAccess = (s: EditorState) => s.access;
export const selectReadOnly = (s: EditorState) => s.access !== 'editing';
export const selectUnsaved = (s: EditorState) => s.unsaved;
export const selectSessionSaveError = (s: EditorState) => s.sessionSaveError;
