import type { StateCreator } from 'zustand';
import { VM_ROW } from './vm-key.ts';
import type { HistoryNote } from './history-note.ts';
import type { EditorMutators, EditorState } from './editor-state.ts';

/** The main area's views: one file, the chain, its bitmaps, a graph; how to collect from a host; help. */
export type MainView =
  'vms' | 'checkpoint' | 'chain' | 'bitmaps' | 'backups' | 'graph' | 'collect' | 'help';

/** The page's panes: how wide the checkpoints are, how tall the problems, and which are hidden. */
export interface PaneLayout {
  sidebarWidth: number;
  sidebarCollapsed: boolean;
  validationHeight: number;
  validationCollapsed: boolean;
}

/** Each pane's size stays between these, in CSS pixels. */
export const PANE_LIMITS = {
  sidebarWidth: { min: 200, max: 640 },
  validationHeight: { min: 80, max: 600 },
} as const;

export interface ViewSlice {
  mainView: MainView;
  /** The problem code the Help view shows, when one was asked for. */
  helpCode: string | null;
  /** Counts the requests, so that asking for the same code again goes to it again. */
  helpSeq: number;
  layout: PaneLayout;
  /** Whether times show the browser's local time (and its zone) beside UTC, the reference. */
  localTime: boolean;
  setLocalTime: (localTime: boolean) => void;
  /** What the last undo or redo changed, said in the top bar. */
  historyNote: HistoryNote | null;
  noteHistoryStep: (text: string) => void;
  showView: (view: MainView) => void;
  /** Opens a checkpoint in the editor: selects it and shows the Checkpoint view; a VM's row, its Chain. */
  openInEditor: (id: string) => void;
  /** Shows the Help view, at a problem code's entry when given. */
  showHelp: (code?: string) => void;
  /** Sets a pane's size (kept within PANE_LIMITS) or whether it is hidden. */
  setLayout: (change: Partial<PaneLayout>) => void;
}

// This slice's part of the editor's state.
declare module './editor-state.ts' {
  interface EditorState extends ViewSlice {}
}

const clamp = (value: number, { min, max }: { min: number; max: number }) =>
  Math.round(Math.min(max, Math.max(min, value)));

export const createViewSlice: StateCreator<EditorState, EditorMutators, [], ViewSlice> = (
  set,
  get,
) => ({
  mainView: 'checkpoint',
  helpCode: null,
  helpSeq: 0,
  layout: {
    sidebarWidth: 380,
    sidebarCollapsed: false,
    validationHeight: 180,
    validationCollapsed: false,
  },
  localTime: false,
  setLocalTime: (localTime) => set({ localTime }),
  historyNote: null,
  noteHistoryStep: (text) =>
    set({
      historyNote: { text, seq: (get().historyNote?.seq ?? 0) + 1, documents: get().documents },
    }),
  showView: (mainView) => {
    if (get().mainView !== mainView) set({ mainView });
  },
  openInEditor: (id) => {
    if (id.startsWith(VM_ROW) && get().vms.some((v) => VM_ROW + v.key === id)) {
      set({ selectedId: id, selectedByKey: false, mainView: 'chain' });
      return;
    }
    if (!get().documents[id]) return;
    set({ selectedId: id, selectedByKey: false, mainView: 'checkpoint' });
  },
  showHelp: (code) => set({ mainView: 'help', helpCode: code ?? null, helpSeq: get().helpSeq + 1 }),
  setLayout: (change) => {
    const next = { ...get().layout, ...change };
    next.sidebarWidth = clamp(next.sidebarWidth, PANE_LIMITS.sidebarWidth);
    next.validationHeight = clamp(next.validationHeight, PANE_LIMITS.validationHeight);
    set({ layout: next });
  },
});

export const selectMainView = (s: EditorState) => s.mainView;
export const selectHelpCode = (s: EditorState) => s.helpCode;
export const selectLayout = (s: EditorState) => s.layout;
export const selectLocalTime = (s: EditorState) => s.localTime;
/** The last undo's or redo's line, until the documents change again. */
export const selectHistoryNote = (s: EditorState) =>
  s.historyNote?.documents === s.documents ? s.historyNote : null;
