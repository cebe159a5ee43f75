import { useEditor } from '../../state/index.ts';

/** The key that opens the comparison from the tree, as aria-keyshortcuts spells it. */
export const COMPARE_SHORTCUT = 'Alt+C';

/** Whether a key press in the tree asks for the comparison (Alt+C: letters alone go to type-ahead). */
export function isCompareKey(event: {
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  code: string;
}): boolean {
  return (
    event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.code === 'KeyC'
  );
}

/** "Compare with…" on the selected checkpoint: opens the Compare dialog against its parent. */
export function CompareButton({ id }: { id: string }) {
  const openCompare = useEditor((s) => s.openCompare);
  const others = useEditor((s) => s.documentOrder.length - 1 + s.definitions.length);
  return (
    <button
      type="button"
      className="button small"
      disabled={others < 1}
      aria-keyshortcuts={COMPARE_SHORTCUT}
      title={`Compare this checkpoint with its parent, another checkpoint or a VM definition (${COMPARE_SHORTCUT} in the tree)`}
      onClick={() => openCompare(id)}
    >
      Compare with…
    </button>
  );
}
