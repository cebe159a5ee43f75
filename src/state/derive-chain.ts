import type {
  DomainDisk,
  Checkpoint,
  Forest,
  ForestBuild,
  ForestEntry,
  ForestRow,
  ForestRows,
  Problem,
  RowFile,
  RedefineProfile,
  RuleVerdict,
} from '../core/index.ts';
import {
  buildForest,
  checkCheckpoint,
  checkRules,
  countListed,
  describeVm,
  compareNatural,
  countDomainNames,
  forestRows,
  mostNamed,
  readDomainDisks,
  updateForest,
} from '../core/index.ts';
import type { ChainCounts, ValidationStatus, VmChain } from './vm-chain.ts';
import type { TargetVm } from './rules-slice.ts';
import type { VmDefinition } from './definitions-slice.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import { libvirtTextOf } from './documents-slice.ts';
import { currentVmKey, DEFAULT_VM, vmOf, VM_ROW } from './vm-key.ts';
import { isOffPage } from './large-file-limits.ts';
import { selectRuleSet, selectRulesKey } from './rules-slice.ts';
import type { EditorState } from './editor-state.ts';
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
export interface PageCheck {
  doc: CheckpointDocument;
  checks: Partial<Record<RedefineProfile, DocumentCheck>>;
  verdicts: Record<string, RuleVerdict>;
}

/** A document's problems in line order, with the lists they were merged from. */
export interface Merged {
  owner: object;
  schema: SchemaResult | undefined;
  chain: Problem[] | undefined;
  problems: Problem[];
  /** As the lists count them (`countListed`). */
  errors: number;
  warnings: number;
}

/** A VM's forest and rows as last worked out. */
export interface VmMemo {
  forest: ForestBuild;
  rows: ForestRows;
  /** Its label and identity, before two alike are told apart (labelVms). */
  described: ReturnType<typeof describeVm>;
  /** How many of its checkpoints' <domain> give each name (forestDomainName's count). */
  domainNames: ReadonlyMap<string, number>;
}

/** What the last update of the chain worked out, so the next one redoes only what changed. */
export interface ChainMemo {
  /** By VM key. */
  vms?: Record<string, VmMemo>;
  pageChecks: Record<string, PageCheck>;
  merged: Record<string, Merged>;
  /** What the chain was last worked out from, for chain-step.ts to redo only the documents changed. */
  basis?: ChainBasis;
}

/** The inputs of the last update of the chain, and what it found of each document. */
export interface ChainBasis {
  documents: EditorState['documents'];
  documentOrder: string[];
  ruleResults: EditorState['ruleResults'];
  schemaResults: EditorState['schemaResults'];
  profile: EditorState['profile'];
  targets: EditorState['targets'];
  definitions: EditorState['definitions'];
  imagesByVm: EditorState['imagesByVm'];
  generation: number;
  currentVmKey: string;
  /** Whether documents without a verdict were checked on the page. */
  onPage: boolean;
  /** Documents still without a verdict under the rules in force, after the page's checks. */
  unchecked: ReadonlySet<string>;
  /** Documents whose verdict is being worked out (the `checking` count). */
  checking: ReadonlySet<string>;
  /** The VMs that hold documents, in the order of their first document. */
  docVms: readonly string[];
  /** How the last update went: all documents again, or only those changed (for the tests). */
  how: 'full' | 'step';
}

const NONE: Problem[] = [];
export const EMPTY_FOREST = buildForest([]);

/** Two VMs never read alike: a name twice (a VM made again) shows its uuid, a folder its path. */
export function labelVms(vms: VmChain[]): void {
  const count = new Map<string, number>();
  for (const v of vms) count.set(v.label, (count.get(v.label) ?? 0) + 1);
  for (const v of vms) {
    if ((count.get(v.label) ?? 0) < 2) continue;
    // The same VM on two hosts (a fleet/ folder): told apart by the host, as groupByVm labels it.
    if (v.host !== undefined) v.label = `${v.label} on ${v.host}`;
    else if (v.uuid !== undefined) v.label = `${v.label} (uuid ${v.uuid})`;
    else if (v.folder !== undefined) v.label = v.folder;
  }
}

