/** Which VM a document, a selection or the page is about: the key every per-VM part of the state hangs under. */

/**
 * The VM of files opened before the page knew VMs, and of loose files without `<domain>` (core's
 * key for the top folder).
 */
export const DEFAULT_VM = 'folder:';

/** The VM a document belongs to. */
export function vmOf(doc: { vm?: string }): string {
  return doc.vm ?? DEFAULT_VM;
}

/** A VM's row in the tree, selectable as a document is: its id is the VM's key after this. */
export const VM_ROW = 'vm:';

/** The VM a selection id names: a VM's row, or a document's VM. */
export function vmOfSelection(
  s: { documents: Record<string, { vm?: string } | undefined> },
  id: string | null,
): string | undefined {
  if (id === null) return undefined;
  if (id.startsWith(VM_ROW)) return id.slice(VM_ROW.length);
  const doc = s.documents[id];
  return doc && vmOf(doc);
}

/** The VM on screen: the selected row's, else the first open document's. */
export function currentVmKey(s: {
  documents: Record<string, { vm?: string } | undefined>;
  documentOrder: readonly string[];
  selectedId: string | null;
}): string {
  const selected = vmOfSelection(s, s.selectedId);
  if (selected !== undefined) return selected;
  const doc =
    (s.selectedId !== null ? s.documents[s.selectedId] : undefined) ??
    s.documents[s.documentOrder[0] ?? ''];
  return doc ? vmOf(doc) : DEFAULT_VM;
}
