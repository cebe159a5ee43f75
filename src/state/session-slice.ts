import type { StateCreator } from 'zustand';
import type { AutosaveStatus } from './persistence.ts';
import type { SaveReport } from './session-save.ts';
import type { EditorMutators, EditorState } from './editor-state.ts';

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

/** Whether the browser keeps the session's storage: asked once, when the session first stores something. */
export type StoragePersistence = 'asked' | 'granted' | 'refused';

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
  persistence: StoragePersistence | null;
  /** The browser's storage was found cleared under this tab: the session is being saved again, or was. */
  storageCleared: 'saving' | 'saved' | null;
  /** Files whose edits, typed before a tab closed and never stored, were written again at load. */
  replayedEdits: string[];
  /** The connection to the storage was lost and it is not yet known whether the data are there. */
  storageInDoubt: boolean;
  setSaveStatus: (status: AutosaveStatus) => void;
  setAccess: (access: SessionAccess) => void;
  /** What a save stored and what the browser refused: "saved" only when nothing is left out. */
  applySaveReport: (report: SaveReport) => void;
  noteRemoteSave: () => void;
  setPersistence: (persistence: StoragePersistence) => void;
  noteStorageCleared: () => void;
  setStorageInDoubt: (inDoubt: boolean) => void;
  noteReplayedEdits: (fileNames: string[]) => void;
  /** The operator read the notices about the storage and replayed edits. */
  dismissStorageNotices: () => void;
}

// This slice's part of the editor's state.
declare module './editor-state.ts' {
  interface EditorState extends SessionSlice {}
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
  persistence: null,
  storageCleared: null,
  replayedEdits: [],
  storageInDoubt: false,
  setSaveStatus: (saveStatus) => set({ saveStatus }),
  setAccess: (access) =>
    set({ access, saveStatus: access === 'editing' ? get().saveStatus : null }),
  applySaveReport: (report) => {
    const { documents, unsaved, access, storageCleared, storageInDoubt } = get();
    const next = { ...unsaved };
    for (const id of report.stored) delete next[id];
    for (const [id, reason] of Object.entries(report.refused)) {
      const doc = documents[id];
      if (doc) next[id] = { fileName: doc.fileName, text: doc.text, reason };
    }
    const sessionSaveError = report.sessionError ?? null;
    const failed = Object.keys(next).length > 0 || sessionSaveError !== null;
    const done = !failed && !report.pending && !storageInDoubt;
    set({
      unsaved: next,
      sessionSaveError,
      saveStatus: access !== 'editing' ? null : failed ? 'failed' : done ? 'saved' : 'saving',
      storageCleared: storageCleared === 'saving' && done ? 'saved' : storageCleared,
    });
  },
  noteRemoteSave: () => set({ remoteSaves: get().remoteSaves + 1 }),
  setPersistence: (persistence) => set({ persistence }),
  noteStorageCleared: () => set({ storageCleared: 'saving', saveStatus: 'saving' }),
  setStorageInDoubt: (storageInDoubt) => {
    const { saveStatus } = get();
    set({
      storageInDoubt,
      saveStatus: storageInDoubt && saveStatus === 'saved' ? 'saving' : saveStatus,
    });
  },
  noteReplayedEdits: (replayedEdits) => set({ replayedEdits }),
  dismissStorageNotices: () => set({ storageCleared: null, replayedEdits: [] }),
});

export const selectSaveStatus = (s: EditorState) => s.saveStatus;
export const selectAccess = (s: EditorState) => s.access;
export const selectReadOnly = (s: EditorState) => s.access !== 'editing';
export const selectUnsaved = (s: EditorState) => s.unsaved;
export const selectSessionSaveError = (s: EditorState) => s.sessionSaveError;
export const selectStorageCleared = (s: EditorState) => s.storageCleared;
export const selectPersistence = (s: EditorState) => s.persistence;
export const selectReplayedEdits = (s: EditorState) => s.replayedEdits;
