import { copyRecord } from '../core/index.ts';
import type { ChainCounts, ValidationStatus, VmChain } from './vm-chain.ts';
import type { ChainFields, Merged, PageCheck, VmMemo } from './derive-chain.ts';
import {
  basisOf,
  buildVm,
  chainFields,
  chainVerdict,
  CHECK_ON_PAGE_LIMIT,
  mergeProblems,
  storedVerdict,
  verdictContext,
} from './derive-chain.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import { currentVmKey, vmOf } from './vm-key.ts';
import { isOffPage } from './large-file-limits.ts';
import type { EditorState } from './editor-state.ts';
import { currentSchemaResult } from './validation-slice.ts';

/** The documents an update has to look at again: those added at the end, those changed. */
function touchedSince(s: EditorState): { added: string[]; changed: string[] } | undefined {
  const b = s.chainMemo.basis;
  if (
    !b ||
    s.profile !== b.profile ||
    s.targets !== b.targets ||
    s.definitions !== b.definitions ||
    s.imagesByVm !== b.imagesByVm ||
    s.schemaSet.generation !== b.generation ||
    currentVmKey(s) !== b.currentVmKey
  )
    return undefined;
  const order = s.documentOrder;
  const before = b.documentOrder;
  if (order !== before) {
    if (order.length < before.length) return undefined;
    for (let i = 0; i < before.length; i++) if (order[i] !== before[i]) return undefined;
  }
  const added = order.slice(before.length);
  const changed: string[] = [];
  // Only the records that are others looked into (a batch of verdicts changes one of three).
  const docs = s.documents !== b.documents;
  const rules = s.ruleResults !== b.ruleResults;
  const schema = s.schemaResults !== b.schemaResults;
  if (docs || rules || schema) {
    for (const id of before) {
      if (
        (docs && s.documents[id] !== b.documents[id]) ||
        (rules && s.ruleResults[id] !== b.ruleResults[id]) ||
        (schema && s.schemaResults[id] !== b.schemaResults[id])
      )
        changed.push(id);
    }
  }
  return { added, changed };
}

/**
 * A record copied the first time one of its entries is set to another value, and the same object
 * while none is: a copy of 10,000 keys is the costliest part of a step, and the schema's verdicts
 * leave libvirt's verdicts as they were.
 */
function copyOnWrite<T>(record: Record<string, T>) {
  let copy: Record<string, T> | undefined;
  return {
    set(id: string, value: T): void {
      if (copy) copy[id] = value;
      else if (record[id] !== value || !(id in record)) {
        copy = copyRecord(record);
        copy[id] = value;
      }
    },
    result: (): Record<string, T> => copy ?? record,
  };
}

/** Whether the documents, their verdicts and results are the very objects the chain was made from. */
function sameInputs(s: EditorState): boolean {
  const b = s.chainMemo.basis;
  return (
    b !== undefined &&
    s.documentOrder === b.documentOrder &&
    s.documents === b.documents &&
    s.ruleResults === b.ruleResults &&
    s.schemaResults === b.schemaResults
  );
}

/** The chain as it stands (a store set back to an earlier state, say). */
function unchangedFields(s: EditorState): ChainFields {
  return {
    verdicts: s.verdicts,
    vms: s.vms,
    currentVm: s.currentVm,
    forest: s.forest,
    rows: s.rows,
    rowsById: s.rowsById,
    idByFile: s.idByFile,
    treeItems: s.treeItems,
    target: s.target,
    definitionsOnScreen: s.definitionsOnScreen,
    problemsById: s.problemsById,
    schemaStatusById: s.schemaStatusById,
    counts: s.counts,
    uncheckedIds: s.uncheckedIds,
    chainMemo: s.chainMemo,
  };
}

/**
 * The chain worked out again for the documents added or changed since the last update only (a
 * folder's next files, the workers' verdicts on some): the result is what `deriveChain` would
 * give, and undefined when this cannot tell it without going over every document (a VM new or
 * changed, the rules or the VM on screen changed, documents closed or moved, the page's checks
 * started or stopped).
 */
