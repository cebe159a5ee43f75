import type { MouseEvent } from 'react';
import { memo, useId } from 'react';
import type { RuleVerdict, VmChange } from '../../core/index.ts';
import { describeVmChange } from '../../core/index.ts';
import { Name } from '../app/Name.tsx';
import { VmChangeMark } from '../compare/VmChangeMark.tsx';
import { localTime as localTimeOf, timeInWords, utcTime } from '../app/times.ts';
import { disksOf, plural } from './checkpoint-facts.ts';
import type { RowGraph, TreeRow } from './tree-rows.ts';
import type { VmReadiness } from '../vms/vm-readiness.ts';
import { readinessWord } from '../vms/vm-readiness.ts';

/** The height of every row: the virtualiser places rows by it. */
export const ROW_HEIGHT = 26;
/** The width of a lane of the graph. */
const LANE = 12;
/** Lanes drawn at most: forks nested deeper stay in the last one, their depth in aria-level. */
const MAX_LANES = 10;

/** What a VM's row shows. */
export interface VmRowFacts {
  checkpoints: number;
  errors: number;
  warnings: number;
  /** How its files were told to be this VM's. */
  reason: string;
  /** Its backup readiness: each disk's line, and whether one needs a full backup. */
  readiness: VmReadiness;
}

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
  fileErrors,
  fileWarnings,
  vmChange,
  vm,
  localTime,
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
  /** The file's problems as every list counts them (`selectFileCounts`). */
  fileErrors: number;
  fileWarnings: number;
  /** How the VM changed here from the parent, if it did. */
  vmChange?: VmChange | undefined;
  /** A VM's row (several VMs open): its checkpoints and their problems. */
  vm?: VmRowFacts | undefined;
  /** The local time shown under UTC (the operator's choice). */
  localTime: boolean;
  actions: RowActions;
}) {
  const { item, level, expandable } = row;
  const { errors, warnings } = vm ?? { errors: fileErrors, warnings: fileWarnings };
  const bitmaps = disksOf(verdict).filter((d) => d.checkpoint === 'bitmap');
  const created = verdict?.checkpoint?.creationTime;
  const time = utcTime(created);
  const local = localTime ? localTimeOf(created) : '';
  const timeWords = timeInWords(created, localTime);
  // Not built from item.id: a path or a VM's folder may hold a space, and aria-describedby is a
  // space-separated list of ids.
  const describedBy = useId();
  const description = vm
    ? [`VM, ${plural(vm.checkpoints, 'checkpoint')}`, `backup: ${vm.readiness.disks.join('; ')}`]
    : [item.fileName];
  if (item.duplicate) description.push('not redefined: another file defines this checkpoint');
  if (time) description.push(`created ${timeWords}`);
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
      aria-label={item.duplicate ? `${item.label} (${item.fileName})` : item.label}
      aria-describedby={describedBy}
      aria-level={level}
      aria-setsize={row.setsize}
      aria-posinset={row.posinset}
      aria-selected={selected}
      aria-expanded={expandable ? !folded : undefined}
      tabIndex={tabStop ? 0 : -1}
      className={vm ? 'tree-item vm-row' : 'tree-item'}
      style={{ transform: `translateY(${top}px)` }}
      title={vm ? vm.reason : changed ? `${item.fileName}\n${changed}` : item.fileName}
      onClick={() => actions.click(index)}
      onDoubleClick={() => actions.open(index)}
    >
      <Graph
        row={row}
        folded={folded}
        onToggle={
          expandable
            ? (e) => {
                e.stopPropagation();
                actions.toggle(item.id);
              }
            : undefined
        }
      />
      <Name text={item.label} className="label" />
      {vm && (
        <span className="vm-count" aria-hidden="true">
          {plural(vm.checkpoints, 'checkpoint')}
        </span>
      )}
      {vm && (
        <span
          className={`vm-readiness${vm.readiness.full ? ' full' : ''}`}
          aria-hidden="true"
          title={vm.readiness.disks.join('\n')}
        >
          {readinessWord(vm.readiness)}
        </span>
      )}
      {item.duplicate && <Name text={item.fileName} className="duplicate-file" />}
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
      <span
        className={local ? 'time with-local' : 'time'}
        aria-hidden="true"
        title={time ? timeWords : undefined}
      >
        {time}
        {local && <span className="local-time">{local}</span>}
      </span>
      <span className="badges" aria-hidden="true">
        {errors > 0 && (
          <span className="badge error" title={plural(errors, 'error')}>
            {errors}
          </span>
        )}
        {warnings > 0 && (
          <span className="badge warning" title={plural(warnings, 'warning')}>
            {warnings}
          </span>
        )}
      </span>
      <span id={describedBy} className="visually-hidden">
        {description.join(', ')}
      </span>
    </div>
  );
});

const x = (lane: number) => Math.min(lane, MAX_LANES) * LANE + LANE / 2;
const MID = ROW_HEIGHT / 2;

/**
 * The row's part of the graph, as `git log --graph` draws a history: its node in its lane, the line
 * from its parent and on to its children, a branch where a fork parts, and the lines of forks above
 * passing by. The node folds and unfolds what the row holds.
 */
function Graph({
  row,
  folded,
  onToggle,
}: {
  row: TreeRow;
  folded: boolean;
  onToggle: ((e: MouseEvent<SVGSVGElement>) => void) | undefined;
}) {
  const g: RowGraph = row.graph ?? { up: false, down: false, through: [] };
  const lane = Math.min(row.lane, MAX_LANES);
  const width = (lane + 1) * LANE;
  const cx = x(lane);
  return (
    <svg
      className={onToggle ? 'graph foldable' : 'graph'}
      width={width}
      height={ROW_HEIGHT}
      viewBox={`0 0 ${width} ${ROW_HEIGHT}`}
      aria-hidden="true"
      onClick={onToggle}
    >
      {g.through.map((l) =>
        l < MAX_LANES ? <line key={l} x1={x(l)} x2={x(l)} y1={0} y2={ROW_HEIGHT} /> : null,
      )}
      {g.branch && g.branch.lane < lane && (
        <path
          d={`M${x(g.branch.lane)} 0 V${g.branch.kind === 'tee' ? ROW_HEIGHT : MID - 4} ${
            g.branch.kind === 'tee' ? `M${x(g.branch.lane)} ${MID - 4}` : ''
          } Q${x(g.branch.lane)} ${MID} ${x(g.branch.lane) + 4} ${MID} H${cx}`}
        />
      )}
      {g.up && <line x1={cx} x2={cx} y1={0} y2={MID} />}
      {(g.down || folded) && (
        <line
          x1={cx}
          x2={cx}
          y1={MID}
          y2={ROW_HEIGHT}
          className={folded ? 'folded-line' : undefined}
        />
      )}
      {folded ? (
        <g className="node folded">
          <circle cx={cx} cy={MID} r={5} />
          <path d={`M${cx - 3} ${MID} H${cx + 3} M${cx} ${MID - 3} V${MID + 3}`} />
        </g>
      ) : (
        <circle className={row.expandable ? 'node' : 'node leaf'} cx={cx} cy={MID} r={3.5} />
      )}
    </svg>
  );
}
