import type { Problem } from '../../core/index.ts';
import type { DiskRow, DocumentCheck } from '../../state/index.ts';
import { diskRows, setDiskBitmap, setDiskCheckpoint, useEditor } from '../../state/index.ts';
import { ProblemList } from '../validation/ProblemList.tsx';
import { Name } from '../app/Name.tsx';
import { DraftInput } from './DraftField.tsx';

/**
 * The checkpoint's disks aligned with the domain's, as libvirt aligns them on redefine. A disk the
 * file does not list shows libvirt's default in italics; editing it adds it to <disks>.
 */
export function DisksTable({
  id,
  check,
  problems,
}: {
  id: string;
  check: DocumentCheck;
  problems: Problem[];
}) {
  const edit = useEditor((s) => s.editCheckpoint);
  const rows = diskRows(check);
  return (
    <section className="card" aria-labelledby="disks-title">
      <h3 id="disks-title">Disks</h3>
      {rows.length === 0 ? (
        <p className="note" style={{ margin: 0 }}>
          No disks: {check.checkpoint?.domain ? 'the domain has none.' : 'the file lists none.'}
        </p>
      ) : (
        <table className="disks" aria-labelledby="disks-title">
          <colgroup>
            <col className="disk" />
            <col />
            <col className="checkpoint" />
            <col className="bitmap" />
            <col className="size" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Disk</th>
              <th scope="col">Source</th>
              <th scope="col">Checkpoint</th>
              <th scope="col">Bitmap</th>
              <th scope="col">Size</th>
            </tr>
          </thead>
          <tbody>
            {rows.flatMap((row) => {
              const rowProblems = problems.filter(
                (p) => p.line !== undefined && row.lines.includes(p.line),
              );
              const cells = (
                <tr key={row.name} className={rowProblems.length ? 'has-problems' : undefined}>
                  <DiskCells
                    owner={`${id}\n${row.name}`}
                    row={row}
                    onCheckpoint={(value) => edit(id, setDiskCheckpoint(row.name, value))}
                    onBitmap={(value) => edit(id, setDiskBitmap(row.name, value))}
                  />
                </tr>
              );
              if (rowProblems.length === 0) return [cells];
              return [
                cells,
                <tr key={`${row.name}-problems`}>
                  <td colSpan={5} className="row-problems">
                    <ProblemList problems={rowProblems} />
                  </td>
                </tr>,
              ];
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function DiskCells({
  owner,
  row,
  onCheckpoint,
  onBitmap,
}: {
  /** The document and disk the bitmap field's draft belongs to. */
  owner: string;
  row: DiskRow;
  onCheckpoint: (value: 'bitmap' | 'no') => void;
  onBitmap: (value: string) => void;
}) {
  const d = row.domainDisk;
  const checkpoint = row.listed?.checkpoint ?? row.aligned?.checkpoint ?? 'bitmap';
  // A value the file holds that libvirt's schema refuses is shown as it is, flagged.
  const unknown = row.listed?.checkpointAsWritten;
  const bitmapDefault = row.aligned?.bitmap;
  const size = row.listed?.size ?? row.aligned?.size;
  return (
    <>
      <td className="disk-name">
        <Name text={row.name} />
        {d && (
          <div className="tags">
            {d.device !== 'disk' && <span className="tag">{d.device}</span>}
            {d.driverType && <span className="tag">{d.driverType}</span>}
            {d.readonly && <span className="tag">readonly</span>}
            {d.empty && <span className="tag">empty</span>}
          </div>
        )}
      </td>
      <td title={d?.source}>
        {d ? (
          d.source ? (
            <>
              <div className="source">{baseName(d.source)}</div>
              <div className="source-dir">
                <bdi>{d.source.slice(0, d.source.length - baseName(d.source).length)}</bdi>
              </div>
            </>
          ) : (
            <span className="default-value">{d.empty ? 'no source' : `${d.type} disk`}</span>
          )
        ) : (
          <span className="default-value">
            {row.aligned || row.lines.length === 0 ? 'no domain disk' : 'not in the domain'}
          </span>
        )}
      </td>
      <td>
        <select
          aria-label={`Checkpoint for ${row.name}`}
          value={unknown ?? checkpoint}
          aria-invalid={unknown !== undefined}
          onChange={(e) => onCheckpoint(e.target.value === 'no' ? 'no' : 'bitmap')}
        >
          {unknown !== undefined && (
            <option value={unknown} disabled>
              {unknown} (not valid)
            </option>
          )}
          <option value="bitmap">bitmap{row.listed ? '' : ' (default)'}</option>
          <option value="no">no{row.listed ? '' : ' (default)'}</option>
        </select>
      </td>
      <td>
        {checkpoint === 'bitmap' || row.listed?.bitmap !== undefined ? (
          <DraftInput
            type="text"
            aria-label={`Bitmap for ${row.name}`}
            value={row.listed?.bitmap ?? ''}
            placeholder={bitmapDefault ?? 'checkpoint name'}
            spellCheck={false}
            owner={owner}
            onWrite={onBitmap}
          />
        ) : (
          <span className="default-value">none</span>
        )}
      </td>
      <td>
        {size === undefined ? <span className="default-value">—</span> : formatBytes(Number(size))}
      </td>
    </>
  );
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
