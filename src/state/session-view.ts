import type {
  Checkpoint,
  DomainDisk,
  Forest,
  ForestEntry,
  Problem,
  RedefineProfile,
} from '../core/index.ts';
import { buildForest, checkCheckpoint, readDomainDisks } from '../core/index.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import type { EditorState } from './store.ts';
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

/** Core's verdict on a document, computed once per text and profile. */
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
  errors: number;
  warnings: number;
}

export type ValidationStatus = 'validating' | 'done';

/** Everything derived from the open documents at once: the forest, the tree, the problems. */
export interface SessionView {
  forest: Forest;
  /** Depth-first, parents before their children: the order the tree shows. */
  items: CheckpointTreeItem[];
  itemsById: Record<string, CheckpointTreeItem>;
  /** Every problem of each document: its text, libvirt's rules, the schema, the chain. */
  problemsById: Record<string, Problem[]>;
  schemaStatusById: Record<string, ValidationStatus>;
  errorCount: number;
  warningCount: number;
}

function byLine(a: Problem, b: Problem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

function buildSessionView(s: EditorState): SessionView {
  const docs = s.documentOrder
    .map((id) => s.documents[id])
    .filter((d): d is CheckpointDocument => d !== undefined);
  const idByFile = new Map(docs.map((d) => [d.fileName, d.id]));
  const entries: ForestEntry[] = [];
  const problemsById: Record<string, Problem[]> = {};
  const schemaStatusById: Record<string, ValidationStatus> = {};
  for (const doc of docs) {
    const check = checkDocument(doc, s.profile);
    if (check.checkpoint) entries.push({ file: doc.fileName, checkpoint: check.checkpoint });
    const schema = currentSchemaResult(s, doc.id);
    schemaStatusById[doc.id] = schema ? 'done' : 'validating';
    problemsById[doc.id] = [...check.problems, ...(schema?.problems ?? [])];
  }
  const forest = buildForest(entries);
  for (const p of forest.problems) {
    const id = p.file === undefined ? undefined : idByFile.get(p.file);
    if (id !== undefined) problemsById[id]?.push(p);
  }
  let errorCount = 0;
  let warningCount = 0;
  for (const list of Object.values(problemsById)) {
    list.sort(byLine);
    for (const p of list) {
      if (p.severity === 'error') errorCount++;
      else warningCount++;
    }
  }

  const items: CheckpointTreeItem[] = [];
  const itemsById: Record<string, CheckpointTreeItem> = {};
  const add = (id: string, label: string, level: number, parentId?: string) => {
    const doc = s.documents[id] as CheckpointDocument;
    const problems = problemsById[id] ?? [];
    const item: CheckpointTreeItem = {
      id,
      label,
      fileName: doc.fileName,
      level,
      childIds: [],
      errors: problems.filter((p) => p.severity === 'error').length,
      warnings: problems.filter((p) => p.severity === 'warning').length,
    };
    if (parentId !== undefined) {
      item.parentId = parentId;
      itemsById[parentId]?.childIds.push(id);
    }
    items.push(item);
    itemsById[id] = item;
  };
  const visit = (key: string, level: number, parentId?: string) => {
    const entry = forest.entries.get(key);
    const id = entry && idByFile.get(entry.file);
    if (id === undefined || itemsById[id]) return;
    add(id, entry?.checkpoint.name ?? entry?.file ?? key, level, parentId);
    for (const child of forest.children.get(key) ?? []) visit(child, level + 1, id);
  };
  for (const root of forest.roots) visit(root, 1);
  // Files the forest does not hold (unreadable, or a name defined twice) still need a row.
  for (const doc of docs) {
    if (!itemsById[doc.id])
      add(doc.id, checkDocument(doc, s.profile).checkpoint?.name ?? doc.fileName, 1);
  }
  return { forest, items, itemsById, problemsById, schemaStatusById, errorCount, warningCount };
}

let memo: { key: unknown[]; view: SessionView } | undefined;

/** The session view, rebuilt only when documents, profile or schema results change. */
export const selectSessionView = (s: EditorState): SessionView => {
  const key = [s.documents, s.documentOrder, s.profile, s.schemaResults, s.schemaSet.generation];
  if (memo && memo.key.every((k, i) => k === key[i])) return memo.view;
  memo = { key, view: buildSessionView(s) };
  return memo.view;
};