/**
 * The tree's rows: one VM's as they are; several VMs each as a top-level row, its checkpoints one
 * level below (their roots its children), so the tree reads VM by VM.
 */
export function treeItemsOf(
  s: EditorState,
  vms: VmChain[],
  current: VmChain | undefined,
): ForestRow[] {
  if (vms.length <= 1) return current?.rows ?? [];
  if (vms === s.vms && s.treeItems.length > 0) return s.treeItems;
  const items: ForestRow[] = [];
  vms.forEach((vm, i) => {
    const id = VM_ROW + vm.key;
    const roots = vm.rows.filter((r) => r.level === 1);
    items.push({
      id,
      label: vm.label,
      fileName: '',
      level: 1,
      lane: 0,
      childIds: roots.map((r) => r.id),
      posinset: i + 1,
      setsize: vms.length,
    });
    for (const r of vm.rows) {
      items.push({ ...r, level: r.level + 1, parentId: r.parentId ?? id });
    }
  });
  return items;
}

/** The VM definitions of a VM (as before when the same), for Compare and the Chain. */
export function definitionsOf(s: EditorState, vm: string): VmDefinition[] {
  const now = s.definitions.filter((d) => (d.vm ?? DEFAULT_VM) === vm);
  const before = s.definitionsOnScreen;
  return before.length === now.length && now.every((d, i) => d === before[i]) ? before : now;
}

/** The VMs as before when nothing of them changed, so that nothing hears of a change. */
export function sameVms(before: VmChain[], now: VmChain[]): VmChain[] {
  const same =
    before.length === now.length &&
    now.every((v, i) => {
      const b = before[i] as VmChain;
      return (
        b.key === v.key &&
        b.label === v.label &&
        b.forest === v.forest &&
        b.rows === v.rows &&
        b.errors === v.errors &&
        b.warnings === v.warnings &&
        b.ids.length === v.ids.length &&
        b.ids.every((id, j) => id === v.ids[j])
      );
    });
  return same ? before : now;
}
export const NO_IDS: string[] = [];

