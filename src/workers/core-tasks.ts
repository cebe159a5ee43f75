// Core's work over many files, the same in a worker and, where there is none, on the page itself.
import type { Zippable } from 'fflate';
import { strToU8, zipSync } from 'fflate';
import type {
  BytesFile,
  FormatOptions,
  Problem,
  ReadOutcome,
  RuleSet,
  RuleVerdict,
} from '../core/index.ts';
import {
  checkRules,
  formatChanges,
  formatCheckpoint,
  summarizeChanges,
  openFile,
  parseCheckpoint,
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

export type CoreTask =
  | { kind: 'open'; files: BytesFile[]; rules: RuleSet }
  | { kind: 'check'; files: TextFile[]; rules: RuleSet }
  | { kind: 'format'; files: TextFile[]; options: FormatOptions }
  | { kind: 'zip'; files: ZipEntry[] };

export interface CoreTaskResult {
  open: ReadOutcome[];
  check: RuleVerdict[];
  format: FormatOutcome[];
  zip: Uint8Array;
}

function formatOne(f: TextFile, options: FormatOptions): FormatOutcome {
  const parsed = parseCheckpoint(f.text);
  if (!parsed.ok) return { fileName: f.fileName, problems: withFile(parsed.problems, f.fileName) };
  return {
    fileName: f.fileName,
    text: formatCheckpoint(parsed.value, options),
    changes: summarizeChanges(formatChanges(f.text, options)),
  };
}

export async function runCoreTask<T extends CoreTask>(task: T): Promise<CoreTaskResult[T['kind']]> {
  type R = CoreTaskResult[T['kind']];
  switch (task.kind) {
    case 'open':
      return task.files.map((f) => openFile(f, task.rules)) as R;
    case 'check':
      return task.files.map((f) => checkRules(f.text, f.fileName, task.rules)) as R;
    case 'format':
      return task.files.map((f) => formatOne(f, task.options)) as R;
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
