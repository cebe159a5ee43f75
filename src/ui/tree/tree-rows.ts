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

/**
 * Type-ahead: the next row after `from` (wrapping) whose name starts with what was typed; typing
 * one letter again moves on among the rows starting with it.
 */
export function typeAheadMatch(rows: readonly TreeRow[], from: number, typed: string): number {
  const text = typed.toLowerCase();
  if (!text || rows.length === 0) return -1;
  const same = [...text].every((c) => c === text[0]);
  const prefix = same ? (text[0] as string) : text;
  // A longer string stays on the current row if it still matches; one letter moves on.
  const start = same ? from + 1 : from;
  for (let i = 0; i < rows.length; i++) {
    const index = (start + i + rows.length) % rows.length;
    if (rows[index]?.item.label.toLowerCase().startsWith(prefix)) return index;
  }
  return -1;
}
