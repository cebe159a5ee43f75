import type {
  Checkpoint,
  DomainDisk,
  Forest,
  ForestEntry,
  Position,
  Problem,
  RedefineProfile,
} from '../core/index.ts';
import {
  buildForest,
  checkCheckpoint,
  compareNatural,
  domainName,
  domainUuid,
  readDomainDisks,
} from '../core/index.ts';
import type { RuleVerdict } from '../validation/index.ts';
import { checkRules } from '../validation/index.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import { selectRuleSet, selectRulesKey } from './rules-slice.ts';
import type { EditorState } from './store.ts';
import type { SchemaResult } from './validation-slice.ts';
import { currentSchemaResult } from './validation-slice.ts';

/** What core makes of one document's text: the model, libvirt's redefine result, the rules' problems. */
export interface DocumentCheck {
  /** The checkpoint as the file holds it, when the text can be read. */
  checkpoint?: Checkpoint;
  /** The checkpoint as libvirt would hold it after a redefine (disks aligned), when the rules pass. */
  redefined?: Checkpoint;
  domainDisks: DomainDisk[];
  problems: Problem[];
}

const checks = new WeakMap<CheckpointDocument, Partial<Record<RedefineProfile, DocumentCheck>>>();

/** Core's verdict on a document, computed once per text and profile: the editor's whole model. */
export function checkDocument(doc: CheckpointDocument, profile: RedefineProfile): DocumentCheck {
  let byProfile = checks.get(doc);
  if (!byProfile) checks.set(doc, (byProfile = {}));
  const cached = byProfile[profile];
  if (cached) return cached;
  const result = checkCheckpoint(doc.text, { profile, fileName: doc.fileName });
  const check: DocumentCheck = {
    domainDisks: result.checkpoint?.domain ? readDomainDisks(result.checkpoint.domain) : [],
    problems: result.problems,
  };
  if (result.checkpoint) check.checkpoint = result.checkpoint;
  if (result.redefined) check.redefined = result.redefined;
  byProfile[profile] = check;
  return check;
}

/** One row of the Checkpoints tree. */
export interface CheckpointTreeItem {
  id: string;
  /** The checkpoint's name, or the file name when it has none or cannot be read. */
  label: string;
  fileName: string;
  /** 1-based, as aria-level counts. */
  level: number;
  parentId?: string;
  childIds: string[];
  /** Its place among its siblings (the roots are siblings of each other), 1-based, and their number. */
  posinset: number;
  setsize: number;
  /** Its key in the forest; none for a file the forest cannot hold. */
  key?: string;
}

export type ValidationStatus = 'validating' | 'done';

/** Everything derived from the open documents at once: the forest, the tree, the problems. */
export interface SessionView {
  forest: Forest;
  /** Depth-first, parents before their children, children in natural order: the tree's order. */
  items: CheckpointTreeItem[];
  itemsById: Record<string, CheckpointTreeItem>;
  idByFile: ReadonlyMap<string, string>;
  /** libvirt's verdict on each document, as the chain sees it (no <domain> beyond its disks). */
  verdictsById: Record<string, RuleVerdict | undefined>;
  /** Every problem of each document: its text, libvirt's rules, the schema, the chain. */
  problemsById: Record<string, Problem[]>;
  schemaStatusById: Record<string, ValidationStatus>;
  /** Documents still waiting for the schema's verdict on their text. */
  validatingCount: number;
  /** Documents whose verdict under the rules in force is still being worked out, off the page. */
  checkingCount: number;
  errorCount: number;
  warningCount: number;
}

/** Up to this many documents are checked here at once (an edit, a few files); more go to workers. */
export const CHECK_ON_PAGE_LIMIT = 200;

const pageVerdicts = new WeakMap<CheckpointDocument, Map<string, RuleVerdict>>();

function storedVerdict(s: EditorState, doc: CheckpointDocument, key: string) {
  const r = s.ruleResults[doc.id];
  if (r && r.text === doc.text && r.rulesKey === key) return r.verdict;
  return pageVerdicts.get(doc)?.get(key);
}

let uncheckedMemo: { key: unknown[]; ids: string[] } | undefined;

