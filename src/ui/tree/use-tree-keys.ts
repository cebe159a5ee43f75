import type { KeyboardEvent } from 'react';
import { useRef } from 'react';
import type { TreeRow } from './tree-rows.ts';
import { TYPE_AHEAD_MS, typeAheadMatch } from './type-ahead.ts';

export interface TreeKeyActions {
  /** Moves the focus (and the selection) to the row at `index`, as a key does. */
  moveTo: (index: number) => void;
  setFolded: (id: string, folded: boolean) => void;
  select: (id: string) => void;
  open: (id: string) => void;
}

/**
 * The tree's keys, as the WAI-ARIA tree pattern has them: arrows move and fold, Home and End,
 * Enter opens, Space selects, and typing a name goes to it.
 */
export function useTreeKeys(
  rows: readonly TreeRow[],
  activeIndex: number,
  collapsed: ReadonlySet<string>,
  indexById: ReadonlyMap<string, number>,
  actions: TreeKeyActions,
) {
  const typed = useRef({ text: '', at: 0 });
  return (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const row = rows[activeIndex];
    if (!row) return;
    const { item } = row;
    const folded = collapsed.has(item.id);
    const { moveTo, setFolded } = actions;
    switch (event.key) {
      case 'ArrowDown':
        moveTo(activeIndex + 1);
        break;
      case 'ArrowUp':
        moveTo(activeIndex - 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rows.length - 1);
        break;
      case 'ArrowRight':
        if (row.expandable && folded) setFolded(item.id, false);
        else if (row.expandable) moveTo(activeIndex + 1);
        break;
      case 'ArrowLeft':
        if (row.expandable && !folded) setFolded(item.id, true);
        else if (row.level > 1 && item.parentId !== undefined) {
          const parent = indexById.get(item.parentId);
          if (parent !== undefined) moveTo(parent);
        }
        break;
      case 'Enter':
        actions.open(item.id);
        break;
      case ' ':
        actions.select(item.id);
        break;
      default: {
        if (event.key.length !== 1 || !/\S/.test(event.key)) return;
        const now = Date.now();
        const text =
          now - typed.current.at > TYPE_AHEAD_MS ? event.key : typed.current.text + event.key;
        typed.current = { text, at: now };
        const match = typeAheadMatch(rows, activeIndex, text);
        if (match >= 0) moveTo(match);
      }
    }
    event.preventDefault();
  };
}
