import type { StateCreator } from 'zustand';
import { compareNatural } from '../core/index.ts';
import type { DecodedFile, RuleVerdict } from '../core/index.ts';
import type { EditorMutators, EditorState } from './editor-state.ts';

/** A file as read from disk, a folder, a drop or a paste. */
export interface OpenedFile {
  fileName: string;
  contents: string;
  /** What the text alone cannot give back (another encoding, a byte order mark). */
  original?: DecodedFile['original'];
  /** libvirt's verdict, when a worker reached it while reading the file. */
  verdict?: { rulesKey: string; verdict: RuleVerdict };
  /** The VM it belongs to (core's groupByVm key); by default the VM on screen. */
  vm?: string;
  /** Its path as offered, folder included, when it came from a folder or a bundle. */
  path?: string;
}

/** A file opened under the name of one of its VM's open files, with other bytes (issue 21.4). */
export interface SameName {
  file: OpenedFile;
  /** The open document of that name and VM. */
  existingId: string;
}

/** A file that was offered but not opened, and why (not XML, too large, unreadable). */
export interface SkippedFile {
  fileName: string;
  reason: string;
}

export interface OpenSlice {
  /** The files the last open left out. */
  skipped: SkippedFile[];
  setSkipped: (skipped: SkippedFile[]) => void;
  /** Files waiting for the operator: replace the open one, or keep both (labelled by folder). */
  sameNames: SameName[];
  askSameNames: (files: SameName[]) => void;
  resolveSameNames: (choice: 'replace' | 'keep') => void;
  /**
   * virtnbdbackup's files each VM's opens brought (data files, logs, its lists), by VM key: their
   * paths, in path order, read by name alone (core's mapBackups says what they are).
   */
  backupFiles: Record<string, string[]>;
  addBackupFiles: (byVm: Record<string, string[]>) => void;
}

// This slice's part of the editor's state.
declare module './editor-state.ts' {
  interface EditorState extends OpenSlice {}
}

export const createOpenSlice: StateCreator<EditorState, EditorMutators, [], OpenSlice> = (
  set,
  get,
) => ({
  skipped: [],
  setSkipped: (skipped) => set({ skipped }),
  backupFiles: {},
  addBackupFiles: (byVm) => {
    const next = { ...get().backupFiles };
    for (const [vm, paths] of Object.entries(byVm)) {
      const had = next[vm] ?? [];
      next[vm] = [...had, ...paths.filter((p) => !had.includes(p))].sort(compareNatural);
    }
    set({ backupFiles: next });
  },
  sameNames: [],
  askSameNames: (files) => set({ sameNames: [...get().sameNames, ...files] }),
  resolveSameNames: (choice) => {
    const files = get().sameNames;
    set({ sameNames: [] });
    if (choice === 'keep') {
      if (files.length)
        get().appendDocuments(
          files.map((f) => f.file),
          'file',
        );
      return;
    }
    // Replaced as an edit of the open file: its export and Undo see the change.
    for (const { file, existingId } of files) {
      if (get().documents[existingId]) get().updateText(existingId, file.contents);
    }
  },
});

export const selectSameNames = (s: EditorState) => s.sameNames;

export const selectSkipped = (s: EditorState) => s.skipped;

const NO_FILES: string[] = [];

/** The VM on screen's virtnbdbackup files, by path. */
export const selectBackupFiles = (s: EditorState) => s.backupFiles[s.currentVm] ?? NO_FILES;