/** The documents without a verdict under the rules in force, neither from a worker nor this page. */
export const selectUncheckedIds = (s: EditorState): string[] => {
  const rulesKey = selectRulesKey(s);
  const key = [s.documents, s.documentOrder, s.ruleResults, rulesKey];
  if (uncheckedMemo && uncheckedMemo.key.every((k, i) => k === key[i])) return uncheckedMemo.ids;
  const ids = s.documentOrder.filter((id) => {
    const doc = s.documents[id];
    return doc !== undefined && storedVerdict(s, doc, rulesKey) === undefined;
  });
  uncheckedMemo = { key, ids };
  return ids;
};

function verdictsOf(s: EditorState, docs: readonly CheckpointDocument[]) {
  const rulesKey = selectRulesKey(s);
  const rules = selectRuleSet(s);
  const unchecked = selectUncheckedIds(s);
  const onPage = unchecked.length <= CHECK_ON_PAGE_LIMIT;
  const verdicts: Record<string, RuleVerdict | undefined> = {};
  let checking = 0;
  for (const doc of docs) {
    let verdict = storedVerdict(s, doc, rulesKey);
    if (!verdict && onPage) {
      // The editor reads the same file anyway: one parse serves both.
      verdict = checkRules(doc.text, doc.fileName, rules, checkDocument(doc, s.profile));
      let byRules = pageVerdicts.get(doc);
      if (!byRules) pageVerdicts.set(doc, (byRules = new Map()));
      byRules.set(rulesKey, verdict);
    }
    if (!verdict) {
      checking++;
      // Until the workers answer, the last verdict on the same text stands (the tree keeps its shape).
      const stale = s.ruleResults[doc.id];
      if (stale && stale.text === doc.text) verdict = stale.verdict;
    }
    verdicts[doc.id] = verdict;
  }
  return { verdicts, checking };
}

/** What the chain is made of, positions aside: equal prints, equal forest but for lines. */
const shapes = new WeakMap<Checkpoint, string>();
function shapeOf(cp: Checkpoint): string {
  let print = shapes.get(cp);
  if (print === undefined) {
    const d = cp.domain;
    print = JSON.stringify([
      cp.name,
      cp.parent,
      cp.creationTime,
      cp.disks?.map((disk) => disk.name),
      cp.disksPosition !== undefined,
      d && [domainName(d), domainUuid(d), readDomainDisks(d).map((disk) => disk.target)],
    ]);
    shapes.set(cp, print);
  }
  return print;
}

/** The places the chain's problems of a file stand at. */
function placesOf(cp: Checkpoint): (Position | undefined)[] {
  const at = cp.positions;
  return [at.root, at.name, at.parent, at.creationTime, at.domain, cp.disksPosition];
}

const samePlace = (a: Position | undefined, b: Position | undefined) =>
  a?.line === b?.line && a?.column === b?.column;

/**
 * A file's chain problems moved with its lines (an edit added or removed lines above them); none
 * when one of them stands somewhere else than where the chain checks put problems.
 */
function moveProblems(problems: readonly Problem[], before: Checkpoint, after: Checkpoint) {
  const from = placesOf(before);
  const to = placesOf(after);
  const moved: Problem[] = [];
  for (const p of problems) {
    if (p.line === undefined) {
      moved.push(p);
      continue;
    }
    const i = from.findIndex((at) => at?.line === p.line && at?.column === p.column);
    const place = to[i];
    if (!place) return undefined;
    moved.push({ ...p, line: place.line, column: place.column });
  }
  return moved;
}

interface Chain {
  entries: ForestEntry[];
  forest: Forest;
  /** The chain's problems of each file. */
  problemsByFile: Map<string, Problem[]>;
}

let lastChain: Chain | undefined;

function problemsByFileOf(problems: readonly Problem[]): Map<string, Problem[]> {
  const byFile = new Map<string, Problem[]>();
  for (const p of problems) {
    if (p.file === undefined) continue;
    const list = byFile.get(p.file);
    if (list) list.push(p);
    else byFile.set(p.file, [p]);
  }
  return byFile;
}

/**
 * The forest, built again only when the chain itself has changed: most keystrokes leave it as it
 * is, and an edit that only moves lines moves that file's problems with them.
 */
