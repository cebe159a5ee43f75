import type { Forest } from './forest.ts';

/** One row of the checkpoint tree: a loaded file, and where it stands in the forest. */
export interface ForestRow {
  /** The file's id, as the caller gave it. */
  id: string;
  /** The checkpoint's name, or the file name when it has none or cannot be read. */
  label: string;
  fileName: string;
  /** 1-based, as aria-level counts. */
  level: number;
  /**
   * How far right the row is drawn, 0-based: one lane more below each fork, none for an only
   * child, so that a long chain stays in one lane at any depth (as `git log --graph` draws it).
   */
  lane: number;
  /** A file the forest leaves out because another file defines the same checkpoint. */
  duplicate?: true;
  parentId?: string;
  childIds: string[];
  /** Its place among its siblings (the roots are siblings of each other), 1-based, and their number. */
  posinset: number;
  setsize: number;
  /** Its key in the forest; none for a file the forest cannot hold. */
  key?: string;
}

/** A loaded file as the tree shows it. */
export interface RowFile {
  id: string;
  fileName: string;
  /** The checkpoint's name, when the file can be read: it labels a file the forest does not hold. */
  name?: string | undefined;
}

/** The tree's rows, and what they were made from. */
export interface ForestRows {
  /** Depth first, parents before their children, children in the forest's order. */
  rows: ForestRow[];
  byId: Record<string, ForestRow>;
  /** The forest's links and the files the rows were made from. */
  children: Forest['children'];
  files: readonly RowFile[];
}

function sameRows(prev: ForestRows, forest: Forest, files: readonly RowFile[]): boolean {
  return (
    prev.children === forest.children &&
    prev.files.length === files.length &&
    files.every((f, i) => {
      const before = prev.files[i] as RowFile;
      const row = prev.byId[f.id];
      return (
        f.id === before.id &&
        f.fileName === before.fileName &&
        // A file outside the forest is labelled by what can be read of it.
        (row?.key !== undefined || row?.label === (f.name ?? f.fileName))
      );
    })
  );
}

/**
 * The rows of the checkpoint tree: every file the forest holds, depth first from its roots, then
 * every file it cannot hold (unreadable, or a name defined twice) as a root of its own. With
 * `prev`, its rows come back as they are when the forest's links and the files are the same.
 */
export function forestRows(
  forest: Forest,
  files: readonly RowFile[],
  prev?: ForestRows,
): ForestRows {
  if (prev && sameRows(prev, forest, files)) return prev;
  const rows: ForestRow[] = [];
  const byId: Record<string, ForestRow> = {};
  const fileOf = new Map(files.map((f) => [f.id, f]));
  const idByFile = new Map(files.map((f) => [f.fileName, f.id]));
  const add = (
    id: string,
    label: string,
    level: number,
    lane: number,
    parentId?: string,
    key?: string,
  ) => {
    const file = fileOf.get(id) as RowFile;
    const row: ForestRow = {
      id,
      label,
      fileName: file.fileName,
      level,
      lane,
      childIds: [],
      posinset: 1,
      setsize: 1,
    };
    if (key !== undefined) row.key = key;
    if (parentId !== undefined) {
      row.parentId = parentId;
      byId[parentId]?.childIds.push(id);
    }
    rows.push(row);
    byId[id] = row;
  };
  // Depth first without recursion: a chain can be thousands of checkpoints deep.
  const stack: { key: string; level: number; lane: number; parentId?: string }[] = [...forest.roots]
    .reverse()
    .map((key) => ({ key, level: 1, lane: 0 }));
  while (stack.length) {
    const { key, level, lane, parentId } = stack.pop() as (typeof stack)[number];
    const entry = forest.entries.get(key);
    const id = entry && idByFile.get(entry.file);
    if (!entry || id === undefined || byId[id]) continue;
    add(id, entry.checkpoint.name ?? entry.file, level, lane, parentId, key);
    const children = forest.children.get(key) ?? [];
    const childLane = children.length > 1 ? lane + 1 : lane;
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ key: children[i] as string, level: level + 1, lane: childLane, parentId: id });
    }
  }
  for (const f of files) {
    if (byId[f.id]) continue;
    add(f.id, f.name ?? f.fileName, 1, 0);
    if (f.name !== undefined && forest.entries.has(f.name))
      (byId[f.id] as ForestRow).duplicate = true;
  }
  const roots = rows.filter((row) => row.level === 1);
  roots.forEach((row, i) => {
    row.posinset = i + 1;
    row.setsize = roots.length;
  });
  for (const row of rows) {
    row.childIds.forEach((childId, i) => {
      const child = byId[childId] as ForestRow;
      child.posinset = i + 1;
      child.setsize = row.childIds.length;
    });
  }
  return { rows, byId, children: forest.children, files };
}
