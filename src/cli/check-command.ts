import type { ForestEntry, ImageInfo, Problem, TargetDomain } from '../core/index.ts';
import {
  append,
  backupReadiness,
  backupVm,
  backupXml,
  bitmapVerdicts,
  describeProblem,
  EVIDENCE,
  matchImages,
  parseCheckpoint,
  readImageInfo,
  readTargetDomain,
  withFile,
} from '../core/index.ts';
import type { InputFile } from './io.ts';
import type { Output } from './output.ts';
import { writeLines } from './output.ts';

export interface CheckCommandOptions {
  /** The VM is running and its images were read with `qemu-img info -U`. */
  running: boolean;
  /** The VM's current definition (`virsh dumpxml`): its disks and their sources. */
  target?: InputFile;
  /**
   * The checkpoint files that are libvirt's list of the VM's checkpoints (a collected folder's
   * `checkpoints/`, `check --connect`), when known: the others are only at hand.
   */
  listed?: ReadonlySet<string>;
  /** Print the `<domainbackup>` for `virsh backup-begin --backupxml` on stdout, the lines on stderr. */
  backupXml?: boolean;
}

/** qemu-img's and QMP's output are JSON; a checkpoint is XML: told apart by the first character. */
export function isJsonText(text: string): boolean {
  return /^\uFEFF?\s*[[{]/.test(text);
}

/** `FILE:LINE: error: …` or `FILE:LINE: warning: …`, as a compiler says them. */
const line = (p: Problem) => describeProblem({ ...p, message: `${p.severity}: ${p.message}` });

/**
 * Reconciles the checkpoints with the bitmaps in the disk images and prints, one a line: each
 * disk's image, each checkpoint's bitmaps, the problems, then the backup readiness. Exit status 0
 * when every disk that checkpoints keep can take an incremental backup in one backup job and
 * nothing is in error, else 1 (a full backup needed, an error found, or unknown: the evidence
 * cannot prove it).
 */
export async function checkCommand(
  checkpointFiles: readonly InputFile[],
  imageFiles: readonly InputFile[],
  options: CheckCommandOptions,
  output: Output,
): Promise<number> {
  const refused: Problem[] = [];
  const entries: ForestEntry[] = [];
  for (const file of checkpointFiles) {
    if (file.problems?.length) {
      append(refused, file.problems);
      continue;
    }
    const parsed = parseCheckpoint(file.contents);
    if (parsed.ok) entries.push({ file: file.fileName, checkpoint: parsed.value });
    else append(refused, withFile(parsed.problems, file.fileName));
  }
  const images: ImageInfo[] = [];
  for (const file of imageFiles) {
    if (file.problems?.length) {
      append(refused, file.problems);
      continue;
    }
    const read = readImageInfo(file.contents, file.fileName);
    if (read.ok) images.push(read.value);
    else append(refused, read.problems);
  }
  let target: TargetDomain | undefined;
  if (options.target) {
    const read = options.target.problems?.length
      ? { ok: false as const, problems: options.target.problems }
      : readTargetDomain(options.target.contents);
    if (read.ok) target = read.value;
    else append(refused, withFile(read.problems, options.target.fileName));
  }

  const vm = backupVm(entries, target);
  const match = matchImages(vm.disks, images);
  const listed = options.listed;
  const report = bitmapVerdicts(entries, match, {
    running: options.running,
    currentDefinition: target !== undefined,
    ...(listed
      ? {
          defined: new Set(
            entries.filter((e) => listed.has(e.file)).map((e) => e.checkpoint.name ?? ''),
          ),
        }
      : {}),
    ...(vm.name !== undefined ? { vm: vm.name } : {}),
  });
  const readiness = backupReadiness(report);

  const lines: string[] = refused.map(line);
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
  append(append(lines, report.problems.map(line)), readiness.lines);
  const errors = report.problems.some((p) => p.severity === 'error');
  const status = readiness.ready && refused.length === 0 && !errors ? 0 : 1;
  if (!options.backupXml) {
    await writeLines(output, lines);
    return status;
  }
  // The XML alone on stdout, to redirect into the file virsh reads; what check says on stderr.
  output.err(lines.map((l) => `${l}\n`).join(''));
  const xml = backupXml(report, readiness);
  if (xml === undefined) {
    output.err(`error: no <domainbackup>: ${readiness.vm.line}\n`);
    return 1;
  }
  output.out(xml);
  return status;
}
