import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import type { BitmapCell as ImageCell, CheckpointDisk } from '../../core/index.ts';
import { aboutBytes, describeVmChange } from '../../core/index.ts';
import {
  selectDiskState,
  selectRows,
  selectSelectedId,
  selectVerdicts,
  selectVmChanges,
  useEditor,
} from '../../state/index.ts';
import { VmChangeMark } from '../compare/VmChangeMark.tsx';
import { disksOf } from '../tree/checkpoint-facts.ts';
import { Name } from '../app/Name.tsx';
import './chain.css';

const ROW_HEIGHT = 26;
const rowHeight = () => ROW_HEIGHT;

/**
 * Which bitmap each checkpoint keeps on each disk: checkpoints in tree order (rows) by disks
 * (columns). A cell holds the bitmap's name, `no` (the disk takes no part), or nothing (the disk is
 * not in that checkpoint). Disks are as libvirt holds them after a redefine where the rules pass,
 * else as the file lists them. Only the rows in view are in the page.
 */
export function BitmapMatrix() {
  const items = useEditor(selectRows);
  const verdictsById = useEditor(selectVerdicts);
  const selectedId = useEditor(selectSelectedId);
  const openInEditor = useEditor((s) => s.openInEditor);
  const diskState = useEditor(selectDiskState);
  // With the disk images loaded, each cell says what libvirt's rule finds in them.
  const imageCells = useMemo(() => {
    const cells = new Map<string, ImageCell>();
    const report = diskState?.report;
    for (const row of report ? [...report.rows, ...report.notDefined] : []) {
      for (const cell of row.cells) cells.set(`${row.checkpoint}\u0000${cell.disk}`, cell);
    }
    return cells;
  }, [diskState]);
  const vmChanges = useEditor(selectVmChanges);

  const { disks, byItem } = useMemo(() => {
    const names: string[] = [];
    const seen = new Set<string>();
    const byItem = new Map<string, Map<string, CheckpointDisk>>();
    for (const item of items) {
      const cells = new Map<string, CheckpointDisk>();
      for (const d of disksOf(verdictsById[item.id])) {
        cells.set(d.name, d);
        if (!seen.has(d.name)) {
          seen.add(d.name);
          names.push(d.name);
        }
      }
      byItem.set(item.id, cells);
    }
    return { disks: names, byItem };
  }, [items, verdictsById]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: rowHeight,
    overscan: 12,
    // The header row stays above the rows.
    scrollPaddingStart: ROW_HEIGHT,
  });
  const selectedIndex = useMemo(
    () => items.findIndex((item) => item.id === selectedId),
    [items, selectedId],
  );
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  if (items.length === 0) {
    return <p className="pane-note">Open checkpoint files to see their bitmaps.</p>;
  }
  const rows = virtualizer.getVirtualItems();
  const before = rows[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (rows[rows.length - 1]?.end ?? 0);

  return (
    <div className="matrix-pane">
      <p className="pane-note matrix-legend">
        {diskState
          ? "Each cell: what libvirt’s rule finds of the checkpoint’s bitmap in the disk’s images (ok, missing, gap, disabled, in-use, no image, unknown when the images cannot prove it), with QMP how much changed since; no when the disk takes no part (checkpoint='no'), absent when the checkpoint predates the disk. Choose a checkpoint to open it."
          : 'Each cell: the bitmap libvirt keeps on that disk, no when the disk takes no part, — when the checkpoint does not have the disk. Choose a checkpoint to open it.'}
      </p>
      <div className="matrix-scroll" ref={scrollRef}>
        <table className="matrix" aria-label="Bitmaps" aria-rowcount={items.length + 1}>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">Checkpoint</th>
              {disks.map((d) => (
                <th scope="col" key={d}>
                  <Name text={d} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {before > 0 && (
              <tr aria-hidden="true" className="spacer" style={{ height: before }}>
                <td colSpan={disks.length + 1} />
              </tr>
            )}
            {rows.map((v) => {
              const item = items[v.index];
              if (!item) return null;
              const cells = byItem.get(item.id);
              const current = item.id === selectedId;
              const change = vmChanges[item.id];
              return (
                <tr
                  key={item.id}
                  aria-rowindex={v.index + 2}
                  className={current ? 'current' : undefined}
                >
                  <th scope="row">
                    <button
                      type="button"
                      className="link"
                      title={item.fileName}
                      aria-current={current ? 'true' : undefined}
                      onClick={() => openInEditor(item.id)}
                    >
                      <Name text={item.label} />
                    </button>
                    {change && <VmChangeMark change={change} checkpoint={item.label} />}
                    {change && (
                      <span className="visually-hidden">
                        {describeVmChange(change, item.label)}
                      </span>
                    )}
                  </th>
                  {disks.map((name) => (
                    <BitmapCell
                      key={name}
                      disk={cells?.get(name)}
                      checkpoint={item.label}
                      image={imageCells.get(`${item.label}\u0000${name}`)}
                      starts={change?.newBitmaps.includes(name) === true}
                    />
                  ))}
                </tr>
              );
            })}
            {after > 0 && (
              <tr aria-hidden="true" className="spacer" style={{ height: after }}>
                <td colSpan={disks.length + 1} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function BitmapCell({
  disk,
  checkpoint,
  image,
  starts,
}: {
  disk: CheckpointDisk | undefined;
  checkpoint: string;
  /** What the disk images say of this bitmap, when they are loaded. */
  image: ImageCell | undefined;
  /** The disk has no bitmap in the parent: its bitmaps start here. */
  starts: boolean;
}) {
  if (image) {
    const why = image.reason ? `: ${image.reason}` : '';
    // QMP counts what was written since the checkpoint: about what an incremental from it copies.
    const changed = image.changed === undefined ? '' : ` (≈ ${aboutBytes(image.changed)} changed)`;
    return (
      <td
        className={`image ${image.verdict.replace(' ', '-')}${starts ? ' starts' : ''}`}
        title={`${image.bitmap ?? 'no bitmap'}${why}${changed}`}
      >
        {image.text}
        {changed && <span className="changed">{changed}</span>}
      </td>
    );
  }
  if (!disk) {
    return (
      <td className="absent">
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">absent</span>
      </td>
    );
  }
  if (disk.checkpoint === 'no') return <td className="no">no</td>;
  // The usual bitmap is named after its checkpoint; another name stands out.
  const bitmap = disk.bitmap ?? 'bitmap';
  return (
    <td
      className={`${bitmap === checkpoint ? 'bitmap same' : 'bitmap'}${starts ? ' starts' : ''}`}
      title={starts ? `${bitmap}: the first bitmap on ${disk.name} in this chain` : bitmap}
    >
      {bitmap}
    </td>
  );
}
