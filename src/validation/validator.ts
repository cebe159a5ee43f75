import type { Problem } from '../core/problem.ts';

/** A file to validate; `fileName` is what the user sees (the path as given), never sent to xmllint. */
export interface XmlFile {
  fileName: string;
  contents: string;
}

/** xmllint's answer for one file. `valid` is true only when xmllint said "validates". */
export interface FileVerdict {
  fileName: string;
  valid: boolean;
  problems: Problem[];
}

/** Validates many files against one schema set; verdicts come back in the order of `files`. */
export interface Validator {
  validate(files: XmlFile[]): Promise<FileVerdict[]>;
  close(): void;
}

/** How much one xmllint run may take on: larger batches are split into several runs. */
export interface RunLimits {
  /** The most wasm memory one run may grow to, in MiB. */
  maxMemoryMiB: number;
  maxFilesPerRun: number;
  /** Characters of XML per run (a file larger than this runs alone). */
  maxCharsPerRun: number;
}

/**
 * A text this long is never hashed or scanned on the page for a shortcut (the verdict cache's
 * SHA-256, the domain shortcut's set of known domains): each would stop the page for tens of
 * milliseconds per MB. It is validated in a worker as it is, every time.
 */
export const SHORTCUT_TEXT_LIMIT = 128 * 1024;

export const DEFAULT_RUN_LIMITS: RunLimits = {
  // A maximum only reserves address space; a 60 MB input needs several hundred MiB.
  maxMemoryMiB: 1024,
  // Each run compiles the schema again (30-40 ms of CPU): few, large runs are faster. Not many
  // more: xmllint's arguments go on its 64 KiB stack (5,000 files overflow it).
  maxFilesPerRun: 2000,
  maxCharsPerRun: 32 * 1024 * 1024,
};

/** The problem codes this layer gives, beside xmllint's own findings. */
export const VALIDATION_CODES = {
  /** The file breaks the RELAX NG schema. */
  schema: 'schema',
  /** The file is not well-formed XML (xmllint's parser error). */
  malformed: 'xml-malformed',
  /** A warning of xmllint's parser (the file may still validate). */
  xmlWarning: 'xml-warning',
  outOfMemory: 'validation-out-of-memory',
  timeout: 'validation-timeout',
  /** xmllint could not give a verdict: the schema set did not compile, the run aborted, … */
  failed: 'validation-failed',
} as const;

/** Verdicts for files that got no answer from xmllint: invalid, with one problem saying why. */
export function unvalidated(
  files: readonly XmlFile[],
  code: string,
  message: string,
): FileVerdict[] {
  return files.map((f) => ({
    fileName: f.fileName,
    valid: false,
    problems: [{ code, severity: 'error', message, file: f.fileName }],
  }));
}
