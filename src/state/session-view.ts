import type {
  Checkpoint,
  DomainDisk,
  Forest,
  ForestBuild,
  ForestEntry,
  ForestRow,
  ForestRows,
  Problem,
  RedefineProfile,
  RuleVerdict,
} from '../core/index.ts';
import {
  checkCheckpoint,
  checkRules,
  compareNatural,
  forestRows,
  readDomainDisks,
  updateForest,
} from '../core/index.ts';
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
export type CheckpointTreeItem = ForestRow;

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

let lastChain: ForestBuild | undefined;
let lastTree: ForestRows | undefined;

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
  const chain = (lastChain = updateForest(lastChain, entries, { compare: compareNatural }));
  const files = docs.map((d) => ({
    id: d.id,
    fileName: d.fileName,
    name: verdicts[d.id]?.checkpoint?.name,
  }));
  const { rows: items, byId: itemsById } = (lastTree = forestRows(chain.forest, files, lastTree));

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
