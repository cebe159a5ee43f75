import { compareNatural } from '../core/index.ts';
import type { EditorState } from './editor-state.ts';

/**
 * What an open brings besides its checkpoint files, and an undo of it takes back: the VM
 * definitions and the target VM taken from them, the disk images' state, virtnbdbackup's files and
 * their headers, the files held back under an open file's name, the skipped list.
 */
const BY_KEY = [
  'documents',
  'targets',
  'folderTargetGenerations',
  'imagesByVm',
  'backupFiles',
  'backupHeaders',
] as const;
const BY_ITEM = ['definitions', 'sameNames'] as const;

type ByKey = (typeof BY_KEY)[number];
type ByItem = (typeof BY_ITEM)[number];

/** The fields an open changes, as references. */
export type OpenedState = Pick<EditorState, ByKey | ByItem | 'documentOrder' | 'skipped'>;

/**
 * One step of undo over an open: the keys of each record it sets (a document by id, a VM's target
 * by VM…) with their values (undefined: none), the items of each list it takes out and puts in.
 * Applied to the state of the moment, not in place of it: what the operator did to anything else
 * meanwhile (an edit typed while a folder opened, a target chosen for another VM) stays.
 */
export interface OpenStep {
  keys: { [F in ByKey]?: Record<string, EditorState[F][string] | undefined> };
  items: { [F in ByItem]?: { out: EditorState[F]; in: EditorState[F] } };
  /** The documents' order the step leaves, those it does not know of after them. */
  order?: string[];
  skipped?: EditorState['skipped'];
}

export function openedStateOf(s: EditorState): OpenedState {
  return {
    documents: s.documents,
    documentOrder: s.documentOrder,
    targets: s.targets,
    folderTargetGenerations: s.folderTargetGenerations,
    imagesByVm: s.imagesByVm,
    backupFiles: s.backupFiles,
    backupHeaders: s.backupHeaders,
    definitions: s.definitions,
    sameNames: s.sameNames,
    skipped: s.skipped,
  };
}

/** The keys whose values differ, each with its value in `to`. */
function changedKeys<T>(
  from: Readonly<Record<string, T>>,
  to: Readonly<Record<string, T>>,
): Record<string, T | undefined> | undefined {
  if (from === to) return undefined;
  const out: Record<string, T | undefined> = {};
  let any = false;
  for (const k of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (from[k] !== to[k]) {
      out[k] = to[k];
      any = true;
    }
  }
  return any ? out : undefined;
}

/**
 * The documents open in one state and not the other, each with its value in `to` (undefined: not
 * open). A document open in both is the operator's (edited while the folder opened, maybe): no
 * step of an open touches it. By their order: 10,000 files take a few milliseconds.
 */
function documentsBetween(
  from: OpenedState,
  to: OpenedState,
): Record<string, OpenedState['documents'][string] | undefined> | undefined {
  if (from.documentOrder === to.documentOrder) return undefined;
  const out: Record<string, OpenedState['documents'][string] | undefined> = {};
  let any = false;
  for (const id of from.documentOrder) {
    if (to.documents[id] === undefined) {
      out[id] = undefined;
      any = true;
    }
  }
  for (const id of to.documentOrder) {
    if (from.documents[id] === undefined) {
      out[id] = to.documents[id];
      any = true;
    }
  }
  return any ? out : undefined;
}

/**
 * The step that takes `after` back to `before`, as far as the open changed it; undefined when it
 * changed nothing.
 */
export function openStepBetween(after: OpenedState, before: OpenedState): OpenStep | undefined {
  const step: OpenStep = { keys: {}, items: {} };
  let any = false;
  const documents = documentsBetween(after, before);
  if (documents) {
    step.keys.documents = documents;
    step.order = before.documentOrder;
    any = true;
  }
  for (const field of BY_KEY) {
    if (field === 'documents') continue;
    const keys = changedKeys(
      after[field] as Record<string, unknown>,
      before[field] as Record<string, unknown>,
    );
    if (keys) {
      (step.keys as Record<string, unknown>)[field] = keys;
      any = true;
    }
  }
  for (const field of BY_ITEM) {
    const had = new Set<unknown>(before[field]);
    const has = new Set<unknown>(after[field]);
    const out = after[field].filter((x) => !had.has(x));
    const put = before[field].filter((x) => !has.has(x));
    if (out.length || put.length) {
      (step.items as Record<string, unknown>)[field] = { out, in: put };
      any = true;
    }
  }
  if (after.skipped !== before.skipped) {
    step.skipped = before.skipped;
    any = true;
  }
  return any ? step : undefined;
}

