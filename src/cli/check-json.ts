import type {
  BitmapCell,
  BitmapRow,
  DiskReadinessState,
  Evidence,
  ImageMatchKind,
  Problem,
  VmReadiness,
} from '../core/index.ts';
import type { VmCheck } from './check-command.ts';
import type { SkippedEntry } from './io.ts';

/**
 * `check --json`: one document for all the VMs checked, described by docs/check.schema.json. The
 * version changes when a field changes meaning or goes away; fields may be added within one.
 */
export const CHECK_JSON_VERSION = 1;

export interface ProblemJson {
  severity: 'error' | 'warning';
  /** A stable code, explained in the page's Help (core's problem-help). */
  code: string;
  message: string;
  file: string | null;
  line: number | null;
  column?: number;
}

export interface CellJson {
  disk: string;
  verdict: BitmapCell['verdict'];
  /** The verdict as `check` prints it (`gap (IMAGE)`, `unknown (WHY)`). */
  text: string;
  bitmap?: string;
  reason?: string;
  unproven?: string;
}

export interface CheckpointJson {
  name: string | null;
  file: string;
  line: number;
  parent: string | null;
  creationTime: string | null;
  /** In libvirt's list of the VM's checkpoints, as far as known (false: only at hand, to redefine). */
  defined: boolean;
  verdicts: CellJson[];
}

export interface DiskJson {
  target: string;
  source: string | null;
  /** The disk's top image as qemu-img or QEMU named it, and where its output was read. */
  image: { filename: string; format: string; file: string; line: number; layers: number } | null;
  match: ImageMatchKind;
  evidence: Evidence | null;
  readiness: {
    state: DiskReadinessState;
    since?: string;
    changed?: number;
    reason?: string;
    line: string;
  };
}

export interface VmJson {
  /** The VM's name (its `<domain>`'s), null when no file names it. */
  name: string | null;
  uuid: string | null;
  /** The host it was collected from (`fleet/HOST/…`), null when not known. */
  host: string | null;
  /** What the page calls it: the name, else its folder. */
  label: string;
  /** How its files were told to be one VM (core's groupByVm). */
  grouping: { key: string; reason: string };
  /** The VM definition its disks were taken from (collect's domain.xml, a vmconfig), if any. */
  definition: string | null;
  running: boolean;
  /** 0: an incremental backup can run and nothing is in error; 1: otherwise. */
  status: 0 | 1;
  readiness: {
    state: VmReadiness['state'];
    since?: string;
    perDisk?: { disk: string; since: string }[];
    reason?: string;
    line: string;
  };
  disks: DiskJson[];
  checkpoints: CheckpointJson[];
  problems: ProblemJson[];
  counts: { checkpoints: number; errors: number; warnings: number };
}

export interface CheckJson {
  version: typeof CHECK_JSON_VERSION;
  /** The exit status: 0 when every VM's status is 0 and nothing was skipped, else 1. */
  status: 0 | 1;
  vms: VmJson[];
  /** `.xml`, `.json` and bundles met that could not be read, and why. */
  skipped: { path: string; reason: string }[];
  /** Other files met in folders and bundles (a backup's data and logs), not read. */
  passedOver: number;
  /** Files passed over as the same name and bytes as one read before in their VM (a folder beside its bundle). */
  repeated: { path: string; sameAs: string }[];
}

function problemJson(p: Problem): ProblemJson {
  return {
    severity: p.severity,
    code: p.code,
    message: p.message,
    file: p.file ?? null,
    line: p.line ?? null,
    ...(p.column !== undefined ? { column: p.column } : {}),
  };
}

function cellJson(c: BitmapCell): CellJson {
  return {
    disk: c.disk,
    verdict: c.verdict,
    text: c.text,
    ...(c.bitmap !== undefined ? { bitmap: c.bitmap } : {}),
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    ...(c.unproven !== undefined ? { unproven: c.unproven } : {}),
  };
}

function checkpointJson(row: BitmapRow, defined: boolean): CheckpointJson {
  const cp = row.entry.checkpoint;
  return {
    name: cp.name ?? null,
    file: row.entry.file,
    line: cp.positions.root?.line ?? 1,
    parent: cp.parent ?? null,
    creationTime: cp.creationTime ?? null,
    defined,
    verdicts: row.cells.map(cellJson),
  };
}

/** One VM's findings as the document holds them. */
export function vmJson(checked: VmCheck): VmJson {
  const { vm, domain, report, readiness } = checked;
  // A virtnbdbackup data file missing from the chain's folder is an error as the lines say it.
  const backups = checked.backups?.problems ?? [];
  const problems = [...checked.refused, ...checked.chain, ...report.problems, ...backups];
  const count = (s: Problem['severity']) => problems.filter((p) => p.severity === s).length;
  const r = readiness.vm;
  return {
    name: domain.name ?? vm.name ?? null,
    uuid: domain.uuid ?? vm.uuid ?? null,
    host: vm.host ?? null,
    label: vm.label,
    grouping: { key: vm.key, reason: vm.reason },
    definition: vm.target?.fileName ?? null,
    running: report.running,
    status: checked.status === 0 ? 0 : 1,
    readiness: {
      state: r.state,
      ...(r.since !== undefined ? { since: r.since } : {}),
      ...(r.perDisk !== undefined ? { perDisk: r.perDisk } : {}),
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      line: r.line,
    },
    disks: report.disks.map((d, i) => {
      const top = d.layers[0];
      const ready = readiness.disks[i];
      return {
        target: d.disk.target,
        source: d.disk.source ?? null,
        image: top
          ? {
              filename: top.filename,
              format: top.format,
              file: top.file,
              line: top.line,
              layers: d.layers.length,
            }
          : null,
        match: d.match,
        evidence: d.evidence ?? null,
        readiness: {
          state: ready?.state ?? 'no image',
          ...(ready?.since !== undefined ? { since: ready.since } : {}),
          ...(ready?.changed !== undefined ? { changed: ready.changed } : {}),
          ...(ready?.reason !== undefined ? { reason: ready.reason } : {}),
          line: ready?.line ?? '',
        },
      };
    }),
    checkpoints: [
      ...report.rows.map((row) => checkpointJson(row, true)),
      ...report.notDefined.map((row) => checkpointJson(row, false)),
    ],
    problems: problems.map(problemJson),
    counts: {
      checkpoints: checked.entries.length,
      errors: count('error'),
      warnings: count('warning'),
    },
  };
}

/** The whole document: every VM, what was skipped, and the exit status. */
export function checkJson(
  checked: readonly VmCheck[],
  skipped: readonly SkippedEntry[],
  passedOver: number,
): CheckJson {
  const vms = checked.map(vmJson);
  const status = vms.every((v) => v.status === 0) && skipped.length === 0 ? 0 : 1;
  return {
    version: CHECK_JSON_VERSION,
    status,
    vms,
    skipped: skipped.map((s) => ({ path: s.path, reason: s.reason })),
    passedOver,
    repeated: checked.flatMap(({ vm }) =>
      vm.repeats.map(({ file, of }) => ({ path: file.fileName, sameAs: of.fileName })),
    ),
  };
}
