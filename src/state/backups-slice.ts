import type { StateCreator } from 'zustand';
import type { BackupFolder, BackupHeader, Forest, Problem } from '../core/index.ts';
import { buildForest, hasBackupData, mapBackups } from '../core/index.ts';
import type { EditorMutators, EditorState } from './editor-state.ts';

/**
 * A VM's virtnbdbackup folder as the page holds it: its data files mapped to its checkpoints (core's
 * mapBackups, as the CLI's check and tree map them) and its problems, each with the checkpoint file
 * it is about, so the Validation panel lists them and every count counts them (issue 21.6).
 */
export interface BackupState {
  folder: BackupFolder;
  /** Problems of a checkpoint's backup (no full backup before it, no data file), by document id. */
  problemsById: Record<string, Problem[]>;
  /** Problems of data files no open checkpoint is named for (an incremental without its checkpoint). */
  dataFileProblems: Problem[];
}

export interface BackupsSlice {
  /** Each VM's (by key) backup state, derived; only VMs that brought a data file have one. */
  backupStates: Record<string, BackupState>;
  /** What the backup states were worked out from: in all, and each VM's. */
  backupStateInputs: { all: unknown[]; byVm: Record<string, unknown[]> };
  updateBackupStates: () => void;
}

// This slice's part of the editor's state.
declare module './editor-state.ts' {
  interface EditorState extends BackupsSlice {}
}

const EMPTY_FOREST = buildForest([]);

/** One VM's backup state from its backup files' paths, their headers and its chain. */
export function deriveBackupState(
  paths: readonly string[],
  headers: Readonly<Record<string, BackupHeader>>,
  forest: Forest,
  idByFile: ReadonlyMap<string, string>,
): BackupState {
  const known = new Map(paths.flatMap((p) => (headers[p] ? [[p, headers[p]] as const] : [])));
  const folder = mapBackups(paths, [...forest.entries.values()], known);
  const problemsById: Record<string, Problem[]> = {};
  const dataFileProblems: Problem[] = [];
  for (const p of folder.problems) {
    const id = p.file === undefined ? undefined : idByFile.get(p.file);
    if (id === undefined) dataFileProblems.push(p);
    else (problemsById[id] ??= []).push(p);
  }
  return { folder, problemsById, dataFileProblems };
}

export const createBackupsSlice: StateCreator<EditorState, EditorMutators, [], BackupsSlice> = (
  set,
  get,
) => ({
  backupStates: {},
  backupStateInputs: { all: [], byVm: {} },
  updateBackupStates: () => {
    const s = get();
    // Called at every change of the store: most change none of the inputs.
    const all = [s.vms, s.backupFiles, s.backupHeaders];
    if (all.every((x, i) => x === s.backupStateInputs.all[i])) return;
    const chains = new Map(s.vms.map((v) => [v.key, v]));
    const backupStates: Record<string, BackupState> = {};
    const byVm: Record<string, unknown[]> = {};
    let changed = false;
    for (const [key, paths] of Object.entries(s.backupFiles)) {
      if (!hasBackupData(paths)) continue;
      const vm = chains.get(key);
      const inputs = [paths, s.backupHeaders, vm?.forest, vm?.idByFile];
      const before = s.backupStateInputs.byVm[key];
      const had = s.backupStates[key];
      if (had && before && inputs.every((x, i) => x === before[i])) backupStates[key] = had;
      else {
        changed = true;
        backupStates[key] = deriveBackupState(
          paths,
          s.backupHeaders,
          vm?.forest ?? EMPTY_FOREST,
          vm?.idByFile ?? new Map(),
        );
      }
      byVm[key] = inputs;
    }
    const same =
      !changed && Object.keys(backupStates).length === Object.keys(s.backupStates).length;
    set({
      backupStateInputs: { all, byVm },
      ...(same ? {} : { backupStates }),
    });
  },
});

/** The VM on screen's backup state: undefined when it brought no virtnbdbackup data file. */
export const selectBackupState = (s: EditorState): BackupState | undefined =>
  s.backupStates[s.currentVm];