function chainOf(entries: ForestEntry[]): Chain {
  const last = lastChain;
  if (last && last.entries.length === entries.length) {
    const moved: number[] = [];
    const same = entries.every((e, i) => {
      const before = last.entries[i] as ForestEntry;
      if (e.file !== before.file) return false;
      if (e.checkpoint === before.checkpoint) return true;
      if (shapeOf(e.checkpoint) !== shapeOf(before.checkpoint)) return false;
      const a = placesOf(e.checkpoint);
      const b = placesOf(before.checkpoint);
      if (!a.every((at, j) => samePlace(at, b[j]))) moved.push(i);
      return true;
    });
    if (same && moved.length === 0) return last;
    if (same) {
      const problemsByFile = new Map(last.problemsByFile);
      let ok = true;
      for (const i of moved) {
        const { file, checkpoint } = entries[i] as ForestEntry;
        const before = (last.entries[i] as ForestEntry).checkpoint;
        const mine = last.problemsByFile.get(file);
        if (!mine) continue;
        const shifted = moveProblems(mine, before, checkpoint);
        if (!shifted) ok = false;
        else problemsByFile.set(file, shifted);
      }
      if (ok) {
        const problems = last.forest.problems.map((p) => {
          const list = p.file === undefined ? undefined : problemsByFile.get(p.file);
          const index = list ? (last.problemsByFile.get(p.file as string) ?? []).indexOf(p) : -1;
          return index >= 0 ? (list?.[index] ?? p) : p;
        });
        lastChain = { entries, forest: { ...last.forest, problems }, problemsByFile };
        return lastChain;
      }
    }
  }
  const forest = buildForest(entries, { compare: compareNatural });
  lastChain = { entries, forest, problemsByFile: problemsByFileOf(forest.problems) };
  return lastChain;
}

interface Tree {
  /** The forest's links the rows were built from. */
  children: Forest['children'];
  docs: readonly CheckpointDocument[];
  items: CheckpointTreeItem[];
  itemsById: Record<string, CheckpointTreeItem>;
}

let lastTree: Tree | undefined;

function labelOf(verdict: RuleVerdict | undefined, doc: CheckpointDocument): string {
  return verdict?.checkpoint?.name ?? doc.fileName;
}

/** The rows, parents before children; built again only with a new forest or other files. */
function treeOf(
  chain: Chain,
  docs: readonly CheckpointDocument[],
  idByFile: ReadonlyMap<string, string>,
  verdicts: Record<string, RuleVerdict | undefined>,
): Tree {
  const last = lastTree;
  if (
    last &&
    last.children === chain.forest.children &&
    last.docs.length === docs.length &&
    docs.every((d, i) => {
      const before = last.docs[i] as CheckpointDocument;
      return (
        d.id === before.id &&
        d.fileName === before.fileName &&
        // A file outside the forest is labelled by what can be read of it.
        (last.itemsById[d.id]?.key !== undefined ||
          last.itemsById[d.id]?.label === labelOf(verdicts[d.id], d))
      );
    })
  ) {
    return last;
  }
  const { forest } = chain;
  const items: CheckpointTreeItem[] = [];
  const itemsById: Record<string, CheckpointTreeItem> = {};
  const byId = new Map(docs.map((d) => [d.id, d]));
  const add = (id: string, label: string, level: number, parentId?: string, key?: string) => {
    const doc = byId.get(id) as CheckpointDocument;
    const item: CheckpointTreeItem = {
      id,
      label,
      fileName: doc.fileName,
      level,
      childIds: [],
      posinset: 1,
      setsize: 1,
    };
    if (key !== undefined) item.key = key;
    if (parentId !== undefined) {
      item.parentId = parentId;
      itemsById[parentId]?.childIds.push(id);
    }
    items.push(item);
    itemsById[id] = item;
  };
  // Depth first without recursion: a chain can be thousands of checkpoints deep.
  const stack: { key: string; level: number; parentId?: string }[] = [...forest.roots]
    .reverse()
    .map((key) => ({ key, level: 1 }));
  while (stack.length) {
    const { key, level, parentId } = stack.pop() as (typeof stack)[number];
    const entry = forest.entries.get(key);
    const id = entry && idByFile.get(entry.file);
    if (!entry || id === undefined || itemsById[id]) continue;
    add(id, entry.checkpoint.name ?? entry.file, level, parentId, key);
    const children = forest.children.get(key) ?? [];
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ key: children[i] as string, level: level + 1, parentId: id });
    }
  }
  // Files the forest does not hold (unreadable, or a name defined twice) still need a row.
  for (const doc of docs) {
    if (!itemsById[doc.id]) add(doc.id, labelOf(verdicts[doc.id], doc), 1);
  }
  const roots = items.filter((item) => item.level === 1);
  roots.forEach((item, i) => {
    item.posinset = i + 1;
    item.setsize = roots.length;
  });
  for (const item of items) {
    item.childIds.forEach((childId, i) => {
      const child = itemsById[childId] as CheckpointTreeItem;
      child.posinset = i + 1;
      child.setsize = item.childIds.length;
    });
  }
  lastTree = { children: forest.children, docs, items, itemsById };
  return lastTree;
}

