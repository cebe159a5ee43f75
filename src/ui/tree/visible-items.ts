import type { CheckpointTreeItem } from '../../state/index.ts';

/** The rows a reader sees: every item whose ancestors are all unfolded. */
export function visibleItems(
  items: readonly CheckpointTreeItem[],
  byId: Record<string, CheckpointTreeItem>,
  collapsed: ReadonlySet<string>,
): CheckpointTreeItem[] {
  if (collapsed.size === 0) return [...items];
  return items.filter((item) => {
    for (let p = item.parentId; p !== undefined; p = byId[p]?.parentId) {
      if (collapsed.has(p)) return false;
    }
    return true;
  });
}
