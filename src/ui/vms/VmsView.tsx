import type { KeyboardEvent } from 'react';
import { useMemo, useRef, useState } from 'react';
import type { VmChain } from '../../state/index.ts';
import { selectVms, useEditor, vmCounts, VM_ROW } from '../../state/index.ts';
import type { BackupState, DiskState } from '../../state/index.ts';
import { Name } from '../app/Name.tsx';
import { Segmented } from '../app/Segmented.tsx';
import { localTime, timeZoneName, useLocalTime, utcTime } from '../app/times.ts';
import { plural } from '../tree/checkpoint-facts.ts';
import { vmReadiness } from './vm-readiness.ts';
import './vms.css';

type VmFilter = 'all' | 'full' | 'errors';
type SortKey = 'label' | 'host' | 'checkpoints' | 'errors' | 'warnings' | 'readiness' | 'newest';

/** The host filter's value for every host. */
const ALL_HOSTS = '';

const FILTERS = [
  { value: 'all', label: 'All' },
  { value: 'full', label: 'Needs a full backup', title: 'A disk whose next backup must be full' },
  { value: 'errors', label: 'Has errors' },
] as const;

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'label', label: 'VM' },
  { key: 'host', label: 'Host' },
  { key: 'checkpoints', label: 'Checkpoints', numeric: true },
  { key: 'errors', label: 'Errors', numeric: true },
  { key: 'warnings', label: 'Warnings', numeric: true },
  { key: 'readiness', label: 'Disks' },
  { key: 'newest', label: 'Newest checkpoint, UTC' },
];

/** One VM as its row shows it. */
interface VmRow {
  vm: VmChain;
  /** Its problems as the Validation panel counts them (its disk images' included). */
  errors: number;
  warnings: number;
  /** Each disk's readiness line, or why it is not known. */
  disks: string[];
  /** A disk needs a full backup; undefined while the images' state is not loaded. */
  full: boolean | undefined;
}

function rowOf(
  vm: VmChain,
  diskStates: Record<string, DiskState | null>,
  backupStates: Record<string, BackupState>,
): VmRow {
  const state = diskStates[vm.key];
  return { vm, ...vmCounts(vm, { diskStates, backupStates }, vm.key), ...vmReadiness(state) };
}

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareRows(a: VmRow, b: VmRow, key: SortKey): number {
  switch (key) {
    case 'label':
      return natural.compare(a.vm.label, b.vm.label);
    case 'host':
      return natural.compare(a.vm.host ?? '', b.vm.host ?? '');
    case 'checkpoints':
      return a.vm.ids.length - b.vm.ids.length;
    case 'errors':
      return a.errors - b.errors;
    case 'warnings':
      return a.warnings - b.warnings;
    case 'readiness':
      return Number(a.full ?? 0.5) - Number(b.full ?? 0.5);
    case 'newest':
      return Number(a.vm.newestTime ?? -1) - Number(b.vm.newestTime ?? -1);
  }
}

/**
 * Every VM open, one row each (issue 21.2): its host (a fleet/ folder's, issue 23), checkpoints,
 * errors, warnings, each disk's backup readiness and its newest checkpoint; sortable by any column,
 * filtered to those needing a full backup or with errors, and by host. One tab stop: arrows move between rows, Home/End, Enter or a click opens
 * the VM (its Chain), as the tree does.
 */
