import type { StateCreator } from 'zustand';
import type { ForestRow, RedefinePlan, ZipRename } from '../core/index.ts';
import { buildForest, planRedefine, redefineScript, zipEntryNames } from '../core/index.ts';
import type { ChainFields } from './derive-chain.ts';
import { deriveChainStep } from './chain-step.ts';
import { deriveChain } from './derive-chain.ts';
import { DEFAULT_VM, vmOfSelection } from './vm-key.ts';
import { markWork } from './form-drafts.ts';
import type { EditorMutators, EditorState } from './editor-state.ts';
import type { VmChain } from './vm-chain.ts';

/**
 * What the open documents make together, kept in the store: libvirt's verdicts, the forest, the
 * tree's rows, every problem of each document and the counts. `updateChain` works it out again
 * whenever the documents, the rules or the results change (the store calls it: see store.ts); the
 * rest only read it.
 */
export interface ChainSlice extends ChainFields {
  updateChain: () => void;
}

// This slice's part of the editor's state.
declare module './editor-state.ts' {
  interface EditorState extends ChainSlice {}
}

/** Whether a change of the store changes what the chain is made of. */
export function chainInputsChanged(s: EditorState, prev: EditorState): boolean {
  return (
    s.documents !== prev.documents ||
    s.documentOrder !== prev.documentOrder ||
    s.profile !== prev.profile ||
    s.targets !== prev.targets ||
    s.definitions !== prev.definitions ||
    s.imagesByVm !== prev.imagesByVm ||
    s.ruleResults !== prev.ruleResults ||
    s.schemaResults !== prev.schemaResults ||
    s.schemaSet.generation !== prev.schemaSet.generation ||
    // Another VM on screen.
    (s.selectedId !== prev.selectedId &&
      vmOfSelection(s, s.selectedId) !== vmOfSelection(prev, prev.selectedId))
  );
}

export const createChainSlice: StateCreator<EditorState, EditorMutators, [], ChainSlice> = (
  set,
  get,
) => ({
  verdicts: {},
  vms: [],
  currentVm: DEFAULT_VM,
  target: null,
  definitionsOnScreen: [],
  forest: buildForest([]),
  rows: [],
  rowsById: {},
  idByFile: new Map(),
  treeItems: [],
  problemsById: {},
  schemaStatusById: {},
  counts: { validating: 0, checking: 0, errors: 0, warnings: 0 },
  uncheckedIds: [],
  chainMemo: { pageChecks: {}, merged: {} },
  // Only the documents added or changed since, when that says it all; else every document.
  updateChain: () => {
    markWork('chain-update');
    set(deriveChainStep(get()) ?? deriveChain(get()));
  },
});

export const selectForest = (s: EditorState) => s.forest;
export const selectRows = (s: EditorState) => s.rows;
export const selectRowsById = (s: EditorState) => s.rowsById;
export const selectVerdicts = (s: EditorState) => s.verdicts;
export const selectProblemsById = (s: EditorState) => s.problemsById;
export const selectCounts = (s: EditorState) => s.counts;
export const selectIdByFile = (s: EditorState) => s.idByFile;
export const selectUncheckedIds = (s: EditorState) => s.uncheckedIds;
export const selectVms = (s: EditorState) => s.vms;
export const selectTreeItems = (s: EditorState) => s.treeItems;
export const selectCurrentVm = (s: EditorState) => s.currentVm;
/** The VM on screen's chain. */
export const selectCurrentVmChain = (s: EditorState): VmChain | undefined =>
  s.vms.find((v) => v.key === s.currentVm);

/**
 * The name each open file gets in the Export all zip, by document id: unique where Windows and
 * macOS ignore case and Unicode form, and one every system can write. The redefine script uses the
 * same names, so it runs as is where the zip is unpacked.
 */
export function zipNamesOf(rows: readonly ForestRow[]): {
  byId: ReadonlyMap<string, string>;
  renamed: readonly ZipRename[];
} {
  const { names, renamed } = zipEntryNames(rows.map((row) => row.fileName));
  return { byId: new Map(rows.map((row, i) => [row.id, names[i] as string])), renamed };
}

/**
 * What a redefine of the loaded chain does: the checkpoints libvirt will take, each root's subtree
 * together, parents first; those it would refuse (a file with errors, a parent missing, a cycle, a
 * name defined twice) left out with everything below them, each with why.
 */
export function selectRedefinePlan(
  s: Pick<EditorState, 'forest' | 'idByFile' | 'problemsById'>,
): RedefinePlan {
  const errorsOf = (key: string) => {
    const file = s.forest.entries.get(key)?.file;
    const id = file === undefined ? undefined : s.idByFile.get(file);
    let errors = 0;
    for (const p of (id !== undefined && s.problemsById[id]) || []) {
      if (p.severity === 'error') errors++;
    }
    return errors;
  };
  return planRedefine(s.forest, { errorsOf });
}

/**
 * The script that redefines the plan's checkpoints with virsh on the VM the files name; with
 * --redefine-validate when the operator asks for it. Files are named as in the zip.
 */
export function selectRedefineScript(
  s: Pick<
    EditorState,
    'forest' | 'rows' | 'redefineValidate' | 'idByFile' | 'problemsById' | 'target'
  >,
  plan: RedefinePlan = selectRedefinePlan(s),
): string {
  const { byId } = zipNamesOf(s.rows);
  const fileOf = (_key: string, file: string) => byId.get(s.idByFile.get(file) ?? '') ?? file;
  // The VM's current definition, when loaded: the script checks its uuid and disks' images.
  const vm = s.target?.domain;
  return redefineScript(s.forest, {
    validate: s.redefineValidate,
    fileOf,
    plan,
    ...(vm ? { vm: { ...(vm.uuid ? { uuid: vm.uuid } : {}), disks: vm.disks } } : {}),
  });
}
