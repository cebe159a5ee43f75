import type { ChainMoment, ForestRow, RuleVerdict, VmChange } from '../core/index.ts';
import { vmChangeOf } from '../core/index.ts';

/** The change found at each checkpoint, with the verdicts it was found from. */
export type VmChangesMemo = Record<
  string,
  { child: RuleVerdict | undefined; parent: RuleVerdict | undefined; change: VmChange | undefined }
>;

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
    const last = memo[row.id];
    if (!last || last.child !== verdicts[row.id] || last.parent !== verdicts[row.parentId])
      return false;
  }
  return children === Object.keys(memo).length;
}

/**
 * How the VM changed at each checkpoint from its parent, by document id: worked out again only
 * where a verdict changed, and the same record back when nothing did, so the tree stays as it is.
 */
export function deriveVmChanges(
  rows: readonly ForestRow[],
  verdicts: Record<string, RuleVerdict | undefined>,
  before: { vmChanges: Record<string, VmChange>; vmChangesMemo: VmChangesMemo },
): { vmChanges: Record<string, VmChange>; vmChangesMemo: VmChangesMemo } {
  if (unchanged(rows, verdicts, before.vmChangesMemo))
    return { vmChanges: before.vmChanges, vmChangesMemo: before.vmChangesMemo };
  const memo: VmChangesMemo = {};
  const vmChanges: Record<string, VmChange> = {};
  const byId = new Map(rows.map((row) => [row.id, row]));
  let same = true;
  for (const row of rows) {
    if (row.parentId === undefined) continue;
    const child = verdicts[row.id];
    const parent = verdicts[row.parentId];
    const last = before.vmChangesMemo[row.id];
    let change: VmChange | undefined;
    if (last && last.child === child && last.parent === parent) change = last.change;
    else {
      const parentRow = byId.get(row.parentId);
      change =
        child?.checkpoint && parent?.checkpoint && parentRow
          ? vmChangeOf(momentOf(parentRow, parent), momentOf(row, child))
          : undefined;
      const kept = before.vmChanges[row.id];
      if (sameChange(kept, change)) change = kept;
    }
    memo[row.id] = { child, parent, change };
    if (change) vmChanges[row.id] = change;
    if (change !== before.vmChanges[row.id]) same = false;
  }
  if (same && Object.keys(vmChanges).length === Object.keys(before.vmChanges).length) {
    return { vmChanges: before.vmChanges, vmChangesMemo: memo };
  }
  return { vmChanges, vmChangesMemo: memo };
}
