import { describe, expect, it } from 'vitest';
import type { ForestRow as CheckpointTreeItem } from '../../core/index.ts';
import { treeRows } from './tree-rows.ts';
import { typeAheadMatch } from './type-ahead.ts';

/** base → (left → left-child, right); lone */
function items(): CheckpointTreeItem[] {
  const make = (
    id: string,
    level: number,
    posinset: number,
    setsize: number,
    childIds: string[],
    parentId?: string,
  ): CheckpointTreeItem => ({
    id,
    label: id,
    fileName: `${id}.xml`,
    level,
    posinset,
    setsize,
    childIds,
    ...(parentId ? { parentId } : {}),
  });
  return [
    make('base', 1, 1, 2, ['left', 'right']),
    make('left', 2, 1, 2, ['left-child'], 'base'),
    make('left-child', 3, 1, 1, [], 'left'),
    make('right', 2, 2, 2, [], 'base'),
    make('lone', 1, 2, 2, []),
  ];
}

const ids = (rows: ReturnType<typeof treeRows>) => rows.map((r) => r.item.id);

describe('treeRows', () => {
  it('shows the whole tree, less what folded rows hold', () => {
    expect(ids(treeRows(items(), new Set(), 'all', ''))).toEqual([
      'base',
      'left',
      'left-child',
      'right',
      'lone',
    ]);
    expect(ids(treeRows(items(), new Set(['left']), 'all', ''))).toEqual([
      'base',
      'left',
      'right',
      'lone',
    ]);
    expect(ids(treeRows(items(), new Set(['base']), 'all', ''))).toEqual(['base', 'lone']);
  });

  it('lists roots, leaves or matches flat, each at level 1 in a set of its own', () => {
    expect(ids(treeRows(items(), new Set(['base']), 'roots', ''))).toEqual(['base', 'lone']);
    const leaves = treeRows(items(), new Set(), 'leaves', '');
    expect(ids(leaves)).toEqual(['left-child', 'right', 'lone']);
    expect(leaves.map((r) => [r.level, r.posinset, r.setsize, r.expandable])).toEqual([
      [1, 1, 3, false],
      [1, 2, 3, false],
      [1, 3, 3, false],
    ]);
    expect(ids(treeRows(items(), new Set(), 'all', ' LEFT '))).toEqual(['left', 'left-child']);
  });
});

describe('typeAheadMatch', () => {
  const rows = treeRows(items(), new Set(), 'all', '');
  it('goes to the next row starting with a letter, and on among them with the same letter', () => {
    expect(typeAheadMatch(rows, 0, 'l')).toBe(1);
    expect(typeAheadMatch(rows, 1, 'l')).toBe(2);
    expect(typeAheadMatch(rows, 2, 'l')).toBe(4);
    expect(typeAheadMatch(rows, 4, 'l')).toBe(1);
  });

  it('keeps a row that still matches a longer string', () => {
    expect(typeAheadMatch(rows, 1, 'le')).toBe(1);
    expect(typeAheadMatch(rows, 1, 'lo')).toBe(4);
    expect(typeAheadMatch(rows, 0, 'zz')).toBe(-1);
  });
});
