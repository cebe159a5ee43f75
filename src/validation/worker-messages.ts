import type { SchemaSet } from './schema-set.ts';
import type { FileVerdict, XmlFile } from './validator.ts';

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

export type ToWorker = InitMessage | ValidateRequest;

export type FromWorker =
  | { type: 'verdicts'; id: number; verdicts: FileVerdict[] }
  /** The worker could not run xmllint at all (the wasm did not load, no schema set yet). */
  | { type: 'failed'; id: number; message: string };

export function isFromWorker(data: unknown): data is FromWorker {
  const d = data as Partial<FromWorker> | null;
  return (
    typeof d?.id === 'number' &&
    ((d.type === 'verdicts' && Array.isArray(d.verdicts)) ||
      (d.type === 'failed' && typeof d.message === 'string'))
  );
}

export function isToWorker(data: unknown): data is ToWorker {
  const d = data as Partial<ToWorker> | null;
  return (
    (d?.type === 'init' && typeof d.schemas === 'object') ||
    (d?.type === 'validate' && typeof d.id === 'number' && Array.isArray(d.files))
  );
}
