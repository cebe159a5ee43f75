import type { VmChange } from '../../core/index.ts';
import { describeVmChange } from '../../core/index.ts';

/**
 * The mark on a checkpoint whose VM changed from its parent (or whose disks start a bitmap there),
 * what changed in its tooltip. Hidden from screen readers: the row says it in its description.
 */
export function VmChangeMark({ change, checkpoint }: { change: VmChange; checkpoint: string }) {
  const vmChanged = change.changes.length > 0;
  return (
    <span
      className={vmChanged ? 'vm-change' : 'vm-change bitmaps-only'}
      aria-hidden="true"
      title={describeVmChange(change, checkpoint)}
    >
      {vmChanged ? 'VM Δ' : 'new bitmap'}
    </span>
  );
}
