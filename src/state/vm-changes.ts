import type { ChainMoment, ForestRow, RuleVerdict, VmChange } from '../core/index.ts';
import { vmChangeOf } from '../core/index.ts';

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

/** Whether the memo was made from these rows' verdicts, every one (looked at without making anything). */
function unchanged(
  rows: readonly ForestRow[],
  verdicts: Record<string, RuleVerdict | undefined>,
  memo: VmChangesMemo,
): boolean {
  let children = 0;
  for (const row of rows) {
    if (row.parentId === undefined) continue;
    children++;
    const last = memo.get(row.id);
    if (!last || last.child !== verdicts[row.id] || last.parent !== verdicts[row.parentId])
      return false;
  }
  return children === memo.size;
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
  if (unchanged(rows, verdicts, before.vmChangesMemo))
    return { vmChanges: before.vmChanges, vmChangesMemo: before.vmChangesMemo };
  const memo = new Map<string, VmChangeFound>();
  const vmChanges: Record<string, VmChange> = {};
  let byId: ReadonlyMap<string, ForestRow> | undefined;
  const rowOf = (id: string) =>
    rowsById ? rowsById[id] : (byId ??= new Map(rows.map((row) => [row.id, row]))).get(id);
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
