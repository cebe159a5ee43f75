import type {
  BackupFolder,
  BackupReadiness,
  BitmapReport,
  ForestEntry,
  ImageInfo,
  Problem,
  TargetDomain,
} from '../core/index.ts';
import {
  append,
  backupReadiness,
  backupVm,
  backupJob,
  bitmapVerdicts,
  buildForest,
  describeProblem,
  EVIDENCE,
  hasBackupData,
  mapBackups,
  matchImages,
  parseCheckpoint,
  readImageInfo,
  readTargetDomain,
  repairScript,
  withFile,
} from '../core/index.ts';
import { UsageError } from './errors.ts';
import { checkJson } from './check-json.ts';
import { prometheusText } from './check-prometheus.ts';
import type { InputFile, SkippedEntry } from './io.ts';
import type { Output } from './output.ts';
import { writeLines } from './output.ts';
import type { VmInputs } from './vm-inputs.ts';
import { vmHeading } from './vm-inputs.ts';

export interface CheckCommandOptions {
  /** The VM is running and its images were read with `qemu-img info -U`. */
  running: boolean;
  /** Print the `<domainbackup>` for `virsh backup-begin --backupxml` on stdout, the lines on stderr. */
  backupXml?: boolean;
  /** Lines (the default), the `--json` document, or its `--prometheus` metrics. */
  format?: 'text' | 'json' | 'prometheus';
  /** What the walk skipped, for the document: entries it could not read, and how many it passed over. */
  gathered?: { skipped: readonly SkippedEntry[]; passedOver: number };
  /** Print the repair script on stdout (run it with `sh`: a dry run unless `--apply`), the lines on stderr. */
  repairScript?: boolean;
}

/** What `check` found for one VM: the text, the JSON and the metrics are each a view of it. */
export interface VmCheck {
  vm: VmInputs;
  /** The VM's definition as read: the target's, else the newest checkpoint's `<domain>`. */
  domain: TargetDomain;
  /** Files that could not be read as what they are (a checkpoint, an image's JSON, the target). */
  refused: Problem[];
  /** What libvirt refuses in the chain (a parent missing, a name twice, a cycle) and its warnings. */
  chain: Problem[];
  entries: ForestEntry[];
  /** The virtnbdbackup data files beside the checkpoints, mapped to them: when there are any. */
  backups?: BackupFolder;
  report: BitmapReport;
  readiness: BackupReadiness;
  /** 0 every disk that checkpoints keep can take an incremental backup and nothing is in error; 1 otherwise. */
  status: number;
}

function readImages(files: readonly InputFile[], refused: Problem[]): ImageInfo[] {
  const images: ImageInfo[] = [];
  for (const file of files) {
    if (file.problems?.length) {
      append(refused, file.problems);
      continue;
    }
    const read = readImageInfo(file.contents, file.fileName);
    if (read.ok) images.push(read.value);
    else append(refused, read.problems);
  }
  return images;
}

function readTarget(file: InputFile | undefined, refused: Problem[]): TargetDomain | undefined {
  if (!file) return undefined;
  const read = file.problems?.length
    ? { ok: false as const, problems: file.problems }
    : readTargetDomain(file.contents);
  if (read.ok) return read.value;
  append(refused, withFile(read.problems, file.fileName));
  return undefined;
}

/**
 * Reconciles one VM's checkpoints with the bitmaps in its disk images (libvirt's rule,
 * `qemuBlockBitmapChainIsValid`) and says what its next backup can be.
 */
