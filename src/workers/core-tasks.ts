// Core's work over many files, the same in a worker and, where there is none, on the page itself.
import type { Zippable } from 'fflate';
import { strToU8, zipSync } from 'fflate';
import type {
  BytesFile,
  Checkpoint,
  CheckpointFieldEdit,
  DomainDisk,
  DomainReuse,
  FormatOptions,
  PackedImageInfo,
  PackedScriptReport,
  Problem,
  ReadOutcome,
  RepairScriptOptions,
  Result,
  ScriptExcerpt,
  RuleSet,
  RuleVerdict,
  XmlElement,
} from '../core/index.ts';
import {
  checkCheckpoint,
  compareNatural,
  checkRules,
  editCheckpointText,
  formatChanges,
  formatCheckpoint,
  summarizeChanges,
  openFile,
  packImageInfo,
  parseCheckpoint,
  readDomainDisks,
  readImageInfo,
  repairScript,
  scriptExcerpt,
  unpackScriptReport,
  withFile,
} from '../core/index.ts';

export interface TextFile {
  fileName: string;
  text: string;
}

/** A file formatted as virsh prints it with what that changed, or what kept it from being read. */
export type FormatOutcome =
  { fileName: string; text: string; changes: string[] } | { fileName: string; problems: Problem[] };

/** A zip entry: a text (libvirt's format), or bytes (a file as it is). */
export interface ZipEntry {
  fileName: string;
  text?: string;
  bytes?: Uint8Array;
  /** A script: unpacked with its execute bits (rwxr-xr-x) where the system keeps them. */
  executable?: boolean;
}

/**
 * What the editor shows of a file too large to read on the page: the checkpoint, libvirt's
 * redefine result, the domain's disks and the problems, with each <domain> cut to its name and
 * uuid (the rest can be megabytes the page would only copy), and what libvirt's format changes.
 */
export interface InspectOutcome {
  checkpoint?: Checkpoint;
  redefined?: Checkpoint;
  domainDisks: DomainDisk[];
  problems: Problem[];
  /** What libvirt's format changes in it, under the export options asked for (summarizeChanges). */
  formatChanges: string[];
}

/** A large file read in a worker: what the editor shows of it, and libvirt's verdict on it. */
export interface Inspected {
  inspection: InspectOutcome;
  verdict: RuleVerdict;
}

/**
 * Form edits applied to a file's text (only the fields change), read again at once (so its
 * megabytes cross to the page once), or why it could not be read.
 */
export type EditOutcome = ({ text: string } & Inspected) | { problems: Problem[] };

export type CoreTask =
  | { kind: 'open'; files: BytesFile[]; rules: RuleSet }
  | { kind: 'check'; files: TextFile[]; rules: RuleSet }
  | { kind: 'format'; files: TextFile[]; options: FormatOptions }
  | { kind: 'zip'; files: ZipEntry[] }
  // A bundle's paths in natural order (compareNatural): 200,000 take the page half a second.
  // The paths joined by NUL, which no path holds: one text, its clone a copy (200,000 strings
  // as an array took the page 100-170 ms to send at load).
  | { kind: 'sort-paths'; paths: string }
  // 200,000 stray bitmaps make a 142 MB script: seconds of work the page would stand still for.
  | {
      kind: 'repair-script';
      report: PackedScriptReport;
      options: RepairScriptOptions;
      lines: number;
    }
  // qemu-img info or QMP output: a file may hold 200,000 bitmaps, seconds of reading; answered
  // packed (unpackImageInfo), as objects they took the page 100-200 ms to take in.
  | { kind: 'images'; files: TextFile[] }
  | { kind: 'inspect'; files: TextFile[]; rules: RuleSet; options: FormatOptions }
  | {
      kind: 'edit';
      files: TextFile[];
      edits: CheckpointFieldEdit[];
      rules: RuleSet;
      options: FormatOptions;
    };

export interface CoreTaskResult {
  open: ReadOutcome[];
  check: RuleVerdict[];
  format: FormatOutcome[];
  zip: Uint8Array;
  /** The paths' indexes, in their natural order. */
  'sort-paths': Uint32Array;
  /**
   * The script as a Blob (its UTF-8 bytes: the page passes it to the download and the clipboard
   * without copying 142 MB on its thread) and what the page shows of it.
   */
  'repair-script': { script: Blob; excerpt: ScriptExcerpt };
  images: Result<PackedImageInfo>[];
  inspect: Inspected[];
  edit: EditOutcome[];
}

