import type { BytesFile, RuleSet } from '../core/index.ts';
import type { WorkerFailure, WorkerLike as PoolWorkerLike } from '../workers/index.ts';
import { createWorkerPool, WORKER_TIMEOUT_MS } from '../workers/index.ts';
import { splitIntoBatches } from './batches.ts';
import type { SchemaSet } from './schema-set.ts';
import { checkSchemaSet } from './schema-set.ts';
import type { FileVerdict, RunLimits, Validator, XmlFile } from './validator.ts';
import { DEFAULT_RUN_LIMITS, VALIDATION_CODES, unvalidated } from './validator.ts';
import type { OpenedFiles, ToWorker } from './worker-messages.ts';
import { isFromWorker } from './worker-messages.ts';

/** The part of a Worker the client uses; a real Worker is one. */
export type WorkerLike = PoolWorkerLike<ToWorker>;

export interface WorkerValidatorOptions extends Partial<RunLimits> {
  /** A run that takes longer is ended: its worker is replaced and its files get a problem. */
  timeoutMs?: number;
  /** Starts a worker; for tests, and for hosts that serve worker.ts some other way. */
  createWorker?: () => WorkerLike;
  /** How many workers validate at once (each compiles xmllint.wasm); two by default. */
  workers?: number;
  /** The workers keep each verdict in IndexedDB by the text's hash, and answer from what they kept. */
  keepVerdicts?: boolean;
  /** Each worker validates each distinct <domain> once; on unless false (see InitMessage). */
  domainShortcut?: boolean;
}

/** A validator that can also open files (a bundle's entries) and validate them in one go. */
export interface OpeningValidator extends Validator {
  /**
   * The files read as a core worker reads them and each text validated, in one worker: the texts
   * cross to the page once. Rejects where no worker could do it (the caller opens them otherwise).
   */
  open(files: BytesFile[], rules: RuleSet): Promise<OpenedFiles>;
}

/** An open may take this much longer per MB of its files: reading them, then validating them. */
const OPEN_MS_PER_MB = 8_000;

/** What the pool is asked: a run of xmllint, or files to open and validate. */
type PoolRequest =
  { kind: 'validate'; files: XmlFile[] } | { kind: 'open'; files: BytesFile[]; rules: RuleSet };

/**
 * The files' bytes copied into one buffer, each file's a view of its part: that one buffer is
 * handed over to the worker (no copy in the message, and one buffer rather than one per file),
 * while the caller keeps its own bytes (to open them otherwise, should the worker fail).
 */
export function packBytes(files: readonly BytesFile[]): {
  packed: BytesFile[];
  buffer: ArrayBuffer;
} {
  const buffer = new ArrayBuffer(files.reduce((n, f) => n + f.bytes.length, 0));
  const all = new Uint8Array(buffer);
  let at = 0;
  const packed = files.map(({ fileName, bytes }) => {
    all.set(bytes, at);
    at += bytes.length;
    return { fileName, bytes: all.subarray(at - bytes.length, at) };
  });
  return { packed, buffer };
}

/** Two where the machine has two cores or more: the page's own work needs little once shown. */
function defaultWorkers(): number {
  const cores = typeof navigator === 'undefined' ? 1 : (navigator.hardwareConcurrency ?? 1);
  return Math.max(1, Math.min(2, cores));
}

function startValidationWorker(): WorkerLike {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'xmllint' });
}

/** Why a run got no verdicts, as its files' problem says it. */
function describeFailure(
  failure: WorkerFailure,
  timeoutMs: number,
): [code: string, message: string] {
  switch (failure.kind) {
    case 'timeout':
      return [
        VALIDATION_CODES.timeout,
        `Validation took longer than ${timeoutMs / 1000} s and was stopped`,
      ];
    case 'crashed':
      return [
        VALIDATION_CODES.failed,
        `the validation worker failed${failure.detail ? `: ${failure.detail}` : ' to start'}`,
      ];
    case 'unreadable':
      return [VALIDATION_CODES.failed, 'the validation worker sent an unreadable answer'];
    case 'unreachable':
      return [
        VALIDATION_CODES.failed,
        `the validation worker could not be reached: ${failure.detail ?? failure.message}`,
      ];
    default:
      return [VALIDATION_CODES.failed, failure.message];
  }
}

