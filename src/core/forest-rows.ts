import { copyRecord } from './copy-record.ts';
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
  grown?: ForestGrowth,
): ForestRows {
  if (prev && sameRows(prev, forest, files)) return prev;
  const again =
    prev && grown && grown.from.children === prev.children && growRows(forest, files, prev, grown);
  return again || ((prev && rowsAgain(forest, files, prev)) ?? buildRows(forest, files));
}

/** How a forest grew from another: the keys it added, none of the other's changed (growForest). */
export interface ForestGrowth {
  from: Forest;
  keys: readonly string[];
}

/**
 * The rows of a forest grown from `prev`'s by new keys alone (growForest): prev's rows walked once,
 * in order, each kept as the same object unless its lane, place among its siblings or children
 * changed, the new keys' rows put in where they belong. What it costs is a look at each row, not a
 * row made again: a folder's next 250 files onto 10,000 made every row's lookups again (30 ms).
 * Undefined when the forest is not prev's with more (buildRows or rowsAgain tell those apart).
 */
function growRows(
  forest: Forest,
  files: readonly RowFile[],
  prev: ForestRows,
  grown: ForestGrowth,
): ForestRows | undefined {
  if (!startsWith(files, prev.files)) return undefined;
  const isNew = new Set(grown.keys);
  const added = files.slice(prev.files.length);
  const newId = new Map<string, string>();
  for (const f of added) newId.set(f.fileName, f.id);
  const idOfNew = (key: string) => {
    const entry = forest.entries.get(key);
    return entry && newId.get(entry.file);
  };
  const inForest = forest.entries.size;
  const rootCount = forest.roots.length + files.length - inForest;
  const rows: ForestRow[] = [];
  let byId: Record<string, ForestRow> | undefined;
  const put = (row: ForestRow) => {
    rows.push(row);
    (byId ??= copyRecord(prev.byId))[row.id] = row;
  };
  /** A new key's subtree, all of it new (an old key's parent never changes in a growth). */
  const subtree = (
    key: string,
    level: number,
    lane: number,
    parentId: string | undefined,
    posinset: number,
    setsize: number,
  ): boolean => {
    const stack: [string, number, number, string | undefined, number, number][] = [
      [key, level, lane, parentId, posinset, setsize],
    ];
    while (stack.length) {
      const [k, lv, ln, parent, at, size] = stack.pop() as (typeof stack)[number];
      const entry = forest.entries.get(k);
      const id = idOfNew(k);
      if (!entry || id === undefined || !isNew.has(k)) return false;
      const children = forest.children.get(k) ?? [];
      const childIds: string[] = [];
      for (const c of children) {
        const childId = idOfNew(c);
        if (childId === undefined) return false;
        childIds.push(childId);
      }
      const row: ForestRow = {
        id,
        label: entry.checkpoint.name ?? entry.file,
        fileName: entry.file,
        level: lv,
        lane: ln,
        childIds,
        posinset: at,
        setsize: size,
        key: k,
      };
      if (parent !== undefined) row.parentId = parent;
      put(row);
      const childLane = children.length > 1 ? ln + 1 : ln;
      for (let i = children.length - 1; i >= 0; i--)
        stack.push([children[i] as string, lv + 1, childLane, id, i + 1, children.length]);
    }
    return true;
  };
  /** An old row with what the growth changed of it: the same object when nothing did. */
  const keep = (
    was: ForestRow,
    lane: number,
    posinset: number,
    setsize: number,
    childIds: string[],
    duplicate: boolean,
  ) => {
    if (
      was.lane === lane &&
      was.posinset === posinset &&
      was.setsize === setsize &&
      was.childIds === childIds &&
      (was.duplicate === true) === duplicate
    ) {
      rows.push(was);
      return;
    }
    const row: ForestRow = { ...was, lane, posinset, setsize, childIds };
    if (duplicate) row.duplicate = true;
    else delete row.duplicate;
    put(row);
  };
  // The old parents that gained children, open while their rows' subtrees are walked.
  interface Open {
    id: string;
    level: number;
    lane: number;
    children: readonly string[];
    at: number;
    bump: number;
  }
  const open: Open[] = [];
  let shift = 0;
  const close = (o: Open): boolean => {
    const childLane = o.children.length > 1 ? o.lane + 1 : o.lane;
    for (; o.at < o.children.length; o.at++) {
      const key = o.children[o.at] as string;
      if (!subtree(key, o.level + 1, childLane, o.id, o.at + 1, o.children.length)) return false;
    }
    shift -= o.bump;
    return true;
  };
  /** The new siblings before `key`, each with its subtree; false when `key` is not next. */
  const upTo = (o: Open | undefined, key: string, level: number, parentId: string | undefined) => {
    const list = o ? o.children : forest.roots;
    let at = o ? o.at : rootAt;
    const lane = o ? (o.children.length > 1 ? o.lane + 1 : o.lane) : 0;
    const size = o ? o.children.length : rootCount;
    for (; at < list.length && list[at] !== key; at++) {
      const k = list[at] as string;
      if (!isNew.has(k) || !subtree(k, level, lane, parentId, at + 1, size)) return false;
    }
    if (list[at] !== key) return false;
    if (o) o.at = at + 1;
    else rootAt = at + 1;
    return true;
  };
  let rootAt = 0;
  const rest: ForestRow[] = [];
  for (const was of prev.rows) {
    if (was.key === undefined) {
      rest.push(was);
      continue;
    }
    while (open.length && (open[open.length - 1] as Open).level >= was.level)
      if (!close(open.pop() as Open)) return undefined;
    const top = open[open.length - 1];
    const parentOpen = top && top.level === was.level - 1 ? top : undefined;
    if (parentOpen && parentOpen.id !== was.parentId) return undefined;
    let posinset = was.posinset;
    let setsize = was.setsize;
    if (was.level === 1) {
      if (!upTo(undefined, was.key, 1, undefined)) return undefined;
      posinset = rootAt;
      setsize = rootCount;
    } else if (parentOpen) {
      if (!upTo(parentOpen, was.key, was.level, parentOpen.id)) return undefined;
      posinset = parentOpen.at;
      setsize = parentOpen.children.length;
    }
    const lane = was.lane + shift;
    const children = forest.children.get(was.key) ?? [];
    let childIds = was.childIds;
    if (children.length !== was.childIds.length) {
      childIds = [];
      let j = 0;
      for (const c of children) {
        const id = isNew.has(c) ? idOfNew(c) : was.childIds[j++];
        if (id === undefined) return undefined;
        childIds.push(id);
      }
      if (j !== was.childIds.length) return undefined;
    }
    keep(was, lane, posinset, setsize, childIds, false);
    if (childIds !== was.childIds) {
      const bump = children.length > 1 && was.childIds.length <= 1 ? 1 : 0;
      open.push({ id: was.id, level: was.level, lane, children, at: 0, bump });
      shift += bump;
    }
  }
  while (open.length) if (!close(open.pop() as Open)) return undefined;
  // The roots after the last old one are new.
  for (; rootAt < forest.roots.length; rootAt++) {
    const key = forest.roots[rootAt] as string;
    if (!isNew.has(key) || !subtree(key, 1, 0, undefined, rootAt + 1, rootCount)) return undefined;
  }
  // The files the forest cannot hold, after its roots, in the order offered; a new key may be
  // the name one of them gives.
  let posinset = forest.roots.length;
  if (rest.length) {
    const nameOf = new Map<string, string | undefined>();
    for (const f of prev.files) nameOf.set(f.id, f.name);
    for (const was of rest) {
      const name = nameOf.get(was.id);
      const duplicate = name !== undefined && forest.entries.has(name);
      keep(was, 0, ++posinset, rootCount, was.childIds, duplicate);
    }
  }
  for (const f of added) {
    if (forest.entries.get(f.name ?? f.fileName)?.file === f.fileName) continue;
    const row: ForestRow = {
      id: f.id,
      label: f.name ?? f.fileName,
      fileName: f.fileName,
      level: 1,
      lane: 0,
      childIds: [],
      posinset: ++posinset,
      setsize: rootCount,
    };
    if (f.name !== undefined && forest.entries.has(f.name)) row.duplicate = true;
    put(row);
  }
  if (rows.length !== files.length) return undefined;
  return { rows, byId: byId ?? prev.byId, children: forest.children, files };
}