function formatOne(f: TextFile, options: FormatOptions, domains?: DomainReuse): FormatOutcome {
  const parsed = parseCheckpoint(f.text, domains);
  if (!parsed.ok) return { fileName: f.fileName, problems: withFile(parsed.problems, f.fileName) };
  return {
    fileName: f.fileName,
    text: formatCheckpoint(parsed.value, options, domains),
    changes: summarizeChanges(formatChanges(f.text, options)),
  };
}

/** A <domain> with only what the editor's summary reads of it: its name and its uuid. */
function domainSummary(domain: XmlElement | undefined): XmlElement | undefined {
  if (!domain) return undefined;
  const children = domain.children.filter(
    (c) => c.kind === 'element' && (c.name === 'name' || c.name === 'uuid'),
  );
  return { ...domain, children };
}

function summarised(checkpoint: Checkpoint | undefined): Checkpoint | undefined {
  if (!checkpoint?.domain) return checkpoint;
  return { ...checkpoint, domain: domainSummary(checkpoint.domain) };
}

/** Reads a file as the editor shows it and as libvirt's rules judge it, one parse for both. */
function inspectOne(f: TextFile, rules: RuleSet, options: FormatOptions): Inspected {
  const result = checkCheckpoint(f.text, { profile: rules.profile, fileName: f.fileName });
  const cp = result.checkpoint;
  const inspection: InspectOutcome = {
    domainDisks: cp?.domain ? readDomainDisks(cp.domain) : [],
    problems: result.problems,
    formatChanges: cp ? summarizeChanges(formatChanges(f.text, options)) : [],
  };
  const checkpoint = summarised(cp);
  const redefined = summarised(result.redefined);
  if (checkpoint) inspection.checkpoint = checkpoint;
  if (redefined) inspection.redefined = redefined;
  return { inspection, verdict: checkRules(f.text, f.fileName, rules, result) };
}

/** Form edits made in a file's own text, one after the other, and the new text read at once. */
function editOne(
  f: TextFile,
  edits: readonly CheckpointFieldEdit[],
  rules: RuleSet,
  options: FormatOptions,
): EditOutcome {
  let text = f.text;
  for (const edit of edits) {
    const edited = editCheckpointText(text, edit);
    if (!edited.ok) return { problems: withFile(edited.problems, f.fileName) };
    text = edited.value;
  }
  return { text, ...inspectOne({ fileName: f.fileName, text }, rules, options) };
}

/** The indexes of `paths` in compareNatural's order of them. */
export function naturalOrder(paths: readonly string[]): Uint32Array {
  const order = Uint32Array.from(paths.keys());
  return order.sort((a, b) => compareNatural(paths[a] as string, paths[b] as string));
}

/**
 * Runs one task. `domains`: the domains this worker read before, so that a folder's checkpoints,
 * which mostly carry the same <domain>, do not each read it again (domain-reuse.ts).
 */
export async function runCoreTask<T extends CoreTask>(
  task: T,
  domains?: DomainReuse,
): Promise<CoreTaskResult[T['kind']]> {
  type R = CoreTaskResult[T['kind']];
  switch (task.kind) {
    case 'open':
      return task.files.map((f) => openFile(f, task.rules, domains)) as R;
    case 'check':
      return task.files.map((f) =>
        checkRules(f.text, f.fileName, task.rules, undefined, domains),
      ) as R;
    case 'format':
      return task.files.map((f) => formatOne(f, task.options, domains)) as R;
    case 'inspect':
      return task.files.map((f) => inspectOne(f, task.rules, task.options)) as R;
    case 'edit':
      return task.files.map((f) => editOne(f, task.edits, task.rules, task.options)) as R;
    case 'images':
      return task.files.map((f) => {
        const read = readImageInfo(f.text, f.fileName);
        return read.ok ? { ...read, value: packImageInfo(read.value) } : read;
      }) as R;
    case 'sort-paths':
      return naturalOrder(task.paths.split('\0')) as R;
    case 'repair-script': {
      const script = repairScript(unpackScriptReport(task.report), task.options);
      const excerpt = scriptExcerpt(script, task.lines);
      return { script: new Blob([script], { type: 'text/x-shellscript' }), excerpt } as R;
    }
    case 'zip': {
      // Two files under one name would keep only the last: nothing is dropped without a word.
      const entries = new Map<string, Zippable[string]>();
      for (const f of task.files) {
        if (entries.has(f.fileName)) throw new Error(`two files named ${f.fileName} in one zip`);
        const data = f.bytes ?? strToU8(f.text ?? '');
        // Made on Unix (os 3) with mode 0755 in the high bits, as zip -X would write it.
        entries.set(
          f.fileName,
          f.executable ? [data, { os: 3, attrs: (0o100755 << 16) >>> 0 }] : data,
        );
      }
      return zipSync(Object.fromEntries(entries)) as R;
    }
  }
}
