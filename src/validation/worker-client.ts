import { splitIntoBatches } from './batches.ts';
import type { SchemaSet } from './schema-set.ts';
import { checkSchemaSet } from './schema-set.ts';
import type { FileVerdict, RunLimits, Validator, XmlFile } from './validator.ts';
import { DEFAULT_RUN_LIMITS, VALIDATION_CODES, unvalidated } from './validator.ts';
import type { ToWorker } from './worker-messages.ts';
import { isFromWorker } from './worker-messages.ts';

/** The part of a Worker the client uses; a real Worker is one. */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  addEventListener(
    type: 'message' | 'messageerror' | 'error',
    listener: (event: Event) => void,
  ): void;
  terminate(): void;
}

export interface WorkerValidatorOptions extends Partial<RunLimits> {
  /** A run that takes longer is ended: its worker is replaced and its files get a problem. */
  timeoutMs?: number;
  /** Starts a worker; for tests, and for hosts that serve worker.ts some other way. */
  createWorker?: () => WorkerLike;
}

export const DEFAULT_TIMEOUT_MS = 60_000;

function startValidationWorker(): WorkerLike {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'xmllint' });
}

type RunOutcome =
  { kind: 'verdicts'; verdicts: FileVerdict[] } | { kind: 'failed'; code: string; message: string };

interface InFlight {
  id: number;
  settle(outcome: RunOutcome): void;
  cancel(reason: Error): void;
}

/**
 * Validates in one long-lived worker, which compiles xmllint.wasm once and keeps the schema set.
 * Runs go one at a time, each with a request id and a timeout; a run that times out ends its
 * worker (nothing else stops a wasm loop) and the next run starts a new one.
 */
export function createWorkerValidator(
  schemas: SchemaSet,
  options: WorkerValidatorOptions = {},
): Validator {
  checkSchemaSet(schemas);
  const {
    timeoutMs = DEFAULT_TIMEOUT_MS,
    createWorker = startValidationWorker,
    ...limitOptions
  } = options;
  const limits: RunLimits = { ...DEFAULT_RUN_LIMITS, ...limitOptions };
  let worker: WorkerLike | undefined;
  let inFlight: InFlight | undefined;
  let nextId = 1;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();

  const stopWorker = () => {
    worker?.terminate();
    worker = undefined;
  };

  const startWorker = (): WorkerLike => {
    const started = createWorker();
    const failRun = (message: string) => {
      if (started !== worker) return;
      stopWorker();
      inFlight?.settle({ kind: 'failed', code: VALIDATION_CODES.failed, message });
    };
    started.addEventListener('message', (event) => {
      const data = (event as MessageEvent<unknown>).data;
      if (started !== worker || !isFromWorker(data) || data.id !== inFlight?.id) return;
      // A worker that could not run xmllint (its wasm did not load) is not kept: the next run retries.
      if (data.type === 'failed') stopWorker();
      inFlight.settle(
        data.type === 'verdicts'
          ? { kind: 'verdicts', verdicts: data.verdicts }
          : { kind: 'failed', code: VALIDATION_CODES.failed, message: data.message },
      );
    });
    started.addEventListener('messageerror', () =>
      failRun('the validation worker sent an unreadable answer'),
    );
    started.addEventListener('error', (event) => {
      const said = (event as Partial<ErrorEvent>).message;
      failRun(`the validation worker failed${said ? `: ${said}` : ' to start'}`);
    });
    started.postMessage({ type: 'init', schemas, maxMemoryMiB: limits.maxMemoryMiB });
    worker = started;
    return started;
  };

  const run = (files: XmlFile[]): Promise<FileVerdict[]> =>
    new Promise<RunOutcome>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        stopWorker();
        settle({
          kind: 'failed',
          code: VALIDATION_CODES.timeout,
          message: `Validation took longer than ${timeoutMs / 1000} s and was stopped`,
        });
      }, timeoutMs);
      const settle = (outcome: RunOutcome) => {
        clearTimeout(timer);
        inFlight = undefined;
        resolve(outcome);
      };
      inFlight = {
        id,
        settle,
        cancel: (reason) => {
          clearTimeout(timer);
          inFlight = undefined;
          reject(reason);
        },
      };
      try {
        // Only the two fields: anything else the caller's objects carry may not survive a clone.
        const plain = files.map(({ fileName, contents }) => ({ fileName, contents }));
        (worker ?? startWorker()).postMessage({ type: 'validate', id, files: plain });
      } catch (e) {
        stopWorker();
        settle({
          kind: 'failed',
          code: VALIDATION_CODES.failed,
          message: `the validation worker could not be reached: ${String(e)}`,
        });
      }
    }).then((outcome) =>
      outcome.kind === 'verdicts' && outcome.verdicts.length === files.length
        ? outcome.verdicts
        : unvalidated(
            files,
            outcome.kind === 'failed' ? outcome.code : VALIDATION_CODES.failed,
            outcome.kind === 'failed'
              ? outcome.message
              : 'the validation worker answered for other files',
          ),
    );

  try {
    // Start now: the worker compiles xmllint.wasm while the page is still reading files.
    startWorker();
  } catch {
    // No worker here (a test, an old browser): the first run says so in its verdicts.
  }

  return {
    validate(files) {
      const verdicts = queue.then(async () => {
        const all: FileVerdict[] = [];
        for (const batch of splitIntoBatches(files, limits)) {
          if (closed) throw new Error('the validator is closed');
          all.push(...(await run(batch)));
        }
        return all;
      });
      queue = verdicts.catch(() => undefined);
      return verdicts;
    },
    close() {
      closed = true;
      stopWorker();
      inFlight?.cancel(new Error('the validator is closed'));
    },
  };
}