/** Whether `files` begins with `prev`'s, each as it was (a folder's next files come after them). */
function startsWith(files: readonly RowFile[], prev: readonly RowFile[]): boolean {
  if (files.length < prev.length) return false;
  for (let i = 0; i < prev.length; i++) {
    const a = files[i] as RowFile;
    const b = prev[i] as RowFile;
    // The same file: a grown VM's files before are taken as they were.
    if (a === b) continue;
    if (a.id !== b.id || a.fileName !== b.fileName || a.name !== b.name) return false;
  }
  return true;
}

/**
 * The rows buildRows makes, with each row of `prev` that stays as it was given back as the same
 * object (a folder's next files leave most rows as they were: nothing that shows them renders
 * again, and little is made). Undefined when `files` are not `prev`'s with more after them, or the
 * forest holds a file twice or one outside `files`: buildRows tells those apart.
 */
function rowsAgain(
  forest: Forest,
  files: readonly RowFile[],
  prev: ForestRows,
): ForestRows | undefined {
  if (!startsWith(files, prev.files)) return undefined;
  const idByFile = new Map<string, string>();
  for (const f of files) idByFile.set(f.fileName, f.id);
  const inForest = forest.entries.size;
  const rootCount = forest.roots.length + files.length - inForest;
  const rows: ForestRow[] = [];
  let byId: Record<string, ForestRow> | undefined;
  const seen = new Set<string>();
  /** The row as it was when nothing of it changed, else a new one; made only when needed. */
  const place = (
    id: string,
    fileName: string,
    label: string,
    level: number,
    lane: number,
    parentId: string | undefined,
    key: string | undefined,
    childIds: readonly string[] | undefined,
    posinset: number,
    setsize: number,
    duplicate: boolean,
  ) => {
    const was = prev.byId[id];
    if (
      was !== undefined &&
      childIds === was.childIds &&
      was.label === label &&
      was.fileName === fileName &&
      was.level === level &&
      was.lane === lane &&
      was.parentId === parentId &&
      was.key === key &&
      (was.duplicate === true) === duplicate &&
      was.posinset === posinset &&
      was.setsize === setsize
    ) {
      rows.push(was);
      return;
    }
    const row: ForestRow = {
      id,
      label,
      fileName,
      level,
      lane,
      childIds: childIds ? [...childIds] : [],
      posinset,
      setsize,
    };
    if (key !== undefined) row.key = key;
    if (parentId !== undefined) row.parentId = parentId;
    if (duplicate) row.duplicate = true;
    rows.push(row);
    (byId ??= copyRecord(prev.byId))[id] = row;
  };
  // Depth first without recursion, as buildRows, in parallel stacks (nothing made per row).
  const keys: string[] = [];
  const levels: number[] = [];
  const lanes: number[] = [];
  const parents: (string | undefined)[] = [];
  const places: number[] = [];
  const sizes: number[] = [];
  const push = (
    key: string,
    level: number,
    lane: number,
    parent: string | undefined,
    at: number,
    size: number,
  ) => {
    keys.push(key);
    levels.push(level);
    lanes.push(lane);
    parents.push(parent);
    places.push(at);
    sizes.push(size);
  };
  for (let i = forest.roots.length - 1; i >= 0; i--)
    push(forest.roots[i] as string, 1, 0, undefined, i + 1, rootCount);
  while (keys.length) {
    const key = keys.pop() as string;
    const level = levels.pop() as number;
    const lane = lanes.pop() as number;
    const parentId = parents.pop();
    const posinset = places.pop() as number;
    const setsize = sizes.pop() as number;
    const entry = forest.entries.get(key);
    const id = entry && idByFile.get(entry.file);
    if (!entry || id === undefined || seen.has(id)) return undefined;
    seen.add(id);
    const children = forest.children.get(key) ?? [];
    // The children's ids, as the row held them when they are the same.
    const was = prev.byId[id]?.childIds;
    let childIds: string[] | undefined = was && was.length === children.length ? was : undefined;
    for (let i = 0; i < children.length; i++) {
      const childEntry = forest.entries.get(children[i] as string);
      const childId = childEntry && idByFile.get(childEntry.file);
      if (childId === undefined) return undefined;
      if (childIds === was && childIds?.[i] !== childId) childIds = was?.slice(0, i) ?? [];
      if (childIds !== was) (childIds ??= []).push(childId);
    }
    // The file's name is the entry's: that is how its id was found.
    place(
      id,
      entry.file,
      entry.checkpoint.name ?? entry.file,
      level,
      lane,
      parentId,
      key,
      childIds ?? [],
      posinset,
      setsize,
      false,
    );
    const childLane = children.length > 1 ? lane + 1 : lane;
    for (let i = children.length - 1; i >= 0; i--)
      push(children[i] as string, level + 1, childLane, id, i + 1, children.length);
  }
  if (seen.size !== inForest) return undefined;
  let posinset = forest.roots.length;
  for (const f of files) {
    if (seen.has(f.id)) continue;
    const duplicate = f.name !== undefined && forest.entries.has(f.name);
    const was = prev.byId[f.id]?.childIds;
    place(
      f.id,
      f.fileName,
      f.name ?? f.fileName,
      1,
      0,
      undefined,
      undefined,
      was?.length === 0 ? was : [],
      ++posinset,
      rootCount,
      duplicate,
    );
  }
  if (rows.length !== files.length) return undefined;
  const unchanged = byId === undefined && rows.length === prev.rows.length;
  return {
    rows: unchanged ? prev.rows : rows,
    byId: byId ?? prev.byId,
    children: forest.children,
    files,
  };
}

/** The rows made from scratch. */
function buildRows(forest: Forest, files: readonly RowFile[]): ForestRows {
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