export function checkVm(vm: VmInputs, options: CheckCommandOptions): VmCheck {
  const refused: Problem[] = [];
  const entries: ForestEntry[] = [];
  for (const file of vm.checkpoints) {
    if (file.problems?.length) {
      append(refused, file.problems);
      continue;
    }
    const parsed = parseCheckpoint(file.contents);
    if (parsed.ok) entries.push({ file: file.fileName, checkpoint: parsed.value });
    else append(refused, withFile(parsed.problems, file.fileName));
  }
  const images = readImages(vm.images, refused);
  const targetDomain = readTarget(vm.target, refused);
  const domain = backupVm(entries, targetDomain);
  const match = matchImages(domain.disks, images);
  const listed = vm.listed;
  const report = bitmapVerdicts(entries, match, {
    running: options.running,
    currentDefinition: targetDomain !== undefined,
    ...(listed
      ? {
          defined: new Set(
            entries.filter((e) => listed.has(e.file)).map((e) => e.checkpoint.name ?? ''),
          ),
        }
      : {}),
    ...(domain.name !== undefined ? { vm: domain.name } : {}),
  });
  const readiness = backupReadiness(report);
  const chain = buildForest(entries).problems;
  const backups = backupsOf(vm, entries);
  const errors = [...chain, ...report.problems, ...(backups?.problems ?? [])].some(
    (p) => p.severity === 'error',
  );
  const status = readiness.ready && refused.length === 0 && !errors ? 0 : 1;
  return {
    vm,
    domain,
    refused,
    chain,
    entries,
    ...(backups ? { backups } : {}),
    report,
    readiness,
    status,
  };
}

/** The VM's backup data mapped to its checkpoints, when virtnbdbackup data files are among its files. */
export function backupsOf(vm: VmInputs, entries: ForestEntry[]): BackupFolder | undefined {
  if (!hasBackupData(vm.backups)) return undefined;
  return mapBackups(vm.backups, entries, vm.backupHeaders);
}

/** Each checkpoint's backup, a line: `FILE:LINE: NAME: backup full: vda vda.full.data, vdb missing`. */
export function backupLines(folder: BackupFolder, entries: readonly ForestEntry[]): string[] {
  const lineOf = new Map(entries.map((e) => [e.file, e.checkpoint.positions.root?.line ?? 1]));
  const lines = folder.checkpoints.map((c) => {
    const disks = c.disks.map((d) => `${d.disk} ${backupCell(d)}`).join(', ');
    return `${c.file}:${lineOf.get(c.file) ?? 1}: ${c.checkpoint}: backup ${c.level}: ${disks || 'no disk'}`;
  });
  for (const f of folder.others)
    lines.push(
      `${f.path}: ${f.disk}: ${f.level} backup${f.partial ? ' (partial)' : ''}, no checkpoint of its own`,
    );
  const infos = folder.notes.filter((n) => n.kind === 'image-config').length;
  if (infos > 0)
    lines.push(
      `note: ${infos} qemu-img info ${infos === 1 ? 'file' : 'files'} of virtnbdbackup (DISK.CHECKPOINT.qcow.json) not read as the disks' images: taken at backup time with --force-share, they show no bitmaps of a running VM`,
    );
  return lines;
}

/**
 * A disk's data file as a word: its name (`(lz4)` when its header says compressed), `partial NAME`,
 * `missing NAME`, `other data in NAME`; `(chain broken before it)` after a gap.
 */
function backupCell(d: BackupFolder['checkpoints'][number]['disks'][number]): string {
  const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  if (d.state === 'missing') return `missing ${d.expected}`;
  if (d.state === 'partial') return `partial ${name(d.file ?? '')}`;
  if (d.state === 'wrong') return `other data in ${name(d.file ?? '')}`;
  const lz4 = d.header?.compressed ? ' (lz4)' : '';
  return `${name(d.file ?? '')}${lz4}${d.restorable ? '' : ' (chain broken before it)'}`;
}

/** `FILE:LINE: error: …` or `FILE:LINE: warning: …`, as a compiler says them. */
const line = (p: Problem) => describeProblem({ ...p, message: `${p.severity}: ${p.message}` });

/**
 * One VM's lines: each disk's image, each checkpoint's bitmaps, the problems, then the backup
 * readiness.
 */
