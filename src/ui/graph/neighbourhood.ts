import { hierarchy, tree } from 'd3-hierarchy';
import type { ForestRow } from '../../core/index.ts';

/** A box in the graph: a checkpoint, or a note standing for those left out. */
export interface GraphNode {
  id: string;
  x: number;
  y: number;
  /** The checkpoint's document, for a checkpoint. */
  itemId?: string;
  label: string;
  role: 'ancestor' | 'parent' | 'selected' | 'sibling' | 'child' | 'more';
  /** Checkpoints further up the chain than the graph shows (on its top node). */
  above?: number;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
}

export interface NeighbourhoodOptions {
  /** Ancestors shown above the parent. */
  up?: number;
  /** Siblings and children shown at most; the rest are counted in a note. */
  wide?: number;
}

export const NODE_WIDTH = 172;
export const NODE_HEIGHT = 44;

interface Shape {
  id: string;
  node: Omit<GraphNode, 'x' | 'y' | 'id'>;
  children: Shape[];
}

/** At most `wide` of `ids`, the one to keep among them; the rest as a count. */
function capped(ids: readonly string[], keep: string | undefined, wide: number) {
  if (ids.length <= wide) return { shown: [...ids], more: 0 };
  const shown = ids.slice(0, wide);
  if (keep !== undefined && !shown.includes(keep)) shown[wide - 1] = keep;
  return { shown, more: ids.length - shown.length };
}

/**
 * The selection's neighbourhood, laid out top-down with d3-hierarchy: its parent chain a few levels
 * up, its siblings and its children; whatever is cut off is counted.
 */
export function neighbourhood(
  itemsById: Record<string, ForestRow>,
  selectedId: string,
  options: NeighbourhoodOptions = {},
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const up = options.up ?? 3;
  const wide = options.wide ?? 8;
  const selected = itemsById[selectedId];
  if (!selected) return { nodes: [], edges: [] };
  const shape = (id: string, role: GraphNode['role']): Shape => ({
    id,
    node: { itemId: id, label: itemsById[id]?.label ?? id, role },
    children: [],
  });
  const moreNode = (parent: string, n: number, what: string): Shape => ({
    id: `${parent}:more`,
    node: { label: `+${n.toLocaleString('en')} more ${what}`, role: 'more' },
    children: [],
  });

  const self = shape(selectedId, 'selected');
  const kids = capped(selected.childIds, undefined, wide);
  self.children = kids.shown.map((id) => shape(id, 'child'));
  if (kids.more) self.children.push(moreNode(selectedId, kids.more, 'children'));

  let top = self;
  const parent = selected.parentId !== undefined ? itemsById[selected.parentId] : undefined;
  if (parent) {
    const p = shape(parent.id, 'parent');
    const sibs = capped(parent.childIds, selectedId, wide);
    p.children = sibs.shown.map((id) => (id === selectedId ? self : shape(id, 'sibling')));
    if (sibs.more) p.children.push(moreNode(parent.id, sibs.more, 'siblings'));
    top = p;
    let above = parent;
    for (let i = 0; i < up && above.parentId !== undefined; i++) {
      const next = itemsById[above.parentId];
      if (!next) break;
      const a = shape(next.id, 'ancestor');
      a.children = [top];
      top = a;
      above = next;
    }
    const hidden = (itemsById[above.id]?.level ?? 1) - 1;
    if (hidden > 0) top.node.above = hidden;
  }

  const root = hierarchy<Shape>(top, (s) => s.children);
  tree<Shape>()
    .nodeSize([NODE_WIDTH + 16, NODE_HEIGHT + 36])
    .separation((a, b) => (a.parent === b.parent ? 1 : 1.2))(root);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const n of root.descendants()) {
    nodes.push({ id: n.data.id, x: n.x ?? 0, y: n.y ?? 0, ...n.data.node });
    if (n.parent) {
      edges.push({
        id: `${n.parent.data.id}->${n.data.id}`,
        source: n.parent.data.id,
        target: n.data.id,
      });
    }
  }
  return { nodes, edges };
}
