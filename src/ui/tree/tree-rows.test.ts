import { describe, expect, it } from 'vitest';
import type { ForestRow as CheckpointTreeItem } from '../../core/index.ts';
import { treeRows } from './tree-rows.ts';
import { typeAheadMatch } from './type-ahead.ts';

const make = (
  id: string,
  level: number,
  lane: number,
  posinset: number,
  setsize: number,
  childIds: string[],
  parentId?: string,
): CheckpointTreeItem => ({
  id,
  key: id,
  label: id,
  fileName: `${id}.xml`,
  level,
  lane,
  posinset,
  setsize,
  childIds,
  ...(parentId ? { parentId } : {}),
});

/** base → (left → left-child, right); lone; and a copy of lone outside the chain */
function items(): CheckpointTreeItem[] {
  const copy = make('lone copy', 1, 0, 3, 3, []);
  delete copy.key;
  return [
    make('base', 1, 0, 1, 3, ['left', 'right']),
    make('left', 2, 1, 1, 2, ['left-child'], 'base'),
    make('left-child', 3, 1, 1, 1, [], 'left'),
    make('right', 2, 1, 2, 2, [], 'base'),
    make('lone', 1, 0, 2, 3, []),
    copy,
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
      'lone copy',
    ]);
    expect(ids(treeRows(items(), new Set(['left']), 'all', ''))).toEqual([
      'base',
      'left',
      'right',
      'lone',
      'lone copy',
    ]);
    expect(ids(treeRows(items(), new Set(['base']), 'all', ''))).toEqual([
      'base',
      'lone',
      'lone copy',
    ]);
  });

  it('draws the graph: a line down a chain, branches at a fork, lines passing by', () => {
    // a → b → c → (d → e, f → g); h
    const chain = [
      make('a', 1, 0, 1, 2, ['b']),
      make('b', 2, 0, 1, 1, ['c'], 'a'),
      make('c', 3, 0, 1, 1, ['d', 'f'], 'b'),
      make('d', 4, 1, 1, 2, ['e'], 'c'),
      make('e', 5, 1, 1, 1, [], 'd'),
      make('f', 4, 1, 2, 2, ['g'], 'c'),
      make('g', 5, 1, 1, 1, [], 'f'),
      make('h', 1, 0, 2, 2, []),
    ];
    const graph = (collapsed: string[]) =>
      treeRows(chain, new Set(collapsed), 'all', '').map((r) => [r.item.id, r.lane, r.graph]);
    expect(graph([])).toEqual([
      ['a', 0, { up: false, down: true, through: [] }],
      ['b', 0, { up: true, down: true, through: [] }],
      ['c', 0, { up: true, down: true, through: [] }],
      ['d', 1, { up: false, down: true, through: [], branch: { lane: 0, kind: 'tee' } }],
      ['e', 1, { up: true, down: false, through: [0] }],
      ['f', 1, { up: false, down: true, through: [], branch: { lane: 0, kind: 'end' } }],
      ['g', 1, { up: true, down: false, through: [] }],
      ['h', 0, { up: false, down: false, through: [] }],
    ]);
    // A folded row draws no line down; what it holds is gone, the rest joins as before.
    expect(graph(['d'])[3]).toEqual([
      'd',
      1,
      { up: false, down: false, through: [], branch: { lane: 0, kind: 'tee' } },
    ]);
    expect(graph(['c']).map((r) => r[0])).toEqual(['a', 'b', 'c', 'h']);
  });

  it('lists roots, leaves or matches flat, each at level 1 in a set of its own', () => {
    // A file outside the chain is neither a root nor a leaf of it, as virsh counts them.
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
    expect(typeAheadMatch(rows, 4, 'l')).toBe(5);
    expect(typeAheadMatch(rows, 5, 'l')).toBe(1);
  });

  it('keeps a row that still matches a longer string', () => {
    expect(typeAheadMatch(rows, 1, 'le')).toBe(1);
    expect(typeAheadMatch(rows, 1, 'lo')).toBe(4);
    expect(typeAheadMatch(rows, 0, 'zz')).toBe(-1);
  });
});