export function VmsView() {
  const vms = useEditor(selectVms);
  const diskStates = useEditor((s) => s.diskStates);
  const backupStates = useEditor((s) => s.backupStates);
  const openInEditor = useEditor((s) => s.openInEditor);
  const [filter, setFilter] = useState<VmFilter>('all');
  const [host, setHost] = useState(ALL_HOSTS);
  // The hosts the VMs were collected from (a fleet/ folder): a Host column, and a filter by host.
  const hosts = useMemo(
    () =>
      [...new Set(vms.flatMap((vm) => (vm.host === undefined ? [] : [vm.host])))].sort(
        natural.compare,
      ),
    [vms],
  );
  const hostShown = host !== ALL_HOSTS && hosts.includes(host) ? host : ALL_HOSTS;
  const columns = hosts.length ? COLUMNS : COLUMNS.filter((c) => c.key !== 'host');
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({
    key: 'label',
    descending: false,
  });
  const [active, setActive] = useState(0);
  const showLocal = useLocalTime();
  const body = useRef<HTMLTableSectionElement>(null);

  const rows = useMemo(() => {
    const all = vms.map((vm) => rowOf(vm, diskStates, backupStates));
    const shown = all.filter(
      (r) =>
        (hostShown === ALL_HOSTS || r.vm.host === hostShown) &&
        (filter === 'full' ? r.full === true : filter === 'errors' ? r.errors > 0 : true),
    );
    const sign = sort.descending ? -1 : 1;
    return shown.sort(
      (a, b) => sign * compareRows(a, b, sort.key) || natural.compare(a.vm.label, b.vm.label),
    );
  }, [vms, diskStates, backupStates, filter, hostShown, sort]);
  const activeIndex = Math.min(active, Math.max(0, rows.length - 1));

  const open = (row: VmRow | undefined) => {
    if (row) openInEditor(VM_ROW + row.vm.key);
  };
  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, index));
    setActive(next);
    body.current?.querySelectorAll<HTMLElement>('tr')[next]?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      Home: 0,
      End: rows.length - 1,
      PageDown: activeIndex + 10,
      PageUp: activeIndex - 10,
    };
    if (e.key in moves) moveTo(moves[e.key] as number);
    else if (e.key === 'Enter' || e.key === ' ') open(rows[activeIndex]);
    else return;
    e.preventDefault();
  };

  return (
    <div className="vms-view">
      <div className="vms-toolbar">
        <h3 id="vms-title">VMs</h3>
        <span className="vms-count" role="status">
          {rows.length === vms.length
            ? plural(vms.length, 'VM')
            : `${rows.length.toLocaleString('en')} of ${plural(vms.length, 'VM')}`}
        </span>
        <Segmented
          legend="Show"
          name="vms-filter"
          options={FILTERS}
          value={filter}
          onChange={(v) => setFilter(v)}
        />
        {hosts.length > 0 && (
          <label className="vms-host-filter">
            Host{' '}
            <select value={hostShown} onChange={(e) => setHost(e.target.value)}>
              <option value={ALL_HOSTS}>All hosts</option>
              {hosts.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div className="vms-scroll">
        <table className="vms-table" aria-labelledby="vms-title">
          <thead>
            <tr>
              {columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  className={c.numeric ? 'numeric' : undefined}
                  aria-sort={
                    sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : undefined
                  }
                >
                  <button
                    type="button"
                    className="sort"
                    onClick={() =>
                      setSort({
                        key: c.key,
                        descending: sort.key === c.key ? !sort.descending : !!c.numeric,
                      })
                    }
                  >
                    {c.key === 'newest' && showLocal ? `${c.label} · ${timeZoneName()}` : c.label}
                    <span aria-hidden="true">
                      {sort.key === c.key ? (sort.descending ? ' ▾' : ' ▴') : ''}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody ref={body} onKeyDown={onKeyDown}>
            {rows.map((r, i) => (
              <tr
                key={r.vm.key}
                tabIndex={i === activeIndex ? 0 : -1}
                aria-label={`VM ${r.vm.label}`}
                className={r.errors > 0 ? 'has-errors' : undefined}
                onClick={() => {
                  setActive(i);
                  open(r);
                }}
                onFocus={() => setActive(i)}
                title={`Open the chain of ${r.vm.label}`}
              >
                <th scope="row">
                  <Name text={r.vm.label} />
                </th>
                {hosts.length > 0 && <td>{r.vm.host ?? '—'}</td>}
                <td className="numeric">{r.vm.ids.length.toLocaleString('en')}</td>
                <td className="numeric">
                  {r.errors > 0 ? (
                    <span className="badge error">{r.errors.toLocaleString('en')}</span>
                  ) : (
                    0
                  )}
                </td>
                <td className="numeric">
                  {r.warnings > 0 ? (
                    <span className="badge warning">{r.warnings.toLocaleString('en')}</span>
                  ) : (
                    0
                  )}
                </td>
                <td className={r.full ? 'disks full' : 'disks'}>
                  {r.disks.map((line) => (
                    <div key={line}>{line}</div>
                  ))}
                </td>
                <td className="time">
                  {utcTime(r.vm.newestTime) || '—'}
                  {showLocal && r.vm.newestTime !== undefined && (
                    <div className="local-time">{localTime(r.vm.newestTime)}</div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <p className="empty-state">No VM matches.</p>}
      </div>
    </div>
  );
}