/** A record with the step's keys set (or removed). */
function withKeys<T>(
  record: Readonly<Record<string, T>>,
  keys: Readonly<Record<string, T | undefined>>,
): Record<string, T> {
  const out = { ...record };
  for (const [k, v] of Object.entries(keys)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * The state a step leaves when applied to `s`, and the step that takes that state back to `s`
 * (the redo of an undo, the undo of a redo).
 */
export function applyOpenStep(
  s: OpenedState,
  step: OpenStep,
): { next: Partial<OpenedState>; inverse: OpenStep } {
  const next: Partial<OpenedState> = {};
  const inverse: OpenStep = { keys: {}, items: {} };
  for (const field of BY_KEY) {
    const keys = step.keys[field] as Record<string, unknown> | undefined;
    if (!keys || field === 'documents') continue;
    const now = s[field] as Record<string, unknown>;
    const back: Record<string, unknown> = {};
    for (const k of Object.keys(keys)) back[k] = now[k];
    (inverse.keys as Record<string, unknown>)[field] = back;
    (next as Record<string, unknown>)[field] = withKeys(now, keys);
  }
  const keys = step.keys.documents;
  if (keys) {
    // Built afresh rather than copied and deleted from: an undo of 10,000 files deletes 10,000 keys.
    const documents: OpenedState['documents'] = {};
    const back: typeof keys = {};
    for (const id of s.documentOrder) {
      const doc = s.documents[id];
      if (doc && !(id in keys)) documents[id] = doc;
    }
    for (const [id, doc] of Object.entries(keys)) {
      back[id] = s.documents[id];
      if (doc) documents[id] = doc;
    }
    next.documents = documents;
    inverse.keys.documents = back;
    const order = step.order ?? [];
    const inOrder = new Set(order);
    const kept = order.filter((id) => documents[id] !== undefined);
    const more = s.documentOrder.filter((id) => !inOrder.has(id) && documents[id] !== undefined);
    // The order as it was, when nothing came or went since: the same list, not a copy.
    next.documentOrder =
      kept.length === order.length && more.length === 0 ? order : [...kept, ...more];
    inverse.order = s.documentOrder;
  }
  if (step.items.definitions) {
    const { out, in: put } = step.items.definitions;
    const gone = new Set(out);
    next.definitions = [...s.definitions.filter((d) => !gone.has(d)), ...put].sort((a, b) =>
      compareNatural(a.fileName, b.fileName),
    );
    inverse.items.definitions = { out: put, in: out };
  }
  if (step.items.sameNames) {
    const { out, in: put } = step.items.sameNames;
    const gone = new Set(out);
    next.sameNames = [...s.sameNames.filter((n) => !gone.has(n)), ...put];
    inverse.items.sameNames = { out: put, in: out };
  }
  if (step.skipped) {
    next.skipped = step.skipped;
    inverse.skipped = s.skipped;
  }
  return { next, inverse };
}

const counted = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * What a step did besides the documents, for the status line: `2 VM definitions closed`,
 * `the target VM back`… in the order the page shows them.
 */
export function describeOpenStep(before: OpenedState, after: OpenedState): string[] {
  const parts: string[] = [];
  const say = (was: number, now: number, one: string, many: string) => {
    if (now < was) parts.push(`${counted(was - now, one, many)} closed`);
    else if (now > was) parts.push(`${counted(now - was, one, many)} back`);
  };
  const filesIn = (r: Record<string, readonly unknown[]>) =>
    Object.values(r).reduce((n, list) => n + list.length, 0);
  say(before.definitions.length, after.definitions.length, 'VM definition', 'VM definitions');
  say(
    Object.keys(before.targets).length,
    Object.keys(after.targets).length,
    'target VM',
    'target VMs',
  );
  say(filesIn(before.imagesByVm), filesIn(after.imagesByVm), 'disk image file', 'disk image files');
  say(filesIn(before.backupFiles), filesIn(after.backupFiles), 'backup file', 'backup files');
  const skipped = after.skipped.length;
  if (before.skipped !== after.skipped && skipped !== before.skipped.length)
    parts.push(skipped === 0 ? 'no file skipped' : `${counted(skipped, 'file', 'files')} skipped`);
  return parts;
}
