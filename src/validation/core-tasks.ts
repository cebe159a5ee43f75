// Core's work over many files, the same in a worker and, where there is none, on the page itself.
import { strToU8, zipSync } from 'fflate';
import type { FormatOptions, Problem } from '../core/index.ts';
import { decodeXml, formatCheckpoint, parseCheckpoint, withFile } from '../core/index.ts';
import type { RuleSet, RuleVerdict } from './rule-check.ts';
import { checkRules } from './rule-check.ts';

/** A file's bytes as read from disk, not yet decoded. */
export interface BytesFile {
  fileName: string;
  bytes: Uint8Array;
}

export interface TextFile {
  fileName: string;
  text: string;
}

/** A file read: its text and libvirt's verdict on it, or why it was not opened. */
export type ReadOutcome =
  { fileName: string; text: string; verdict: RuleVerdict } | { fileName: string; skipped: string };

/** A file formatted as virsh prints it, or the problems that kept it from being read. */
export type FormatOutcome =
  { fileName: string; text: string } | { fileName: string; problems: Problem[] };

export type CoreTask =
  | { kind: 'open'; files: BytesFile[]; rules: RuleSet }
  | { kind: 'check'; files: TextFile[]; rules: RuleSet }
  | { kind: 'format'; files: TextFile[]; options: FormatOptions }
  | { kind: 'zip'; files: TextFile[] };

export interface CoreTaskResult {
  open: ReadOutcome[];
  check: RuleVerdict[];
  format: FormatOutcome[];
  zip: Uint8Array;
}

/** Bytes to text as libxml2 would decode them, then libvirt's rules. */
function openOne(f: BytesFile, rules: RuleSet): ReadOutcome {
  const decoded = decodeXml(f.bytes);
  if (!decoded.ok) {
    const [p] = decoded.problems;
    const reason = p && p.line ? `line ${p.line}: ${p.message}` : (p?.message ?? '');
    return { fileName: f.fileName, skipped: reason };
  }
  return {
    fileName: f.fileName,
    text: decoded.value,
    verdict: checkRules(decoded.value, baseName(f.fileName), rules),
  };
}

function formatOne(f: TextFile, options: FormatOptions): FormatOutcome {
  const parsed = parseCheckpoint(f.text);
  if (!parsed.ok) return { fileName: f.fileName, problems: withFile(parsed.problems, f.fileName) };
  return { fileName: f.fileName, text: formatCheckpoint(parsed.value, options) };
}

/** The name a document keeps: the last part of a path inside a folder. */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

export async function runCoreTask<T extends CoreTask>(task: T): Promise<CoreTaskResult[T['kind']]> {
  type R = CoreTaskResult[T['kind']];
  switch (task.kind) {
    case 'open':
      return task.files.map((f) => openOne(f, task.rules)) as R;
    case 'check':
      return task.files.map((f) => checkRules(f.text, f.fileName, task.rules)) as R;
    case 'format':
      return task.files.map((f) => formatOne(f, task.options)) as R;
    case 'zip':
      return zipSync(Object.fromEntries(task.files.map((f) => [f.fileName, strToU8(f.text)]))) as R;
  }
}
