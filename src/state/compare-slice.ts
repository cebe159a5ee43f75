import type { StateCreator } from 'zustand';
import type { VmChange } from '../core/index.ts';
import type { EditorMutators, EditorState } from './editor-state.ts';
import type { VmChangesMemo } from './vm-changes.ts';
import { deriveVmChanges } from './vm-changes.ts';

/** What a checkpoint is compared with: another open checkpoint, or a VM definition from a folder. */
export type CompareWith =
  { kind: 'checkpoint'; id: string } | { kind: 'definition'; fileName: string };

export interface Comparing {
  /** The checkpoint (document id) the comparison starts from. */
  id: string;
  with: CompareWith | null;
}

export interface CompareSlice {
  /** The comparison on screen, or null. */
  comparing: Comparing | null;
  /** How the VM changed at each checkpoint from its parent, by document id (only where it did). */
  vmChanges: Record<string, VmChange>;
  vmChangesMemo: VmChangesMemo;
  /** Compares a checkpoint with another: by default its parent, else the checkpoint before it. */
  openCompare: (id: string, other?: CompareWith) => void;
  setCompareWith: (other: CompareWith | null) => void;
  /** The other checkpoint first: the comparison read the other way round. */
  swapCompare: () => void;
  closeCompare: () => void;
  /** Works the VM's changes along the chain out again (the store calls it when the chain changes). */
  updateVmChanges: () => void;
}

// This slice's part of the editor's state.
declare module './editor-state.ts' {
  interface EditorState extends CompareSlice {}
}

/** The checkpoint a comparison starts against when none is named: the parent, else the row above. */
function defaultPartner(s: EditorState, id: string): CompareWith | null {
  const row = s.rowsById[id];
  if (row?.parentId !== undefined) return { kind: 'checkpoint', id: row.parentId };
  const index = s.rows.findIndex((r) => r.id === id);
  const other = s.rows[index > 0 ? index - 1 : index + 1];
  if (other && other.id !== id) return { kind: 'checkpoint', id: other.id };
  const definition = s.definitions[s.definitions.length - 1];
  return definition ? { kind: 'definition', fileName: definition.fileName } : null;
}

export const createCompareSlice: StateCreator<EditorState, EditorMutators, [], CompareSlice> = (
  set,
  get,
) => ({
  comparing: null,
  vmChanges: {},
  vmChangesMemo: {},
  openCompare: (id, other) => {
    const s = get();
    if (!s.documents[id]) return;
    set({ comparing: { id, with: other ?? defaultPartner(s, id) } });
  },
  setCompareWith: (other) => {
    const comparing = get().comparing;
    if (comparing) set({ comparing: { ...comparing, with: other } });
  },
  swapCompare: () => {
    const comparing = get().comparing;
    if (comparing?.with?.kind !== 'checkpoint') return;
    set({ comparing: { id: comparing.with.id, with: { kind: 'checkpoint', id: comparing.id } } });
  },
  closeCompare: () => set({ comparing: null }),
  updateVmChanges: () => {
    const s = get();
    const next = deriveVmChanges(s.rows, s.verdicts, s);
    if (next.vmChanges !== s.vmChanges || next.vmChangesMemo !== s.vmChangesMemo) set(next);
  },
});

export const selectComparing = (s: EditorState) => s.comparing;
export const selectVmChanges = (s: EditorState) => s.vmChanges;
