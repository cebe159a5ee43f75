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
  /** The lane its node is drawn in: 0 in a flat list. */
  lane: number;
  /** How it joins the rows around it in the whole tree, as `git log --graph` draws a history. */
  graph?: RowGraph;
}

/** The lines of a row's graph, each in a lane. */
export interface RowGraph {
  /** A line comes down into its node from its parent, the row above in the same lane. */
  up: boolean;
  /** A line leaves its node downwards: it has children, shown. */
  down: boolean;
  /** A child of a fork hangs from its parent's lane: `tee` when siblings follow, `end` for the last. */
  branch?: { lane: number; kind: 'tee' | 'end' };
  /** Lanes left of its own that a line passes through: forks above with children still to come. */
  through: number[];
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
    // open[lane]: a fork drawn in that lane has children still to come below.
    const open: boolean[] = [];
    const laneOf = new Map<string, number>();
    for (const item of items) {
      if (foldedAt && item.level > foldedAt) continue;
      foldedAt = 0;
      const expandable = item.childIds.length > 0;
      const folded = expandable && collapsed.has(item.id);
      const parentLane = item.parentId === undefined ? undefined : laneOf.get(item.parentId);
      laneOf.set(item.id, item.lane);
      const graph: RowGraph = {
        up: parentLane === item.lane,
        down: expandable && !folded,
        through: [],
      };
      let passes = item.lane;
      if (parentLane !== undefined && parentLane < item.lane) {
        const last = item.posinset === item.setsize;
        graph.branch = { lane: parentLane, kind: last ? 'end' : 'tee' };
        open[parentLane] = !last;
        passes = parentLane;
      }
      for (let lane = 0; lane < passes; lane++) if (open[lane]) graph.through.push(lane);
      rows.push({
        item,
        level: item.level,
        posinset: item.posinset,
        setsize: item.setsize,
        expandable,
        lane: item.lane,
        graph,
      });
      if (folded) foldedAt = item.level;
    }
    return rows;
  }
  // Roots and leaves of the chain, as virsh lists them: files it does not hold are neither.
  const matches = items.filter(
    (item) =>
      (filter === 'all' ||
        (item.key !== undefined &&
          (filter === 'roots' ? item.parentId === undefined : item.childIds.length === 0))) &&
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
    lane: 0,
  }));
}
