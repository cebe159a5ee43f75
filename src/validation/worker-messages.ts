import type { BytesFile, ReadOutcome, RuleSet } from '../core/index.ts';
import type { SchemaSet } from './schema-set.ts';
import type { FileVerdict, RunLimits, XmlFile } from './validator.ts';

/** Sent once to each new worker, before any request: the set it keeps for every run. */
export interface InitMessage {
  type: 'init';
  schemas: SchemaSet;
  maxMemoryMiB: number;
  /** Keep verdicts between visits (IndexedDB), and answer from them: the texts are hashed here. */
  keepVerdicts?: boolean;
  /**
   * Validate each distinct <domain> once (domain-shortcut.ts); on unless false. Off, every file
   * goes whole to xmllint: for measuring xmllint itself (bench parts 1 and 2).
   */
  domainShortcut?: boolean;
}

/** One xmllint run over these files. */
export interface ValidateRequest {
  type: 'validate';
  id: number;
  files: XmlFile[];
}

/**
 * Files opened here as a core worker opens them (decoded, libvirt's rules), and each text validated
 * at once: the texts cross to the page once, and never back (a bundle's entries, issue 24.3).
 */
export interface OpenRequest {
  type: 'open';
  id: number;
  files: BytesFile[];
  rules: RuleSet;
  limits: Pick<RunLimits, 'maxFilesPerRun' | 'maxCharsPerRun'>;
}

/** What an open gives: each file's outcome, and the schema verdict of each one read as text. */
export interface OpenedFiles {
  outcomes: ReadOutcome[];
  /** By outcome; null where the file was not read, or xmllint could not be run here. */
  verdicts: (FileVerdict | null)[];
}

export type ToWorker = InitMessage | ValidateRequest | OpenRequest;

export type FromWorker =
  | { type: 'verdicts'; id: number; verdicts: FileVerdict[] }
  | ({ type: 'opened'; id: number } & OpenedFiles)
  /** The worker could not run xmllint at all (the wasm did not load, no schema set yet). */
  | { type: 'failed'; id: number; message: string };

export function isFromWorker(data: unknown): data is FromWorker {
  const d = data as Partial<FromWorker> | null;
  return (
    typeof d?.id === 'number' &&
    ((d.type === 'verdicts' && Array.isArray(d.verdicts)) ||
      (d.type === 'opened' && Array.isArray(d.outcomes) && Array.isArray(d.verdicts)) ||
      (d.type === 'failed' && typeof d.message === 'string'))
  );
}

export function isToWorker(data: unknown): data is ToWorker {
  const d = data as Partial<ToWorker> | null;
  return (
    (d?.type === 'init' && typeof d.schemas === 'object') ||
    ((d?.type === 'validate' || d?.type === 'open') &&
      typeof d.id === 'number' &&
      Array.isArray(d.files))
  );
}
