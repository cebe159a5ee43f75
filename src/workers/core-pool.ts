import type { CoreTask, CoreTaskResult } from './core-tasks.ts';
import type { ToCoreWorker } from './core-messages.ts';
import { isFromCoreWorker } from './core-messages.ts';
import type { WorkerLike } from './pool.ts';
import { createWorkerPool, WORKER_TIMEOUT_MS } from './pool.ts';

/** A core worker as the pool uses it; a real Worker is one. */
export type CoreWorkerLike = WorkerLike<ToCoreWorker>;

export interface CorePoolOptions {
  /** Workers at most; by default one per core, at least one and at most four. */
  size?: number;
  /** Files per request: small enough for steady progress, large enough to keep messages few. */
  chunkSize?: number;
  /** A request that takes longer is given up: its worker ends, and so does the chunk's check. */
  timeoutMs?: number;
  /** Starts a worker; undefined where there are none (Node, tests): the work then runs here, in chunks. */
  createWorker?: (() => CoreWorkerLike) | undefined;
}

/** Progress of one job: files done out of all. */
export type OnProgress = (done: number, total: number) => void;

/** Core's work over many files, spread over workers so that the page never stops for it. */
export interface CorePool {
  run<K extends CoreTask['kind']>(
    task: Extract<CoreTask, { kind: K }>,
    onProgress?: OnProgress,
  ): Promise<CoreTaskResult[K]>;
  /** Starts the workers now, so that the first files do not wait for them. */
  warm(): void;
  close(): void;
}

const DEFAULT_CHUNK_SIZE = 250;
/** A chunk may take this much longer per MB of text it holds: a 15 MB file takes seconds to read. */
const TIMEOUT_PER_MB_MS = 4_000;

/** Characters of text (or bytes) a task carries, or makes. */
function sizeOf(task: CoreTask): number {
  // A repair script has about 700 characters per stray bitmap.
  if (task.kind === 'repair-script') return task.report.orphans.disk.length * 700;
  if (task.kind === 'sort-paths') return 0;
  let size = 0;
  for (const f of task.files as { text?: string; bytes?: Uint8Array }[]) {
    size += (f.text?.length ?? 0) + (f.bytes?.length ?? 0);
  }
  return size;
}

function startCoreWorker(): CoreWorkerLike {
  return new Worker(new URL('./core-worker.ts', import.meta.url), {
    type: 'module',
    name: 'checkpoint-core',
  });
}

function defaultSize(): number {
  const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
  return Math.max(1, Math.min(4, cores));
}

/** Lets the page paint and take input between chunks done here rather than in a worker. */
const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The work itself, loaded only when the page has to do it (no workers). */
async function runHere(task: CoreTask): Promise<unknown> {
  await yieldToPage();
  const { runCoreTask } = await import('./core-tasks.ts');
  return runCoreTask(task);
}

/** The answer for a chunk no worker could finish: each file says why. */
function failedChunk<T extends CoreTask>(task: T, failure: string): CoreTaskResult[T['kind']] {
  type R = CoreTaskResult[T['kind']];
  const message = `the check of this file in a worker failed: ${failure}`;
  const problem = { code: 'worker-failed', severity: 'error' as const, message };
  switch (task.kind) {
    case 'open':
      return task.files.map((f) => ({ fileName: f.fileName, skipped: message })) as R;
    case 'check':
      return task.files.map((f) => ({ problems: [{ ...problem, file: f.fileName }] })) as R;
    case 'format':
      return task.files.map((f) => ({
        fileName: f.fileName,
        problems: [{ ...problem, file: f.fileName }],
      })) as R;
    case 'inspect':
      return task.files.map((f) => {
        const problems = [{ ...problem, file: f.fileName }];
        return {
          inspection: { domainDisks: [], problems, formatChanges: [] },
          verdict: { problems },
        };
      }) as unknown as R;
    case 'edit':
      return task.files.map((f) => ({ problems: [{ ...problem, file: f.fileName }] })) as R;
    case 'images':
      return task.files.map((f) => ({
        ok: false,
        problems: [{ ...problem, file: f.fileName }],
      })) as R;
    case 'zip':
      throw new Error(`the zip could not be written: ${failure}`);
    case 'sort-paths':
      throw new Error(`the paths could not be sorted: ${failure}`);
    case 'repair-script':
      throw new Error(`the repair script could not be written: ${failure}`);
  }
}

/**
 * Core (read, libvirt's rules, format, zip) over chunks of files in a pool of module workers. A
 * chunk whose worker fails or times out is tried once more in a new worker; one that fails twice
 * says so for each of its files, so the answer is always complete. Where there are no workers,
 * the page does the chunks one at a time.
 */
export function createCorePool(options: CorePoolOptions = {}): CorePool {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const pool = createWorkerPool<CoreTask, unknown, ToCoreWorker>({
    protocol: {
      request: (id, task) => ({ id, task }),
      answer: (data) => (isFromCoreWorker(data) ? data : undefined),
    },
    createWorker:
      'createWorker' in options
        ? options.createWorker
        : typeof Worker === 'undefined'
          ? undefined
          : startCoreWorker,
    size: options.size ?? defaultSize(),
    timeoutMs: options.timeoutMs ?? WORKER_TIMEOUT_MS,
    timeoutFor: (task) =>
      (options.timeoutMs ?? WORKER_TIMEOUT_MS) + (sizeOf(task) / 1e6) * TIMEOUT_PER_MB_MS,
    // A chunk that fails twice is not run on the page, where it could hang or crash the page itself.
    attempts: 2,
    runHere,
  });

  const runChunk = async <T extends CoreTask>(task: T): Promise<CoreTaskResult[T['kind']]> => {
    try {
      return (await pool.run(task)) as CoreTaskResult[T['kind']];
    } catch (e) {
      return failedChunk(task, (e as Error).message);
    }
  };

  return {
    async run(task, onProgress) {
      type K = typeof task.kind;
      // One piece of work each: a zip is one file, an order is of all paths, a script of a report.
      if (task.kind === 'zip' || task.kind === 'sort-paths' || task.kind === 'repair-script') {
        return runChunk(task) as Promise<CoreTaskResult[K]>;
      }
      const many = task as Extract<CoreTask, { files: readonly unknown[] }>;
      const total = many.files.length;
      const chunks: (typeof many)[] = [];
      for (let i = 0; i < total; i += chunkSize) {
        chunks.push({ ...many, files: many.files.slice(i, i + chunkSize) } as typeof many);
      }
      let done = 0;
      onProgress?.(0, total);
      const parts = await Promise.all(
        chunks.map(async (chunk) => {
          const part = (await runChunk(chunk)) as unknown[];
          done += chunk.files.length;
          onProgress?.(done, total);
          return part;
        }),
      );
      return parts.flat() as CoreTaskResult[K];
    },
    // Loading core in the worker is the slow part of its start; an empty chunk makes it happen.
    warm: () => pool.warm({ kind: 'check', files: [], rules: { profile: 'strict' } }),
    close: () => pool.close(),
  };
}