/**
 * Validates in long-lived workers of the page's worker pool, each compiling xmllint.wasm once and
 * keeping the schema set. One validate() call at a time; its files are split into as many runs as
 * there are workers (or more, within the run limits), each with a request id and the pool's
 * timeout; a run that times out ends its worker (nothing else stops a wasm loop) and the next run
 * starts a new one.
 */
export function createWorkerValidator(
  schemas: SchemaSet,
  options: WorkerValidatorOptions = {},
): OpeningValidator {
  checkSchemaSet(schemas);
  const {
    timeoutMs = WORKER_TIMEOUT_MS,
    createWorker = startValidationWorker,
    workers = defaultWorkers(),
    keepVerdicts = false,
    domainShortcut = true,
    ...limitOptions
  } = options;
  const limits: RunLimits = { ...DEFAULT_RUN_LIMITS, ...limitOptions };
  const pool = createWorkerPool<PoolRequest, FileVerdict[] | OpenedFiles, ToWorker>({
    protocol: {
      init: () => ({
        type: 'init',
        schemas,
        maxMemoryMiB: limits.maxMemoryMiB,
        keepVerdicts,
        domainShortcut,
      }),
      request: (id, request) =>
        request.kind === 'validate'
          ? { type: 'validate', id, files: request.files }
          : {
              type: 'open',
              id,
              // Copied into one buffer only now, a worker free for them: not all chunks at once.
              files: packBytes(request.files).packed,
              rules: request.rules,
              limits: {
                maxFilesPerRun: limits.maxFilesPerRun,
                maxCharsPerRun: limits.maxCharsPerRun,
              },
            },
      // An open's one buffer of bytes is handed over, not copied.
      transfer: (message) =>
        message.type === 'open' && message.files[0] ? [message.files[0].bytes.buffer] : [],
      answer: (data) => {
        if (!isFromWorker(data)) return undefined;
        if (data.type === 'verdicts') return { id: data.id, ok: true, result: data.verdicts };
        if (data.type === 'opened') {
          const { outcomes, verdicts } = data;
          return { id: data.id, ok: true, result: { outcomes, verdicts } };
        }
        return { id: data.id, ok: false, message: data.message };
      },
    },
    createWorker,
    size: workers,
    timeoutMs,
    // An open reads a chunk's files as well: a large file takes seconds more (as a core worker's).
    timeoutFor: (request) =>
      request.kind === 'open'
        ? timeoutMs + (request.files.reduce((n, f) => n + f.bytes.length, 0) / 1e6) * OPEN_MS_PER_MB
        : timeoutMs,
    // A worker that could not run xmllint (its wasm did not load) is not kept: the next run retries.
    endRefusing: true,
  });
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();

  const run = async (files: XmlFile[]): Promise<FileVerdict[]> => {
    // Only the two fields: anything else the caller's objects carry may not survive a clone.
    const plain = files.map(({ fileName, contents }) => ({ fileName, contents }));
    try {
      const verdicts = (await pool.run({ kind: 'validate', files: plain })) as FileVerdict[];
      return verdicts.length === files.length
        ? verdicts
        : unvalidated(
            files,
            VALIDATION_CODES.failed,
            'the validation worker answered for other files',
          );
    } catch (e) {
      const failure = e as WorkerFailure;
      if (failure.kind === 'closed') throw new Error('the validator is closed', { cause: e });
      const [code, message] = describeFailure(failure, timeoutMs);
      return unvalidated(files, code, message);
    }
  };

  // Start now: the worker compiles xmllint.wasm while the page is still reading files. Where no
  // worker can start (a test, an old browser), the first run says so in its verdicts.
  pool.warm();

  return {
    validate(files) {
      const verdicts = queue.then(async () => {
        if (closed) throw new Error('the validator is closed');
        const perWorker = Math.ceil(files.length / workers);
        const batches = splitIntoBatches(files, {
          ...limits,
          maxFilesPerRun: Math.max(1, Math.min(limits.maxFilesPerRun, perWorker)),
        });
        return (await Promise.all(batches.map(run))).flat();
      });
      queue = verdicts.catch(() => undefined);
      return verdicts;
    },
    async open(files, rules) {
      if (closed) throw new Error('the validator is closed');
      const opened = (await pool.run({ kind: 'open', files, rules })) as OpenedFiles;
      if (opened.outcomes.length !== files.length || opened.verdicts.length !== files.length) {
        throw new Error('the validation worker answered for other files');
      }
      return opened;
    },
    close() {
      closed = true;
      pool.close();
    },
  };
}
