import { useMemo, useState } from 'react';
import { selectRows, selectVmChanges, useEditor } from '../../state/index.ts';
import { Name } from '../app/Name.tsx';

/** Listed at first; the rest on request. */
const SHOWN = 100;

/**
 * The Chain tab's card of the checkpoints at which the VM changed from their parent (a disk added,
 * moved, removed; memory, vCPUs, machine type), in tree order, and the disks whose bitmaps start
 * there: an incremental backup of such a disk since an older checkpoint is impossible.
 */
export function ChainChanges() {
  const rows = useEditor(selectRows);
  const vmChanges = useEditor(selectVmChanges);
  const openCompare = useEditor((s) => s.openCompare);
  const [all, setAll] = useState(false);
  const changed = useMemo(
    () =>
      rows.flatMap((row) => {
        const change = vmChanges[row.id];
        return change ? [{ row, change }] : [];
      }),
    [rows, vmChanges],
  );
  const shown = all ? changed : changed.slice(0, SHOWN);
  return (
    <section className="card vm-changes" aria-labelledby="vm-changes-title">
      <h3 id="vm-changes-title">
        VM changes along the chain{' '}
        <span className="counts">{changed.length.toLocaleString('en')}</span>
      </h3>
      {changed.length === 0 ? (
        <p className="note">
          {rows.length === 0
            ? 'Open checkpoint files to see how the VM changed between them.'
            : 'None: at every checkpoint the VM has the disks and definition of its parent.'}
        </p>
      ) : (
        <ul aria-labelledby="vm-changes-title">
          {shown.map(({ row, change }) => (
            <li key={row.id}>
              <div className="vm-change-head">
                <Name text={row.label} className="checkpoint-name" />
                <span className="since">
                  since <Name text={change.parent} />
                </span>
                <button
                  type="button"
                  className="button small"
                  aria-label={`Compare ${row.label} with ${change.parent}`}
                  onClick={() => openCompare(row.id)}
                >
                  Compare
                </button>
              </div>
              {change.changes.length > 0 && <p className="what">{change.changes.join(', ')}</p>}
              {change.newBitmaps.map((disk) => (
                <p key={disk} className="bitmap-note">
                  <code>{disk}</code> has no bitmap before <bdi>{row.label}</bdi>: an incremental
                  backup of <code>{disk}</code> since <bdi>{change.parent}</bdi> or an older
                  checkpoint is impossible.
                </p>
              ))}
            </li>
          ))}
        </ul>
      )}
      {!all && changed.length > SHOWN && (
        <button type="button" className="button small" onClick={() => setAll(true)}>
          Show all {changed.length.toLocaleString('en')}
        </button>
      )}
    </section>
  );
}
