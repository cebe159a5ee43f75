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
  vmChangesMemo: new Map(),
  openCompare: (id, other) => {
    const s = get();
    if (!s.documents[id]) return;
    set({ comparing: { id, with: other ?? defaultPartner(s, id) } });
  },
  setCompareWith: (other) => {
    const comparing = get().comparing;
    if (comparing) set({ comparing: { ...comparing, with: other } });
  },
  closeCompare: () => set({ comparing: null }),
  updateVmChanges: () => {
    const s = get();
    const next = deriveVmChanges(s.rows, s.verdicts, s, s.rowsById);
    if (next.vmChanges !== s.vmChanges || next.vmChangesMemo !== s.vmChangesMemo) set(next);
  },
});

export const selectComparing = (s: EditorState) => s.comparing;

/** Whether `ancestor` is reached from `id` by its parent links. */
function isAncestor(s: EditorState, ancestor: string, id: string): boolean {
  const seen = new Set<string>();
  for (let at = s.rowsById[id]?.parentId; at !== undefined; at = s.rowsById[at]?.parentId) {
    if (at === ancestor) return true;
    if (seen.has(at)) return false;
    seen.add(at);
  }
  return false;
}

/** A checkpoint's creation time as a number of seconds, when it has one libvirt reads. */
function createdAt(s: EditorState, id: string): bigint | undefined {
  const t = s.verdicts[id]?.checkpoint?.creationTime;
  return t !== undefined && /^\d+$/.test(t) ? BigInt(t) : undefined;
}

/**
 * Whether checkpoint `a` came before checkpoint `b`: by the parent links (an ancestor is older),
 * else by their creation times; undefined when neither tells.
 */
export function isOlder(s: EditorState, a: string, b: string): boolean | undefined {
  if (isAncestor(s, a, b)) return true;
  if (isAncestor(s, b, a)) return false;
  const ta = createdAt(s, a);
  const tb = createdAt(s, b);
  return ta === undefined || tb === undefined || ta === tb ? undefined : ta < tb;
}

/**
 * Whether the comparison on screen reads from the checkpoint it was compared with: the older is
 * always on the left, as the chain and `diff OLDER NEWER` read (`memory: 4 GiB → 8 GiB`).
 */
export const selectCompareFromOther = (s: EditorState): boolean =>
  s.comparing?.with?.kind === 'checkpoint' &&
  isOlder(s, s.comparing.with.id, s.comparing.id) === true;
export const selectVmChanges = (s: EditorState) => s.vmChanges;
