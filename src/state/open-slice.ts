import type { StateCreator } from 'zustand';
import type { BackupHeader } from '../core/index.ts';
import { compareNatural } from '../core/index.ts';
import type { DecodedFile, Problem, RuleVerdict } from '../core/index.ts';
import type { EditorMutators, EditorState } from './editor-state.ts';

/** A file as read from disk, a folder, a drop or a paste. */
export interface OpenedFile {
  fileName: string;
  contents: string;
  /** What the text alone cannot give back (another encoding, a byte order mark). */
  original?: DecodedFile['original'];
  /** libvirt's verdict, when a worker reached it while reading the file. */
  verdict?: { rulesKey: string; verdict: RuleVerdict };
  /** The schema's verdict on `contents`, when the worker that read the file validated it. */
  schema?: { generation: number; problems: Problem[] };
  /** The VM it belongs to (core's groupByVm key); by default the VM on screen. */
  vm?: string;
  /** Its path as offered, folder included, when it came from a folder or a bundle. */
  path?: string;
}

/**
 * A file offered under the name of one of its VM's open files, with other bytes (issue 21.4): held
 * back, not opened, until the operator says which to keep.
 */
export interface SameName {
  file: OpenedFile;
  /** The open document of that name and VM. */
  existingId: string;
  /** The open document came in with the same open (two folders of one drop): neither was chosen yet. */
  sameOpen?: boolean;
}

/** The files offered under one open document's name, as the operator is asked about them. */
export interface SameNameGroup {
  existingId: string;
  files: SameName[];
}

/**
 * What the operator keeps of one name: every file (`all`: the safe choice, nothing lost), the open
 * one only (`open`), or only the offered file at that index of its group.
 */
export type SameNameChoice = 'all' | 'open' | number;

/** The files held back, by the open document whose name they carry, in the order offered. */
export function sameNameGroups(sameNames: readonly SameName[]): SameNameGroup[] {
  const groups = new Map<string, SameNameGroup>();
  for (const n of sameNames) {
    const group = groups.get(n.existingId);
    if (group) group.files.push(n);
    else groups.set(n.existingId, { existingId: n.existingId, files: [n] });
  }
  return [...groups.values()];
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
  /**
   * Files waiting for the operator: for each name, keep every file (each labelled by its folder),
   * the open one only, or one of the others. Stored with the session, so a reload asks again.
   */
  sameNames: SameName[];
  askSameNames: (files: SameName[]) => void;
  /** The operator's answer, by the open document's id; a name not in it keeps every file. */
  resolveSameNames: (choices: Readonly<Record<string, SameNameChoice>>) => void;
  /**
   * virtnbdbackup's files each VM's opens brought (data files, logs, its lists), by VM key: their
   * paths, in path order, read by name alone (core's mapBackups says what they are).
   */
  backupFiles: Record<string, string[]>;
  /** Their data files' headers (what each says it holds), by path. */
  backupHeaders: Record<string, BackupHeader>;
  addBackupFiles: (
    byVm: Record<string, string[]>,
    headers?: Readonly<Record<string, BackupHeader>>,
  ) => void;
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
  backupHeaders: {},
  addBackupFiles: (byVm, headers = {}) => {
    const next = { ...get().backupFiles };
    for (const [vm, paths] of Object.entries(byVm)) {
      const had = next[vm] ?? [];
      next[vm] = [...had, ...paths.filter((p) => !had.includes(p))].sort(compareNatural);
    }
    set({ backupFiles: next, backupHeaders: { ...get().backupHeaders, ...headers } });
  },
  sameNames: [],
  askSameNames: (files) => set({ sameNames: [...get().sameNames, ...files] }),
  resolveSameNames: (choices) => {
    const groups = sameNameGroups(get().sameNames);
    set({ sameNames: [] });
    const opened: OpenedFile[] = [];
    const passed: SkippedFile[] = [];
    const pathOf = (f: { fileName: string; path?: string }) => f.path ?? f.fileName;
    for (const { existingId, files } of groups) {
      const choice = choices[existingId] ?? 'all';
      const open = get().documents[existingId];
      if (choice === 'all' || !open) {
        for (const f of files) opened.push(f.file);
        continue;
      }
      const chosen = typeof choice === 'number' ? files[choice] : undefined;
      const kept = chosen ? pathOf(chosen.file) : pathOf(open);
      for (const f of files) {
        if (f !== chosen)
          passed.push({
            fileName: pathOf(f.file),
            reason: `not opened: ${kept} kept under its name`,
          });
      }
      if (!chosen) continue;
      if (chosen.sameOpen) {
        // Neither was chosen before: the one kept opens as the file it is, folder and all.
        get().closeDocument(existingId);
        passed.push({ fileName: pathOf(open), reason: `closed: ${kept} kept under its name` });
        opened.push(chosen.file);
      } else {
        // Replaced as an edit of the open file: its export and Undo see the change.
        get().updateText(existingId, chosen.file.contents);
      }
    }
    if (opened.length) get().appendDocuments(opened, 'file');
    if (passed.length) get().setSkipped([...get().skipped, ...passed]);
  },
});

export const selectSameNames = (s: EditorState) => s.sameNames;

export const selectSkipped = (s: EditorState) => s.skipped;

const NO_FILES: string[] = [];

/** The VM on screen's virtnbdbackup files, by path. */
export const selectBackupFiles = (s: EditorState) => s.backupFiles[s.currentVm] ?? NO_FILES;
