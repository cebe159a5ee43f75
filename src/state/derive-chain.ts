import type {
  DomainDisk,
  Checkpoint,
  ForestBuild,
  ForestEntry,
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
import type { ChainSlice, ChainCounts, ValidationStatus } from './chain-slice.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import { libvirtTextOf } from './documents-slice.ts';
import { isOffPage } from './large-file-slice.ts';
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
  /**
   * What libvirt's format changes in the file, when a worker worked it out (a file too large to
   * read on the page; for others the page works it out under the export options shown).
   */
  formatChanges?: string[];
}

/** Core's verdict on a document under a redefine profile: the editor's whole model of it. */
export function checkDocument(doc: CheckpointDocument, profile: RedefineProfile): DocumentCheck {
  const result = checkCheckpoint(libvirtTextOf(doc), { profile, fileName: doc.fileName });
  const check: DocumentCheck = {
    domainDisks: result.checkpoint?.domain ? readDomainDisks(result.checkpoint.domain) : [],
    problems: result.problems,
  };
  if (result.checkpoint) check.checkpoint = result.checkpoint;
  if (result.redefined) check.redefined = result.redefined;
  return check;
}

/** Up to this many documents are checked here at once (an edit, a few files); more go to workers. */
export const CHECK_ON_PAGE_LIMIT = 200;

/** A document checked on the page: its checks by profile and its verdicts by rules, for this text. */
interface PageCheck {
  doc: CheckpointDocument;
  checks: Partial<Record<RedefineProfile, DocumentCheck>>;
  verdicts: Record<string, RuleVerdict>;
}

/** A document's problems in line order, with the lists they were merged from. */
interface Merged {
  owner: object;
  schema: SchemaResult | undefined;
  chain: Problem[] | undefined;
  problems: Problem[];
}

/** What the last update of the chain worked out, so the next one redoes only what changed. */
export interface ChainMemo {
  forest?: ForestBuild;
  rows?: ForestRows;
  pageChecks: Record<string, PageCheck>;
  merged: Record<string, Merged>;
}

const NONE: Problem[] = [];
const NO_IDS: string[] = [];

/** The list as before when it holds the same ids, so that nothing hears of a change. */
function sameIds(before: string[], now: string[]): string[] {
  return before.length === now.length && before.every((id, i) => id === now[i]) ? before : now;
}

function byLine(a: Problem, b: Problem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/** The check a document had on the page for its current text and this profile, if any. */
export function pageCheckOf(
  memo: ChainMemo,
  doc: CheckpointDocument,
  profile: RedefineProfile,
): DocumentCheck | undefined {
  const page = memo.pageChecks[doc.id];
  return page?.doc === doc ? page.checks[profile] : undefined;
}

/**
 * The chain of the open documents: libvirt's verdict on each (from the workers, or worked out here
 * for a few), the forest and the tree's rows, each document's problems, and the counts. Whatever
 * did not change since `s.chainMemo` comes back as the same object, so that what shows it stays.
 */
export function deriveChain(s: EditorState): Omit<ChainSlice, 'updateChain'> {
  const memo = s.chainMemo;
  const docs = s.documentOrder
    .map((id) => s.documents[id])
    .filter((d): d is CheckpointDocument => d !== undefined);
  const rulesKey = selectRulesKey(s);
  const pageChecks: Record<string, PageCheck> = {};
  for (const doc of docs) {
    const page = memo.pageChecks[doc.id];
    if (page?.doc === doc) pageChecks[doc.id] = page;
  }
  const stored = (doc: CheckpointDocument) => {
    const r = s.ruleResults[doc.id];
    if (r && r.text === doc.text && r.rulesKey === rulesKey) return r.verdict;
    return pageChecks[doc.id]?.verdicts[rulesKey];
  };
  const unchecked = docs.filter((d) => stored(d) === undefined);
  // A large file is never read here (it would stop the page for seconds); many files go together.
  const onPage = unchecked.filter((d) => !isOffPage(d)).length <= CHECK_ON_PAGE_LIMIT;
  const offPage = unchecked.filter((d) => !onPage || isOffPage(d)).map((d) => d.id);

  const rules = selectRuleSet(s);
  const verdicts: Record<string, RuleVerdict | undefined> = {};
  let checking = 0;
  for (const doc of docs) {
    let verdict = stored(doc);
    if (!verdict && onPage && !isOffPage(doc)) {
      const page = pageChecks[doc.id] ?? { doc, checks: {}, verdicts: {} };
      // The editor reads the same file anyway: one parse serves both.
      const check = page.checks[s.profile] ?? checkDocument(doc, s.profile);
      verdict = checkRules(libvirtTextOf(doc), doc.fileName, rules, check);
      pageChecks[doc.id] = {
        doc,
        checks: { ...page.checks, [s.profile]: check },
        verdicts: { ...page.verdicts, [rulesKey]: verdict },
      };
    }
    if (!verdict) {
      checking++;
      // Until the workers answer, the last verdict on the same text stands (the tree keeps its
      // shape); for a large file, the last verdict on any text (a worker takes seconds).
      const stale = s.ruleResults[doc.id];
      if (stale && (stale.text === doc.text || isOffPage(doc))) verdict = stale.verdict;
    }
    verdicts[doc.id] = verdict;
  }

  const entries: ForestEntry[] = [];
  for (const doc of docs) {
    const checkpoint = verdicts[doc.id]?.checkpoint;
    if (checkpoint) entries.push({ file: doc.fileName, checkpoint });
  }
  const forest = updateForest(memo.forest, entries, { compare: compareNatural });
  const files = docs.map((d) => ({
    id: d.id,
    fileName: d.fileName,
    name: verdicts[d.id]?.checkpoint?.name,
  }));
  const rows = forestRows(forest.forest, files, memo.rows);

  const problemsById: Record<string, Problem[]> = {};
  const schemaStatusById: Record<string, ValidationStatus> = {};
  const merged: Record<string, Merged> = {};
  const counts: ChainCounts = { validating: 0, checking, errors: 0, warnings: 0 };
  for (const doc of docs) {
    const verdict = verdicts[doc.id];
    const schema = currentSchemaResult(s, doc.id);
    schemaStatusById[doc.id] = schema ? 'done' : 'validating';
    if (!schema) counts.validating++;
    const owner = verdict ?? doc;
    const chain = forest.problemsByFile.get(doc.fileName);
    let m = memo.merged[doc.id];
    if (!m || m.owner !== owner || m.schema !== schema || m.chain !== chain) {
      const list = [
        ...(verdict?.problems ?? NONE),
        ...(schema?.problems ?? NONE),
        ...(chain ?? NONE),
      ];
      m = { owner, schema, chain, problems: list.length ? list.sort(byLine) : NONE };
    }
    merged[doc.id] = m;
    problemsById[doc.id] = m.problems;
    for (const p of m.problems) {
      if (p.severity === 'error') counts.errors++;
      else counts.warnings++;
    }
  }
  const before = s.counts;
  const sameCounts = (Object.keys(counts) as (keyof ChainCounts)[]).every(
    (k) => counts[k] === before[k],
  );
  return {
    verdicts,
    forest: forest.forest,
    rows: rows.rows,
    rowsById: rows.byId,
    idByFile: rows === memo.rows ? s.idByFile : new Map(docs.map((d) => [d.fileName, d.id])),
    problemsById,
    schemaStatusById,
    counts: sameCounts ? before : counts,
    uncheckedIds: sameIds(s.uncheckedIds, offPage.length ? offPage : NO_IDS),
    chainMemo: { forest, rows, pageChecks, merged },
  };
}