/** The list as before when it holds the same ids, so that nothing hears of a change. */
export function sameIds(before: string[], now: string[]): string[] {
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

/** The fields of the chain slice that an update works out. */
export interface ChainFields {
  /** libvirt's verdict on each document, as the chain sees it (no <domain> beyond its disks). */
  verdicts: Record<string, RuleVerdict | undefined>;
  /** Every VM of the open documents, in the order of their first document. */
  vms: VmChain[];
  /** The VM on screen (the selected document's), whose chain the fields below are. */
  currentVm: string;
  /** The VM on screen's target definition, its VM definitions (Compare's), of `targets`. */
  target: TargetVm | null;
  definitionsOnScreen: VmDefinition[];
  /** The VM on screen: its forest, rows (depth first, parents first, children in natural order). */
  forest: Forest;
  rows: ForestRow[];
  rowsById: Record<string, ForestRow>;
  idByFile: ReadonlyMap<string, string>;
  /**
   * The tree's rows: the VM on screen's rows with one VM; with more, each VM a top-level row
   * (id `vm:KEY`) with its checkpoints below it.
   */
  treeItems: ForestRow[];
  /** Every problem of each document: its text, libvirt's rules, the schema, the chain. */
  problemsById: Record<string, Problem[]>;
  schemaStatusById: Record<string, ValidationStatus>;
  counts: ChainCounts;
  /** Documents without a verdict under the rules in force: too many for the page, for the workers. */
  uncheckedIds: string[];
  chainMemo: ChainMemo;
}

/** What a document's verdict is looked up in, for one update of the chain. */
export interface VerdictContext {
  s: EditorState;
  rulesKeyOf: (doc: CheckpointDocument) => string;
  /** The page's checks of documents in their current text; a check made here is added to it. */
  pageChecks: Record<string, PageCheck>;
}

export function verdictContext(s: EditorState, pageChecks: Record<string, PageCheck>) {
  // Each VM's checkpoints are checked under its own target definition.
  const rulesKeys = new Map<string, string>();
  const rulesKeyOf = (doc: CheckpointDocument) => {
    const vm = vmOf(doc);
    let key = rulesKeys.get(vm);
    if (key === undefined) rulesKeys.set(vm, (key = selectRulesKey(s, vm)));
    return key;
  };
  return { s, rulesKeyOf, pageChecks };
}

/** A document's verdict under the rules in force for its text, from a worker or the page, if any. */
export function storedVerdict(
  ctx: VerdictContext,
  doc: CheckpointDocument,
): RuleVerdict | undefined {
  const r = ctx.s.ruleResults[doc.id];
  if (r && r.text === doc.text && r.rulesKey === ctx.rulesKeyOf(doc)) return r.verdict;
  return ctx.pageChecks[doc.id]?.verdicts[ctx.rulesKeyOf(doc)];
}

/**
 * A document's verdict as the chain shows it: the stored one, else (`onPage`) one worked out here,
 * else the last one while the workers work it out again (`checking`).
 */
export function chainVerdict(
  ctx: VerdictContext,
  doc: CheckpointDocument,
  onPage: boolean,
): { verdict: RuleVerdict | undefined; checking: boolean } {
  const { s } = ctx;
  let verdict = storedVerdict(ctx, doc);
  if (!verdict && onPage && !isOffPage(doc)) {
    const page = ctx.pageChecks[doc.id] ?? { doc, checks: {}, verdicts: {} };
    // The editor reads the same file anyway: one parse serves both.
    const check = page.checks[s.profile] ?? checkDocument(doc, s.profile);
    verdict = checkRules(libvirtTextOf(doc), doc.fileName, selectRuleSet(s, vmOf(doc)), check);
    ctx.pageChecks[doc.id] = {
      doc,
      checks: { ...page.checks, [s.profile]: check },
      verdicts: { ...page.verdicts, [ctx.rulesKeyOf(doc)]: verdict },
    };
  }
  if (verdict) return { verdict, checking: false };
  // Until the workers answer, the last verdict on the same text stands (the tree keeps its shape);
  // for a large file, the last verdict on any text (a worker takes seconds).
  const stale = s.ruleResults[doc.id];
  const kept = stale && (stale.text === doc.text || isOffPage(doc)) ? stale.verdict : undefined;
  return { verdict: kept, checking: true };
}

/** One VM worked out: its forest and rows (as before when the same), its chain. */
export function buildVm(
  s: EditorState,
  key: string,
  /** Its documents' ids, in the order opened. */
  ids: string[],
  verdicts: Record<string, RuleVerdict | undefined>,
  before: VmMemo | undefined,
  /** Its documents are those `before` was made of, as they were, and more after them. */
  grownOnly = false,
): { memo: VmMemo; chain: VmChain } {
  const docOf = (i: number) => s.documents[ids[i] as string] as CheckpointDocument;
  // The entries and files as before where they are the same: a folder's next files leave the
  // others' as they were, and 10,000 made again at each growth of the tree cost the page its frames.
  const entriesBefore = before?.forest.entries ?? [];
  const filesBefore = before?.rows.files ?? [];
  const was = s.vms.find((v) => v.key === key);
  // Grown only: the files and entries before taken as they are, the new ones looked at alone.
  const from =
    grownOnly && was && before && filesBefore.length <= ids.length ? filesBefore.length : 0;
  const entries: ForestEntry[] = from ? [...entriesBefore] : [];
  const files: RowFile[] = from ? [...filesBefore] : [];
  let newest: string | undefined = from ? was?.newestTime : undefined;
  for (let i = from; i < ids.length; i++) {
    const doc = docOf(i);
    const checkpoint = verdicts[doc.id]?.checkpoint;
    const file = filesBefore[files.length];
    const name = checkpoint?.name;
    files.push(
      file && file.id === doc.id && file.fileName === doc.fileName && file.name === name
        ? file
        : { id: doc.id, fileName: doc.fileName, name },
    );
    if (!checkpoint) continue;
    const entry = entriesBefore[entries.length];
    entries.push(
      entry && entry.file === doc.fileName && entry.checkpoint === checkpoint
        ? entry
        : { file: doc.fileName, checkpoint },
    );
    const t = checkpoint.creationTime;
    if (t !== undefined && /^\d+$/.test(t) && (newest === undefined || Number(t) > Number(newest)))
      newest = t;
  }
  const forest = updateForest(before?.forest, entries, { compare: compareNatural });
  const rows = forestRows(forest.forest, files, before?.rows, forest.grown);
  let idByFile = was?.idByFile;
  if (!was || rows !== before?.rows) {
    const byFile = new Map<string, string>(from ? was?.idByFile : undefined);
    for (let i = from; i < ids.length; i++) {
      const d = docOf(i);
      byFile.set(d.fileName, d.id);
    }
    idByFile = byFile;
  }
  // The names counted again only for the entries a growth added.
  const grewFrom = forest.grown?.from === before?.forest.forest ? before : undefined;
  const domainNames = grewFrom
    ? countDomainNames(
        forest.entries.slice(grewFrom.forest.entries.length),
        new Map(grewFrom.domainNames),
      )
    : forest.forest === before?.forest.forest
      ? before.domainNames
      : countDomainNames(forest.forest.entries.values());
  const described = describeVm(key, mostNamed(domainNames));
  const chain: VmChain = {
    key,
    ...described,
    ids,
    forest: forest.forest,
    rows: rows.rows,
    rowsById: rows.byId,
    idByFile: idByFile as ReadonlyMap<string, string>,
    ...(newest !== undefined ? { newestTime: newest } : {}),
    errors: 0,
    warnings: 0,
  };
  return { memo: { forest, rows, described, domainNames }, chain };
}

/** A document's problems in line order (as before when made of the same lists). */
export function mergeProblems(
  m: Merged | undefined,
  owner: object,
  schema: SchemaResult | undefined,
  chain: Problem[] | undefined,
  verdictProblems: Problem[] | undefined,
): Merged {
  if (m && m.owner === owner && m.schema === schema && m.chain === chain) return m;
  const list = [...(verdictProblems ?? NONE), ...(schema?.problems ?? NONE), ...(chain ?? NONE)];
  const problems = list.length ? list.sort(byLine) : NONE;
  return { owner, schema, chain, problems, ...countListed(problems) };
}

/** The VM on screen: the selected document's, else the first VM's. */
export function currentVmOf(s: EditorState, vms: readonly VmChain[]): string {
  const key = currentVmKey(s);
  return vms.some((v) => v.key === key) ? key : (vms[0]?.key ?? DEFAULT_VM);
}

/** What follows from the VMs and each document's problems: the VM on screen's fields, the counts. */
export function chainFields(
  s: EditorState,
  vms: VmChain[],
  parts: Pick<ChainFields, 'verdicts' | 'problemsById' | 'schemaStatusById' | 'chainMemo'> & {
    counts: ChainCounts;
    offPage: string[];
  },
): ChainFields {
  labelVms(vms);
  const currentVm = currentVmOf(s, vms);
  const current = vms.find((v) => v.key === currentVm);
  const before = s.counts;
  const { counts } = parts;
  const sameCounts = (Object.keys(counts) as (keyof ChainCounts)[]).every(
    (k) => counts[k] === before[k],
  );
  const vmsNow = sameVms(s.vms, vms);
  return {
    verdicts: parts.verdicts,
    vms: vmsNow,
    currentVm,
    forest: current?.forest ?? EMPTY_FOREST,
    rows: current?.rows ?? [],
    rowsById: current?.rowsById ?? {},
    idByFile: current?.idByFile ?? new Map(),
    treeItems: treeItemsOf(s, vmsNow, current),
    target: s.targets[currentVm] ?? null,
    definitionsOnScreen: definitionsOf(s, currentVm),
    problemsById: parts.problemsById,
    schemaStatusById: parts.schemaStatusById,
    counts: sameCounts ? before : counts,
    uncheckedIds: sameIds(s.uncheckedIds, parts.offPage.length ? parts.offPage : NO_IDS),
    chainMemo: parts.chainMemo,
  };
}

/** The inputs an update of the chain worked from. */
export function basisOf(
  s: EditorState,
  found: Pick<ChainBasis, 'onPage' | 'unchecked' | 'checking' | 'docVms' | 'how'>,
): ChainBasis {
  return {
    documents: s.documents,
    documentOrder: s.documentOrder,
    ruleResults: s.ruleResults,
    schemaResults: s.schemaResults,
    profile: s.profile,
    targets: s.targets,
    definitions: s.definitions,
    imagesByVm: s.imagesByVm,
    generation: s.schemaSet.generation,
    currentVmKey: currentVmKey(s),
    ...found,
  };
}

/**
 * The chain of the open documents: libvirt's verdict on each (from the workers, or worked out here
 * for a few), the forest and the tree's rows, each document's problems, and the counts. Whatever
 * did not change since `s.chainMemo` comes back as the same object, so that what shows it stays.
 * This goes over every document; chain-step.ts redoes only the documents changed, when it can.
 */
export function deriveChain(s: EditorState): ChainFields {
  const memo = s.chainMemo;
  const docs = s.documentOrder
    .map((id) => s.documents[id])
    .filter((d): d is CheckpointDocument => d !== undefined);
  const pageChecks: Record<string, PageCheck> = {};
  for (const doc of docs) {
    const page = memo.pageChecks[doc.id];
    if (page?.doc === doc) pageChecks[doc.id] = page;
  }
  const ctx = verdictContext(s, pageChecks);
  const unchecked = docs.filter((d) => storedVerdict(ctx, d) === undefined);
  // A large file is never read here (it would stop the page for seconds); many files go together.
  const onPage = unchecked.filter((d) => !isOffPage(d)).length <= CHECK_ON_PAGE_LIMIT;
  const offPage = unchecked.filter((d) => !onPage || isOffPage(d)).map((d) => d.id);

  const verdicts: Record<string, RuleVerdict | undefined> = {};
  const checking = new Set<string>();
  for (const doc of docs) {
    const found = chainVerdict(ctx, doc, onPage);
    if (found.checking) checking.add(doc.id);
    verdicts[doc.id] = found.verdict;
  }

  // Each VM's chain of its own: libvirt keeps each domain's checkpoints in a list of its own.
  const docsByVm = new Map<string, CheckpointDocument[]>();
  for (const doc of docs) {
    const vm = vmOf(doc);
    const list = docsByVm.get(vm);
    if (list) list.push(doc);
    else docsByVm.set(vm, [doc]);
  }
  const docVms = [...docsByVm.keys()];
  // A VM known by its definition, target or images alone (no checkpoint yet) is a VM too.
  for (const key of [
    ...s.definitions.map((d) => d.vm ?? DEFAULT_VM),
    ...Object.keys(s.targets),
    ...Object.keys(s.imagesByVm),
  ]) {
    if (!docsByVm.has(key)) docsByVm.set(key, []);
  }
  const vmMemos: Record<string, VmMemo> = {};
  const vms: VmChain[] = [];
  const vmByKey = new Map<string, VmChain>();
  for (const [key, vmDocs] of docsByVm) {
    const built = buildVm(
      s,
      key,
      vmDocs.map((d) => d.id),
      verdicts,
      memo.vms?.[key],
    );
    vmMemos[key] = built.memo;
    vms.push(built.chain);
    vmByKey.set(key, built.chain);
  }

  const problemsById: Record<string, Problem[]> = {};
  const schemaStatusById: Record<string, ValidationStatus> = {};
  const merged: Record<string, Merged> = {};
  const counts: ChainCounts = { validating: 0, checking: checking.size, errors: 0, warnings: 0 };
  for (const doc of docs) {
    const verdict = verdicts[doc.id];
    const schema = currentSchemaResult(s, doc.id);
    schemaStatusById[doc.id] = schema ? 'done' : 'validating';
    if (!schema) counts.validating++;
    const m = mergeProblems(
      memo.merged[doc.id],
      verdict ?? doc,
      schema,
      vmMemos[vmOf(doc)]?.forest.problemsByFile.get(doc.fileName),
      verdict?.problems,
    );
    merged[doc.id] = m;
    problemsById[doc.id] = m.problems;
    const vm = vmByKey.get(vmOf(doc)) as VmChain;
    counts.errors += m.errors;
    counts.warnings += m.warnings;
    vm.errors += m.errors;
    vm.warnings += m.warnings;
  }
  const basis = basisOf(s, {
    onPage,
    unchecked: new Set(offPage),
    checking,
    docVms,
    how: 'full',
  });
  return chainFields(s, vms, {
    verdicts,
    problemsById,
    schemaStatusById,
    counts,
    offPage,
    chainMemo: { vms: vmMemos, pageChecks, merged, basis },
  });
}
