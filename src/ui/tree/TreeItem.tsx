import { memo } from 'react';
import type { Problem, RuleVerdict, VmChange } from '../../core/index.ts';
import { describeVmChange } from '../../core/index.ts';
import { Name } from '../app/Name.tsx';
import { VmChangeMark } from '../compare/VmChangeMark.tsx';
import { disksOf, errorAndWarningCounts, plural, shortTime } from './checkpoint-facts.ts';
import type { TreeRow } from './tree-rows.ts';

/** The height of every row: the virtualiser places rows by it. */
export const ROW_HEIGHT = 26;
/** Deeper rows stop moving right, so a long chain keeps its names readable. */
const MAX_INDENT_LEVELS = 6;
const INDENT = 10;

/** What a row does when clicked; the same functions for every row, so rows stay memoised. */
export interface RowActions {
  click: (index: number) => void;
  open: (index: number) => void;
  toggle: (id: string) => void;
}

/** One row of the tree: a WAI-ARIA treeitem with its name, bitmaps, time and problem counts. */
export const TreeItem = memo(function TreeItem({
  row,
  index,
  top,
  selected,
  tabStop,
  folded,
  dirty,
  verdict,
  problems,
  vmChange,
  actions,
}: {
  row: TreeRow;
  index: number;
  top: number;
  selected: boolean;
  tabStop: boolean;
  folded: boolean;
  dirty: boolean;
  verdict: RuleVerdict | undefined;
  problems: readonly Problem[];
  /** How the VM changed here from the parent, if it did. */
  vmChange?: VmChange | undefined;
  actions: RowActions;
}) {
  const { item, level, expandable } = row;
  const { errors, warnings } = errorAndWarningCounts(problems);
  const bitmaps = disksOf(verdict).filter((d) => d.checkpoint === 'bitmap');
  const time = shortTime(verdict?.checkpoint?.creationTime);
  const describedBy = `tree-desc-${item.id}`;
  const description = [item.fileName];
  if (time) description.push(`created ${time} UTC`);
  if (bitmaps.length) description.push(`bitmaps on ${bitmaps.map((d) => d.name).join(', ')}`);
  if (errors) description.push(plural(errors, 'error'));
  if (warnings) description.push(plural(warnings, 'warning'));
  if (dirty) description.push('unexported changes');
  const changed = vmChange && describeVmChange(vmChange, item.label);
  if (changed) description.push(changed);
  return (
    <div
      data-id={item.id}
      role="treeitem"
      aria-label={item.label}
      aria-describedby={describedBy}
      aria-level={level}
      aria-setsize={row.setsize}
      aria-posinset={row.posinset}
      aria-selected={selected}
      aria-expanded={expandable ? !folded : undefined}
      tabIndex={tabStop ? 0 : -1}
      className="tree-item"
      style={{
        transform: `translateY(${top}px)`,
        paddingLeft: 4 + Math.min(level - 1, MAX_INDENT_LEVELS) * INDENT,
      }}
      title={changed ? `${item.fileName}\n${changed}` : item.fileName}
      onClick={() => actions.click(index)}
      onDoubleClick={() => actions.open(index)}
    >
      <span
        className="twisty"
        aria-hidden="true"
        onClick={(e) => {
          if (!expandable) return;
          e.stopPropagation();
          actions.toggle(item.id);
        }}
      >
        {expandable ? (folded ? '▶' : '▼') : ''}
      </span>
      <Name text={item.label} className="label" />
      {dirty && (
        <span className="dirty" aria-hidden="true" title="Unexported changes">
          ●
        </span>
      )}
      {vmChange && <VmChangeMark change={vmChange} checkpoint={item.label} />}
      <span className="bitmaps" aria-hidden="true">
        {bitmaps.map((d) => (
          <span
            key={d.name}
            className="bitmap-chip"
            title={`bitmap ${d.bitmap ?? ''} on ${d.name}`}
          >
            {d.name}
          </span>
        ))}
      </span>
      <span className="time" aria-hidden="true">
        {time}
      </span>
      <span className="badges" aria-hidden="true">
        {errors > 0 && <span className="badge error">{errors}</span>}
        {warnings > 0 && <span className="badge warning">{warnings}</span>}
      </span>
      <span id={describedBy} className="visually-hidden">
        {description.join(', ')}
      </span>
    </div>
  );
});
