import type { ChainMoment, ForestRow, RuleVerdict, VmChange } from '../core/index.ts';
import { copyRecord, vmChangeOf } from '../core/index.ts';

/** The change found at a checkpoint, with the verdicts it was found from. */
interface VmChangeFound {
  child: RuleVerdict | undefined;
  parent: RuleVerdict | undefined;
  change: VmChange | undefined;
}

/** Each checkpoint's, by document id (a Map: 10,000 go in at each growth of a folder). */
export type VmChangesMemo = ReadonlyMap<string, VmChangeFound>;

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** An edit that leaves the change as it was keeps the object, so nothing that shows it renders again. */
function sameChange(a: VmChange | undefined, b: VmChange | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.parent === b.parent && sameList(a.changes, b.changes) && sameList(a.newBitmaps, b.newBitmaps)
  );
}

function momentOf(row: ForestRow, verdict: RuleVerdict): ChainMoment {
  const moment: ChainMoment = {
    name: verdict.checkpoint?.name ?? row.label,
    disks: verdict.redefinedDisks ?? verdict.checkpoint?.disks ?? [],
  };
  if (verdict.domainFacts) moment.domain = verdict.domainFacts;
  return moment;
}

/** A checkpoint's change from its parent, worked out again (the one before when alike). */
function changeAt(
  row: ForestRow,
  parentRow: ForestRow | undefined,
  child: RuleVerdict | undefined,
  parent: RuleVerdict | undefined,
  kept: VmChange | undefined,
): VmChange | undefined {
  const change =
    child?.checkpoint && parent?.checkpoint && parentRow
      ? vmChangeOf(momentOf(parentRow, parent), momentOf(row, child))
      : undefined;
  return sameChange(kept, change) ? kept : change;
}

/**
 * The changes when every checkpoint of the memo is still a child in `rows` (a folder's next files
 * add rows, none go): the memo and the changes copied, only the checkpoints new or whose verdicts
 * changed worked out again. Undefined when a checkpoint went or stopped having a parent.
 */
function changedOnly(
  rows: readonly ForestRow[],
  verdicts: Record<string, RuleVerdict | undefined>,
  before: { vmChanges: Record<string, VmChange>; vmChangesMemo: VmChangesMemo },
  rowOf: (id: string) => ForestRow | undefined,
): { vmChanges: Record<string, VmChange>; vmChangesMemo: VmChangesMemo } | undefined {
  const again: ForestRow[] = [];
  let known = 0;
  for (const row of rows) {
    if (row.parentId === undefined) continue;
    const last = before.vmChangesMemo.get(row.id);
    if (last) known++;
    if (!last || last.child !== verdicts[row.id] || last.parent !== verdicts[row.parentId])
      again.push(row);
  }
  // Each checkpoint of the memo is still a child in the rows: nothing to take out.
  if (known !== before.vmChangesMemo.size) return undefined;
  // Made from these rows' verdicts, every one: the same records back, so the tree stays as it is.
  if (again.length === 0)
    return { vmChanges: before.vmChanges, vmChangesMemo: before.vmChangesMemo };
  const memo = new Map(before.vmChangesMemo);
  let vmChanges: Record<string, VmChange> | undefined;
  for (const row of again) {
    const parentId = row.parentId as string;
    const child = verdicts[row.id];
    const parent = verdicts[parentId];
    const kept = before.vmChanges[row.id];
    const change = changeAt(row, rowOf(parentId), child, parent, kept);
    memo.set(row.id, { child, parent, change });
    if (change === kept) continue;
    vmChanges ??= copyRecord(before.vmChanges);
    if (change) vmChanges[row.id] = change;
    else delete vmChanges[row.id];
  }
  return { vmChanges: vmChanges ?? before.vmChanges, vmChangesMemo: memo };
}

/**
 * How the VM changed at each checkpoint from its parent, by document id: worked out again only
 * where a verdict changed, and the same record back when nothing did, so the tree stays as it is.
 */
export function deriveVmChanges(
  rows: readonly ForestRow[],
  verdicts: Record<string, RuleVerdict | undefined>,
  before: { vmChanges: Record<string, VmChange>; vmChangesMemo: VmChangesMemo },
  /** The rows by id, when the caller has them (the chain's rowsById). */
  rowsById?: Readonly<Record<string, ForestRow>>,
): { vmChanges: Record<string, VmChange>; vmChangesMemo: VmChangesMemo } {
  let byId: ReadonlyMap<string, ForestRow> | undefined;
  const rowOfId = (id: string) =>
    rowsById ? rowsById[id] : (byId ??= new Map(rows.map((row) => [row.id, row]))).get(id);
  const grown = changedOnly(rows, verdicts, before, rowOfId);
  if (grown) return grown;
  const memo = new Map<string, VmChangeFound>();
  const vmChanges: Record<string, VmChange> = {};
  const rowOf = rowOfId;
  let same = true;
  for (const row of rows) {
    if (row.parentId === undefined) continue;
    const child = verdicts[row.id];
    const parent = verdicts[row.parentId];
    let found = before.vmChangesMemo.get(row.id);
    if (!found || found.child !== child || found.parent !== parent) {
      const parentRow = rowOf(row.parentId);
      let change =
        child?.checkpoint && parent?.checkpoint && parentRow
          ? vmChangeOf(momentOf(parentRow, parent), momentOf(row, child))
          : undefined;
      const kept = before.vmChanges[row.id];
      if (sameChange(kept, change)) change = kept;
      found = { child, parent, change };
    }
    memo.set(row.id, found);
    if (found.change) vmChanges[row.id] = found.change;
    if (found.change !== before.vmChanges[row.id]) same = false;
  }
  if (same && Object.keys(vmChanges).length === Object.keys(before.vmChanges).length) {
    return { vmChanges: before.vmChanges, vmChangesMemo: memo };
  }
  return { vmChanges, vmChangesMemo: memo };
}