function byLine(a: Problem, b: Problem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

const NONE: Problem[] = [];
const merged = new WeakMap<
  object,
  { schema: SchemaResult | undefined; chain: Problem[] | undefined; problems: Problem[] }
>();

/** A document's problems in line order, merged again only when one of the three lists changes. */
function problemsOf(
  owner: object,
  rules: Problem[],
  schema: SchemaResult | undefined,
  chain: Problem[] | undefined,
): Problem[] {
  const cached = merged.get(owner);
  if (cached && cached.schema === schema && cached.chain === chain) return cached.problems;
  const list = [...rules, ...(schema?.problems ?? NONE), ...(chain ?? NONE)];
  const problems = list.length ? list.sort(byLine) : NONE;
  merged.set(owner, { schema, chain, problems });
  return problems;
}

function buildSessionView(s: EditorState): SessionView {
  const docs = s.documentOrder
    .map((id) => s.documents[id])
    .filter((d): d is CheckpointDocument => d !== undefined);
  const idByFile = new Map(docs.map((d) => [d.fileName, d.id]));
  const { verdicts, checking } = verdictsOf(s, docs);
  const entries: ForestEntry[] = [];
  for (const doc of docs) {
    const checkpoint = verdicts[doc.id]?.checkpoint;
    if (checkpoint) entries.push({ file: doc.fileName, checkpoint });
  }
  const chain = chainOf(entries);
  const { items, itemsById } = treeOf(chain, docs, idByFile, verdicts);

  const problemsById: Record<string, Problem[]> = {};
  const schemaStatusById: Record<string, ValidationStatus> = {};
  let errorCount = 0;
  let warningCount = 0;
  let validatingCount = 0;
  for (const doc of docs) {
    const verdict = verdicts[doc.id];
    const schema = currentSchemaResult(s, doc.id);
    schemaStatusById[doc.id] = schema ? 'done' : 'validating';
    if (!schema) validatingCount++;
    const problems = problemsOf(
      verdict ?? doc,
      verdict?.problems ?? NONE,
      schema,
      chain.problemsByFile.get(doc.fileName),
    );
    problemsById[doc.id] = problems;
    for (const p of problems) {
      if (p.severity === 'error') errorCount++;
      else warningCount++;
    }
  }
  return {
    forest: chain.forest,
    items,
    itemsById,
    idByFile,
    verdictsById: verdicts,
    problemsById,
    schemaStatusById,
    validatingCount,
    checkingCount: checking,
    errorCount,
    warningCount,
  };
}

let memo: { key: unknown[]; view: SessionView } | undefined;

/** The session view, rebuilt only when documents, rules or results change. */
export const selectSessionView = (s: EditorState): SessionView => {
  const key = [
    s.documents,
    s.documentOrder,
    s.profile,
    s.target,
    s.ruleResults,
    s.schemaResults,
    s.schemaSet.generation,
  ];
  if (memo && memo.key.every((k, i) => k === key[i])) return memo.view;
  memo = { key, view: buildSessionView(s) };
  return memo.view;
};
