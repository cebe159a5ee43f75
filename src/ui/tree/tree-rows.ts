import type { ForestRow } from '../../core/index.ts';

/** virsh checkpoint-list's views: the whole tree, or only its roots or leaves. */
export type TreeFilter = 'all' | 'roots' | 'leaves';

/** One row the tree shows, where it stands among the rows a screen reader hears as its siblings. */
export interface TreeRow {
  item: ForestRow;
  level: number;
  posinset: number;
  setsize: number;
  expandable: boolean;
}

/**
 * The rows to show. The whole tree hides what a folded row holds; roots, leaves or a search give a
 * flat list of the checkpoints that match, in tree order.
 */
export function treeRows(
  items: readonly ForestRow[],
  collapsed: ReadonlySet<string>,
  filter: TreeFilter,
  query: string,
): TreeRow[] {
  const needle = query.trim().toLowerCase();
  if (filter === 'all' && !needle) {
    const rows: TreeRow[] = [];
    // Items are depth first: what a folded row holds is the run of deeper items after it.
    let foldedAt = 0;
    for (const item of items) {
      if (foldedAt && item.level > foldedAt) continue;
      foldedAt = 0;
      const expandable = item.childIds.length > 0;
      rows.push({
        item,
        level: item.level,
        posinset: item.posinset,
        setsize: item.setsize,
        expandable,
      });
      if (expandable && collapsed.has(item.id)) foldedAt = item.level;
    }
    return rows;
  }
  const matches = items.filter(
    (item) =>
      (filter === 'all' ||
        (filter === 'roots' ? item.parentId === undefined : item.childIds.length === 0)) &&
      (!needle ||
        item.label.toLowerCase().includes(needle) ||
        item.fileName.toLowerCase().includes(needle)),
  );
  return matches.map((item, i) => ({
    item,
    level: 1,
    posinset: i + 1,
    setsize: matches.length,
    expandable: false,
  }));
}