export function deriveChainStep(s: EditorState): ChainFields | undefined {
  const memo = s.chainMemo;
  const b = memo.basis;
  const touched = touchedSince(s);
  if (!b || !memo.vms || !touched) return undefined;
  const { added, changed } = touched;
  const docOf = (id: string) => s.documents[id] as CheckpointDocument;
  for (const id of changed) {
    const doc = s.documents[id];
    const was = b.documents[id];
    if (!doc || !was || vmOf(doc) !== vmOf(was)) return undefined;
  }
  const docVms = new Set(b.docVms);
  for (const id of added) {
    const doc = s.documents[id];
    if (!doc || !docVms.has(vmOf(doc))) return undefined;
  }
  const ids = [...changed, ...added];
  if (ids.length === 0 && sameInputs(s)) return unchangedFields(s);

  const pageChecks: Record<string, PageCheck> = { ...memo.pageChecks };
  for (const id of ids) {
    if (pageChecks[id] && pageChecks[id].doc !== docOf(id)) delete pageChecks[id];
  }
  const ctx = verdictContext(s, pageChecks);
  const unchecked = new Set(b.unchecked);
  for (const id of ids) {
    if (storedVerdict(ctx, docOf(id)) === undefined) unchecked.add(id);
    else unchecked.delete(id);
  }
  let onPageCount = 0;
  for (const id of unchecked) if (!isOffPage(docOf(id))) onPageCount++;
  const onPage = onPageCount <= CHECK_ON_PAGE_LIMIT;
  // The documents not looked at again would be checked (or not) otherwise.
  if (onPage !== b.onPage) return undefined;

  const verdictsNow = copyOnWrite(s.verdicts);
  const checking = new Set(b.checking);
  const isAdded = new Set(added);
  // VMs whose forest is built again: a file added, or one whose checkpoint or name changed.
  const forestChanged = new Set<string>();
  for (const id of ids) {
    const doc = docOf(id);
    const found = chainVerdict(ctx, doc, onPage);
    if (found.checking) checking.add(id);
    else checking.delete(id);
    if (storedVerdict(ctx, doc) !== undefined) unchecked.delete(id);
    if (
      isAdded.has(id) ||
      s.verdicts[id]?.checkpoint !== found.verdict?.checkpoint ||
      b.documents[id]?.fileName !== doc.fileName
    )
      forestChanged.add(vmOf(doc));
    verdictsNow.set(id, found.verdict);
  }

  const verdicts = verdictsNow.result();
  const addedByVm = new Map<string, string[]>();
  for (const id of added) {
    const vm = vmOf(docOf(id));
    const list = addedByVm.get(vm);
    if (list) list.push(id);
    else addedByVm.set(vm, [id]);
  }
  const vmMemos: Record<string, VmMemo> = { ...memo.vms };
  // VMs whose documents before are as they were: only their next ones are looked at.
  const changedVms = new Set(changed.map((id) => vmOf(docOf(id))));
  const again = new Set(ids);
  const vms: VmChain[] = [];
  const vmByKey = new Map<string, VmChain>();
  for (const was of s.vms) {
    const key = was.key;
    const more = addedByVm.get(key);
    const vmIds = more ? [...was.ids, ...more] : was.ids;
    let vm: VmChain;
    const before = vmMemos[key];
    if (forestChanged.has(key) || !before) {
      const built = buildVm(s, key, vmIds, verdicts, before, !changedVms.has(key));
      vmMemos[key] = built.memo;
      // Each file whose chain problems are another list now (a forest grown leaves the rest's).
      const now = built.memo.forest.problemsByFile;
      const then = before?.forest.problemsByFile;
      if (now !== then) {
        for (const id of vmIds) {
          const file = docOf(id).fileName;
          if (now.get(file) !== then?.get(file)) again.add(id);
        }
      }
      vm = { ...built.chain, errors: was.errors, warnings: was.warnings };
    } else {
      vm = { ...was, ...before.described, ids: vmIds };
    }
    vms.push(vm);
    vmByKey.set(key, vm);
  }

  // Written over once a step made its own copy: only the chain reads it, each entry says what it
  // was made of, and a full derivation's record stays as it was (a store's reset goes back to it).
  const merged: Record<string, Merged> = b.how === 'step' ? memo.merged : copyRecord(memo.merged);
  const problemsById = copyOnWrite(s.problemsById);
  const schemaStatusById = copyOnWrite<ValidationStatus>(s.schemaStatusById);
  const counts: ChainCounts = { ...s.counts, checking: checking.size };
  for (const id of again) {
    const doc = docOf(id);
    const key = vmOf(doc);
    const verdict = verdicts[id];
    const schema = currentSchemaResult(s, id);
    const chain = vmMemos[key]?.forest.problemsByFile.get(doc.fileName);
    const old = memo.merged[id];
    const m = mergeProblems(old, verdict ?? doc, schema, chain, verdict?.problems);
    const vm = vmByKey.get(key) as VmChain;
    if (old && !isAdded.has(id)) {
      counts.errors -= old.errors;
      counts.warnings -= old.warnings;
      vm.errors -= old.errors;
      vm.warnings -= old.warnings;
    }
    counts.errors += m.errors;
    counts.warnings += m.warnings;
    vm.errors += m.errors;
    vm.warnings += m.warnings;
    const status: ValidationStatus = schema ? 'done' : 'validating';
    const statusBefore = isAdded.has(id) ? undefined : s.schemaStatusById[id];
    if (statusBefore === 'validating') counts.validating--;
    if (status === 'validating') counts.validating++;
    merged[id] = m;
    problemsById.set(id, m.problems);
    schemaStatusById.set(id, status);
  }
  const offPage = unchecked.size ? s.documentOrder.filter((id) => unchecked.has(id)) : [];
  const basis = basisOf(s, { onPage, unchecked, checking, docVms: b.docVms, how: 'step' });
  return chainFields(s, vms, {
    verdicts,
    problemsById: problemsById.result(),
    schemaStatusById: schemaStatusById.result(),
    counts,
    offPage,
    chainMemo: { vms: vmMemos, pageChecks, merged, basis },
  });
}