export function checkLines(checked: VmCheck): string[] {
  const { report, readiness } = checked;
  const lines: string[] = checked.refused.map(line);
  for (const d of report.disks) {
    const top = d.layers[0];
    const disk = d.disk.target;
    if (!top) {
      lines.push(`${disk}: no image${d.disk.source === undefined ? '' : ` for ${d.disk.source}`}`);
      continue;
    }
    const chain = d.layers.length > 1 ? ` and ${d.layers.length - 1} below` : '';
    lines.push(
      `${top.file}:${top.line}: ${disk}: image ${top.filename}${chain}, matched by ${d.match}; evidence: ${EVIDENCE[d.evidence ?? 'qemu-img']}`,
    );
  }
  for (const row of [...report.rows, ...report.notDefined]) {
    const root = row.entry.checkpoint.positions.root;
    const cells = row.cells.map((c) => `${c.disk} ${c.text}`).join(', ');
    lines.push(`${row.entry.file}:${root?.line ?? 1}: ${row.checkpoint}: ${cells}`);
  }
  if (checked.backups) append(lines, backupLines(checked.backups, checked.entries));
  append(
    append(append(lines, checked.chain.map(line)), report.problems.map(line)),
    (checked.backups?.problems ?? []).map(line),
  );
  append(lines, onHost(readiness, checked.vm.host));
  return lines;
}

/**
 * The readiness lines, the VM's own (after the disks') naming its host when known, as a VM of a
 * fleet is named: `web01 on kvm7: incremental since bk.2`, greppable across hosts.
 */
function onHost(readiness: BackupReadiness, host: string | undefined): string[] {
  const { name } = readiness.vm;
  if (host === undefined) return readiness.lines;
  return readiness.lines.map((l, i) =>
    i >= readiness.disks.length && l.startsWith(`${name}: `)
      ? `${name} on ${host}: ${l.slice(name.length + 2)}`
      : l,
  );
}

/**
 * Checks each VM and prints its lines (headed by its name when there are several). Exit status 0
 * when every VM can take an incremental backup in one backup job and nothing is in error, else 1
 * (a full backup needed, an error found, or unknown: the evidence cannot prove it). With
 * `backupXml`, one VM's `<domainbackup>` alone on stdout, to redirect into the file virsh reads;
 * with `repairScript`, its repair script.
 */
export async function checkCommand(
  vms: readonly VmInputs[],
  options: CheckCommandOptions,
  output: Output,
): Promise<number> {
  if (options.backupXml || options.repairScript) {
    const flag = options.backupXml ? '--backup-xml' : '--repair-script';
    const [vm] = vms;
    if (!vm || vms.length > 1)
      throw new UsageError(`${flag} takes one VM's files; these are ${vms.length} VMs'`);
    const checked = checkVm(vm, options);
    output.err(
      checkLines(checked)
        .map((l) => `${l}\n`)
        .join(''),
    );
    if (options.repairScript) {
      const { name, uuid } = checked.domain;
      output.out(
        repairScript(checked.report, {
          ...(name !== undefined ? { domain: name } : {}),
          ...(uuid !== undefined ? { uuid } : {}),
        }),
      );
      return checked.status;
    }
    const job = backupJob(checked.report, checked.readiness, {
      now: Math.floor(Date.now() / 1000),
    });
    if (job === undefined) {
      output.err(`error: no <domainbackup>: ${checked.readiness.vm.line}\n`);
      return 1;
    }
    for (const l of job.leftOut) output.err(`warning: ${l}\n`);
    output.out(job.xml);
    return checked.status;
  }
  if (options.format === 'json' || options.format === 'prometheus') {
    const { skipped = [], passedOver = 0 } = options.gathered ?? {};
    const doc = checkJson(
      vms.map((vm) => checkVm(vm, options)),
      skipped,
      passedOver,
    );
    output.out(
      options.format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : prometheusText(doc),
    );
    return doc.status;
  }
  let status = 0;
  for (const [i, vm] of vms.entries()) {
    const checked = checkVm(vm, options);
    status = Math.max(status, checked.status);
    const lines = checkLines(checked);
    await writeLines(
      output,
      vms.length > 1 ? [...(i ? [''] : []), vmHeading(vm), ...lines] : lines,
    );
  }
  return status;
}
